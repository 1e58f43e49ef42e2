/**
 * Storing one accepted scan: bytes, siblings, patient, visit, version, scan row, the
 * validation job, the audit event and the change record — in one transaction, so either
 * all of it is in the database or none of it is.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { busEvent, record, type RecordServices } from '../events/record.js';
import { compareNames, type IdentityConflict, type IdentityEvidence, type PatientHint, type ScanIdentity } from '../rules/index.js';
import type { IdentityMatch, IdentityReview, ReviewReason } from '../store/identity.js';
import type { Patient } from '../store/patients.js';
import type { ArrivalFile, Scan } from '../store/scans.js';
import type { Visit } from '../store/visits.js';
import type { StagedBlob, StagedFile } from '../store/blobs.js';
import type { Store } from '../store/store.js';
import { visitOfDay } from './visit-of-day.js';

export interface AcceptedScan {
  bytes: Uint8Array;
  sha256: string;
  /** Folder name (or 'upload' / 'import'), recorded as the scan's source. */
  source: string;
  /** Path inside the folder (or the uploaded name): where the file came from. */
  originalName: string;
  format: string;
  identity: ScanIdentity;
  /** Sibling files stored with the scan, by URI relative to the scan. */
  siblings: Array<{ uri: string; bytes: Uint8Array }>;
  /** Who caused it, for the audit trail ('system' for a watched folder). */
  actor: string;
  /** Where from, for the audit trail (an IP address for uploads). */
  sourceAddress?: string | null;
  /** Inspection profile for the validation job. */
  profile: 'scan' | 'solid';
  /** The scan's chunks, written ahead by `BlobStore.stage` (then the transaction only links them). */
  staged?: StagedBlob;
  /** The siblings' chunks, in the order of `siblings`. */
  stagedSiblings?: StagedBlob[];
  /** The drop-folder file it was read from (size, mtime), recorded with its arrival. */
  file?: ArrivalFile;
  /** The scan's chunks staged from a file (an upload spooled to disk): `bytes` is then empty. */
  stagedFile?: StagedFile;
  /** Where each field of `identity` came from; its conflicts send the scan to identity review. */
  evidence?: IdentityEvidence;
}

const MEDIA_TYPES: Record<string, string> = {
  mtl: 'text/plain', bin: 'application/octet-stream', xml: 'application/xml', dentalproject: 'application/xml', html: 'text/html', htm: 'text/html', zip: 'application/zip', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', json: 'application/json',
};

