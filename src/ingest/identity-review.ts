/**
 * Deciding whose a scan is when the sources left doubt: a person picks an existing patient
 * or creates one for an identity review. The scan is assigned (with its visit), the review
 * closed, the patient learns the export's order id, and the other open reviews of the same
 * export (its other jaws, same case and reason) are closed with it — each named in the
 * result, so nothing is decided out of sight. Audited by the caller; change events here.
 */
import { CuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { record, type RecordServices } from '../events/record.js';
import { queueVisitAnalyses } from '../jobs/handlers/visit-analyses.js';
import type { IdentityReview } from '../store/identity.js';
import type { Job } from '../store/jobs.js';
import type { NewPatient, Patient } from '../store/patients.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { visitOfDay } from './visit-of-day.js';

/** What a person chose: an existing patient, or a new one with these details. */
export type ReviewChoice = { patient: string } | { create: NewPatient };

export interface ReviewOutcome {
  patient: Patient;
  created: boolean;
  /** Every review closed, the one asked for first. */
  reviews: IdentityReview[];
  scans: Scan[];
  /** The analysis jobs the assignments queued (comparison, bite). */
  queued: Job[];
}

/** `system:value` back into an id. */
function parseId(text: string | undefined): { system: string; value: string } | undefined {
  if (!text) return undefined;
  const colon = text.indexOf(':');
  return colon > 0 ? { system: text.slice(0, colon), value: text.slice(colon + 1) } : undefined;
}

/** Assign a scan to a patient with its visit, as PUT /scans/:uid/patient does. */
export function assignScan(services: RecordServices & { bus: EventBus }, scan: Scan, patient: Patient, queued: Job[] = []): Scan {
  const { store } = services;
  const visit = scan.capturedAt ? visitOfDay(services, patient.id, scan.capturedAt, 'assignment') : null;
  const updated = store.scans.assign(scan.id, { patientId: patient.id, visitId: visit?.id ?? null, jaw: scan.jaw, capturedAt: scan.capturedAt });
  record(services, { changes: [{ type: 'scan.assigned', objectType: 'scan', objectId: scan.uid, data: { patient: patient.pseudoId, jaw: updated.jaw, visit: visit?.id ?? null } }] });
  store.images.followScan(scan.id, patient.id, visit?.id ?? null);
  // The visit is whole now: the comparison with the patient's previous scan of this jaw and
  // the bite (a scan not yet validated gets them when its validation ends).
  queued.push(...queueVisitAnalyses(services, updated));
  return updated;
}

/** The open reviews of the same export as `review`: same case id, same folder, same reason. */
function sameExport(store: Store, review: IdentityReview, scan: Scan): IdentityReview[] {
  const caseId = store.identity.evidence(scan.id)?.evidence.fields.caseId?.value;
  if (!caseId) return [];
  return store.identity.list('open', 1000).filter((r) => {
    if (r.id === review.id || r.reason !== review.reason) return false;
    const other = store.scans.get(r.scanId);
    return other?.sourceFolder === scan.sourceFolder && store.identity.evidence(r.scanId)?.evidence.fields.caseId?.value === caseId;
  });
}

/**
 * Resolve an open identity review as a person chose, in one transaction (the `job.queued`
 * events of the analyses it queues go out after the commit).
 */
export function resolveReview(services: RecordServices & { bus: EventBus }, reviewId: number, choice: ReviewChoice, actor: string): ReviewOutcome {
  const { store } = services;
  return store.transaction(() => {
    const review = store.identity.get(reviewId);
    if (!review) throw new CuspError('not_found', `no identity review ${reviewId}`);
    if (review.state !== 'open') throw new CuspError('conflict', `identity review ${reviewId} was resolved already (by ${review.resolvedBy ?? 'someone'})`);
    const scan = store.scans.get(review.scanId);
    if (!scan) throw new CuspError('not_found', `the scan of identity review ${reviewId} is gone`);
    let patient: Patient;
    let created = false;
    if ('patient' in choice) {
      const found = store.patients.getByPseudoId(choice.patient);
      if (!found) throw new CuspError('not_found', `no patient ${choice.patient}`);
      patient = found;
    } else {
      patient = store.patients.create(choice.create);
      created = true;
      record(services, { changes: [{ type: 'patient.created', objectType: 'patient', objectId: patient.pseudoId, data: { by: 'identity-review' } }] });
    }
    const all = [review, ...sameExport(store, review, scan)];
    const reviews: IdentityReview[] = [];
    const scans: Scan[] = [];
    const queued: Job[] = [];
    for (const r of all) {
      const s = r.id === review.id ? scan : store.scans.get(r.scanId)!;
      if (s.patientId !== null && s.patientId !== patient.id) continue;
      scans.push(assignScan(services, s, patient, queued));
      const order = parseId(store.identity.evidence(s.id)?.evidence.fields.orderId?.value);
      if (order) store.patients.addExternalId(patient.id, order);
      store.identity.setMatch(s.id, 'resolved');
      reviews.push(store.identity.resolve(r.id, actor, patient.id, created ? 'created' : 'existing'));
      record(services, { changes: [{ type: 'identity.resolved', objectType: 'scan', objectId: s.uid, data: { review: r.id, patient: patient.pseudoId, resolution: created ? 'created' : 'existing' } }] });
    }
    return { patient: store.patients.get(patient.id)!, created, reviews, scans, queued };
  });
}