/** The media type of a source file, by its extension. */
export function mediaType(uri: string): string {
  const ext = uri.slice(uri.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

/** How a hint was matched to a stored patient, or why a person must decide. */
export interface Resolution {
  patient: Patient | null;
  created: boolean;
  match: IdentityMatch;
  /** Set when the scan waits in the identity review queue (patient is then null). */
  review?: { reason: ReviewReason; candidates: number[] };
}

const review = (reason: ReviewReason, candidates: Patient[]): Resolution => ({
  patient: null, created: false, match: 'review', review: { reason, candidates: [...new Set(candidates.map((p) => p.id))] },
});

/** Whether a stored patient's name contradicts the hint's (both known, other words). */
function nameContradicts(p: Patient, hint: PatientHint): boolean {
  if (!hint.lastName || !p.lastName) return false;
  return compareNames({ lastName: p.lastName, firstName: p.firstName ?? undefined }, hint) === 'different';
}

/** Whether the stored patient holds another id in the hint's id system: then it is someone else. */
function otherIdInSystem(p: Patient, hint: PatientHint): boolean {
  const ext = hint.externalId;
  return Boolean(ext && p.externalIds.some((e) => e.system === ext.system && e.value !== ext.value));
}

/**
 * The stored patient a hint names, never guessed: the same external id, else the same
 * scanner order, else the same last name, first name and birth date; a match by name alone
 * only when exactly one patient has the name (and no birth date or id says otherwise). A new
 * patient when no one matches. Conflicting sources, an id whose patient has another name,
 * and a name several patients share send the scan to identity review instead.
 */
export function resolvePatient(store: Store, hint: PatientHint, conflicts: IdentityConflict[] = []): Resolution {
  if (hint.pseudoId) return givenPatient(store, hint.pseudoId);
  const byId = hint.externalId ? store.patients.findByExternalId(hint.externalId.system, hint.externalId.value) : undefined;
  const byOrder = hint.orderId ? store.patients.findByExternalId(hint.orderId.system, hint.orderId.value) : undefined;
  const byName = hint.lastName ? store.patients.findAllByName(hint.lastName, hint.firstName).filter((p) => !otherIdInSystem(p, hint)) : [];
  if (conflicts.length > 0) return review('conflict', [...(byId ? [byId] : []), ...(byOrder ? [byOrder] : []), ...byName, ...conflictNamed(store, conflicts)]);
  for (const [found, match] of [[byId, 'external-id'], [byOrder, 'order']] as const) {
    if (!found) continue;
    if (nameContradicts(found, hint)) return review('id-mismatch', [found, ...byName]);
    return { patient: found, created: false, match };
  }
  const named = hint.lastName ? matchByName(hint, byName) : undefined;
  if (named) return named;
  if (!hint.lastName && !hint.firstName && !hint.externalId) return { patient: null, created: false, match: 'none' };
  return createPatient(store, hint);
}

/** The patient a caller named by pseudonymous id (an upload or a photo sent for a patient): it must exist. */
function givenPatient(store: Store, pseudoId: string): Resolution {
  const known = store.patients.getByPseudoId(pseudoId);
  if (!known) throw new CuspError('invalid_input', `no patient ${pseudoId}`);
  return { patient: known, created: false, match: 'given' };
}

/** The patients every conflicting source names (`Last, First` or a last name alone), not only the most trusted one's. */
function conflictNamed(store: Store, conflicts: IdentityConflict[]): Patient[] {
  return conflicts.filter((c) => c.field === 'name').flatMap((c) => c.values).flatMap((v) => {
    const comma = v.value.indexOf(', ');
    return comma < 0 ? store.patients.findAllByName(v.value, null) : store.patients.findAllByName(v.value.slice(0, comma), v.value.slice(comma + 2));
  });
}

/**
 * The one patient with the hint's name (no id matched): with a birth date, the one born that
 * day, else the one whose birth date is unknown; without, the only one with the name. Several
 * go to review; undefined when no one has the name (a new patient, then).
 */
function matchByName(hint: PatientHint, byName: Patient[]): Resolution | undefined {
  const sameBirth = hint.birthDate ? byName.filter((p) => p.birthDate === hint.birthDate) : [];
  if (sameBirth.length === 1) return { patient: sameBirth[0], created: false, match: 'name-birth' };
  if (sameBirth.length > 1) return review('ambiguous', sameBirth);
  // Same name, another birth date: another person. Same name, birth date unknown on either side: maybe.
  const maybe = hint.birthDate ? byName.filter((p) => p.birthDate === null) : byName;
  if (maybe.length === 1) return { patient: maybe[0], created: false, match: 'name' };
  if (maybe.length > 1) return review('ambiguous', maybe);
  return undefined;
}

/** A new patient from the hint, with the ids its sources gave. */
function createPatient(store: Store, hint: PatientHint): Resolution {
  const patient = store.patients.create({
    lastName: hint.lastName ?? null,
    firstName: hint.firstName ?? null,
    birthDate: hint.birthDate ?? null,
    externalIds: [hint.externalId, hint.orderId].filter((e): e is { system: string; value: string } => e !== undefined),
  });
  return { patient, created: true, match: 'created' };
}

/** A matched patient learns the ids the sources gave (an iTero order, a chart number) that no one holds yet. */
function learnIds(store: Store, patient: Patient, hint: PatientHint): void {
  if (hint.orderId) store.patients.addExternalId(patient.id, hint.orderId);
  if (hint.externalId && !patient.externalIds.some((e) => e.system === hint.externalId!.system)) store.patients.addExternalId(patient.id, hint.externalId);
}

/** `Upper Jaw (2).stl` and `upper jaw.STL` name the same export. */
function exportName(originalName: string): string {
  const base = originalName.slice(originalName.lastIndexOf('/') + 1).toLowerCase();
  return base.replace(/\s*\(\d+\)(?=\.[^.]+$|$)/, '');
}

export interface StoredScan {
  scan: Scan;
  patient: Patient | null;
  jobId: number;
  /** The identity review the scan waits in, when a person must say whose it is. */
  reviewId?: number;
}

/**
 * Store an accepted scan in one transaction and return it; its `scan.received` bus event
 * goes out once that commits. The steps run in this order inside it: the bytes first (the
 * scan row references its blob), the patient (matched or created) and what it learns, its
 * visit and the version this scan follows, the scan row, its siblings, the identity
 * evidence and review, the validation job, and last the audit event and change record that
 * describe all of it.
 */
export function storeScan(services: RecordServices & { audit: AuditLog; bus: EventBus }, input: AcceptedScan): StoredScan {
  const { store } = services;
  return store.transaction(() => {
    putScanBytes(store, input);
    const resolved = resolveScanPatient(store, input);
    const { patient } = resolved;
    // The feed names the patient before its visit, and the visit before the scan.
    if (resolved.created && patient) record(services, { changes: [{ type: 'patient.created', objectType: 'patient', objectId: patient.pseudoId, data: { by: 'ingest' } }] });
    const visit = patient && input.identity.capturedAt ? visitOfDay(services, patient.id, input.identity.capturedAt, 'ingest') : null;
    const previous = patient ? previousVersion(store, patient, input) : undefined;
    const scan = insertScan(store, input, patient, visit, previous);
    putSiblings(store, scan, input);
    if (input.evidence) store.identity.saveEvidence(scan.id, input.evidence, resolved.match);
    const reviewed = resolved.review ? store.identity.openReview(scan.id, resolved.review.reason, resolved.review.candidates) : undefined;
    const job = store.jobs.enqueue('validate', scan.id, { payload: { profile: input.profile } });
    recordIngest(services, input, scan, resolved, reviewed);
    return { scan, patient, jobId: job.id, reviewId: reviewed?.id };
  });
}

/** The scan's bytes: linked from the file an upload was staged from, else put from the chunks staged ahead. */
function putScanBytes(store: Store, input: AcceptedScan): void {
  if (input.stagedFile) store.blobs.linkStaged(input.stagedFile);
  else store.blobs.put(input.bytes, input.sha256, input.staged);
}

/** The patient the scan's identity names (none without a hint); a patient found, not created, learns the hint's ids. */
function resolveScanPatient(store: Store, input: AcceptedScan): Resolution {
  const hint = input.identity.patient;
  const resolved: Resolution = hint
    ? resolvePatient(store, hint, input.evidence?.conflicts)
    : { patient: null, created: false, match: 'none' };
  if (resolved.patient && !resolved.created && hint) learnIds(store, resolved.patient, hint);
  return resolved;
}

/** A re-export (same patient, jaw, day and file name) is a new version of the latest; the old one stays. */
function previousVersion(store: Store, patient: Patient, input: AcceptedScan): Scan | undefined {
  const { identity } = input;
  if (identity.jaw === 'other') return undefined;
  const latest = store.scans.latestVersion(patient.id, identity.jaw, identity.capturedAt);
  return latest && exportName(latest.originalName) === exportName(input.originalName) ? latest : undefined;
}

/** The scan row: its patient, visit and version, where it came from, and the drop file it was read from. */
function insertScan(store: Store, input: AcceptedScan, patient: Patient | null, visit: Visit | null, previous: Scan | undefined): Scan {
  const { identity } = input;
  return store.scans.insert({
    patientId: patient?.id ?? null,
    visitId: visit?.id ?? null,
    jaw: identity.jaw,
    capturedAt: identity.capturedAt,
    sourceFolder: input.source,
    scanner: identity.scanner,
    originalName: input.originalName,
    format: input.format,
    size: input.stagedFile?.size ?? input.bytes.length,
    sha256: input.sha256,
    version: previous ? previous.version + 1 : 1,
    supersedes: previous?.id ?? null,
    file: input.file,
  });
}

/** The sibling files, each a blob (from its staged chunks) and a `source:<uri>` artifact of the scan. */
function putSiblings(store: Store, scan: Scan, input: AcceptedScan): void {
  for (const [i, sibling] of input.siblings.entries()) {
    const blob = store.blobs.put(sibling.bytes, undefined, input.stagedSiblings?.[i]);
    store.artifacts.put(scan.id, `source:${sibling.uri}`, mediaType(sibling.uri), blob.hash, { size: sibling.bytes.length });
  }
}

/** The `scan.ingest` audit event, the `identity.review` (when one was opened) and `scan.received` changes, and the bus event. */
function recordIngest(services: RecordServices & { audit: AuditLog; bus: EventBus }, input: AcceptedScan, scan: Scan, resolved: Resolution, reviewed: IdentityReview | undefined): void {
  const patient = resolved.patient?.pseudoId ?? null;
  record(services, {
    audit: {
      actor: input.actor,
      action: 'scan.ingest',
      object: `scan:${scan.uid}`,
      source: input.sourceAddress ?? null,
      details: {
        source: input.source, format: input.format, size: scan.size, jaw: scan.jaw, version: scan.version,
        patient, patientCreated: resolved.created, rule: input.identity.rule, match: resolved.match,
        ...(reviewed ? { identityReview: reviewed.id, reviewReason: reviewed.reason } : {}),
      },
    },
    changes: [
      ...(reviewed ? [{ type: 'identity.review', objectType: 'scan', objectId: scan.uid, data: { review: reviewed.id, reason: reviewed.reason } }] : []),
      { type: 'scan.received', objectType: 'scan', objectId: scan.uid, data: { jaw: scan.jaw, patient, version: scan.version, source: input.source } },
    ],
    events: [busEvent('scan.received', { scanId: scan.id, uid: scan.uid, jaw: scan.jaw, patient, folder: input.source, format: scan.format, size: scan.size })],
  });
}
