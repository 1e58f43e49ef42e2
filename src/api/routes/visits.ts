/**
 * Visits: the scans of one appointment, with the tags and notes of the check-in. People
 * create, edit and split visits, move a patient's scans between them, and review each one
 * (pending → reviewed | flagged). Every change is audited and in the changes feed; a scan
 * that lands in a visit with its other jaw gets the bite analysis queued.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { record } from '../../events/record.js';
import { queueVisitAnalyses } from '../../jobs/handlers/visit-analyses.js';
import type { Job } from '../../store/jobs.js';
import type { Visit, VisitItems } from '../../store/visits.js';
import { CLINICAL, route } from '../route.js';
import { annotationDto, annotationSchema } from '../schemas/annotation.js';
import { visitIdSchema } from '../schemas/patient.js';
import { scanDto, scanSchema } from '../schemas/scan.js';
import { createVisitSchema, moveToVisitSchema, reviewBodySchema, splitVisitSchema, updateVisitSchema, visitDetailDto, visitDetailSchema } from '../schemas/visit.js';
import type { ApiServices } from '../services.js';

const idParams = z.strictObject({ id: visitIdSchema });
const withScans = visitDetailSchema.extend({ scans: z.array(scanSchema) }).meta({ id: 'VisitWithScans' });

export function visitRoutes(s: ApiServices) {
  const { store } = s;
  const find = (id: number): Visit => {
    const visit = store.visits.get(id);
    if (!visit) throw new CuspError('not_found', `no visit ${id}`);
    return visit;
  };
  const full = (v: Visit) => ({ ...visitDetailDto(store, store.visits.get(v.id)!), scans: store.scans.forVisit(v.id).map((x) => scanDto(store, x)) });
  /**
   * Move items of the visit's patient into `to` (inside a transaction): a change per moved
   * scan, and the analyses its new place calls for (the bite with the visit's other jaw).
   */
  const moveInto = (to: Visit, items: VisitItems): Job[] => {
    const ids = store.visits.resolveItems(to.patientId, items);
    const before = new Map(ids.scans.map((id) => [id, store.scans.get(id)!.visitId]));
    store.visits.moveItems(to.id, ids);
    const queued: Job[] = [];
    for (const id of ids.scans) {
      const scan = store.scans.get(id)!;
      if (before.get(id) === to.id) continue;
      record(s, { changes: [{ type: 'scan.moved', objectType: 'scan', objectId: scan.uid, data: { visit: to.id, from: before.get(id) ?? null } }] });
      queued.push(...queueVisitAnalyses(s, scan));
    }
    return queued;
  };
  // Their job.queued events went out with the commit (record): wake the dispatcher.
  const started = (jobs: Job[]) => {
    if (jobs.length) s.dispatcher?.notify();
  };
  const patientOf = (v: Visit) => store.patients.pseudoIdOf(v.patientId) ?? null;
  return [
    route({
      method: 'GET', path: '/visits/:id', tag: 'visits', access: CLINICAL, summary: 'One visit with its review state, its scans and its tags and notes',
      params: idParams,
      response: withScans.extend({ annotations: z.array(annotationSchema) }),
      handler: ({ params }) => {
        const visit = find(params.id);
        return { ...full(visit), annotations: store.annotations.forVisit(visit.id).map((a) => annotationDto(store, a)) };
      },
      audit: ({ params }, result) => ({ action: 'visit.read', object: `visit:${params.id}`, details: { patient: result.patient } }),
    }),
    route({
      method: 'POST', path: '/visits', tag: 'visits', access: CLINICAL, status: 201,
      summary: 'Create a visit for a patient (also a second one on the same day), optionally moving some of the patient\'s scans into it',
      body: createVisitSchema, response: withScans,
      audits: 'visit.create',
      handler: ({ body, record: recordCall }) => {
        const patient = store.patients.getByPseudoId(body.patient);
        if (!patient) throw new CuspError('not_found', `no patient ${body.patient}`);
        const { visit, queued } = store.transaction(() => {
          const created = store.visits.create(patient.id, body.date, body.title ?? null);
          record(s, { changes: [{ type: 'visit.created', objectType: 'visit', objectId: created.id, data: { patient: patient.pseudoId } }] });
          const jobs = moveInto(created, { scans: body.scans });
          const scans = store.scans.forVisit(created.id).map((x) => x.uid);
          recordCall({ audit: { action: 'visit.create', object: `visit:${created.id}`, details: { patient: patient.pseudoId, scans } } });
          return { visit: created, queued: jobs };
        });
        started(queued);
        return full(visit);
      },
    }),
    route({
      method: 'PATCH', path: '/visits/:id', tag: 'visits', access: CLINICAL, summary: 'Change a visit\'s date or title (its scans keep their capture times)',
      params: idParams, body: updateVisitSchema, response: withScans,
      audits: 'visit.update',
      handler: ({ params, body, record: recordCall }) => {
        const visit = find(params.id);
        const updated = store.transaction(() => {
          const v = store.visits.update(visit.id, body);
          // Which fields changed, never the title's text.
          recordCall({
            audit: { action: 'visit.update', object: `visit:${params.id}`, details: { patient: patientOf(v), fields: Object.keys(body) } },
            changes: [{ type: 'visit.updated', objectType: 'visit', objectId: v.id, data: { patient: patientOf(v), fields: Object.keys(body) } }],
          });
          return v;
        });
        return full(updated);
      },
    }),
    route({
      method: 'POST', path: '/visits/:id/split', tag: 'visits', access: CLINICAL, status: 201,
      answers: { 409: 'A scan named is not in this visit, or the split would leave the visit empty' },
      summary: 'Split scans off into a new visit of the same patient (same day unless a date is given); at least one scan stays',
      params: idParams, body: splitVisitSchema, response: z.object({ from: withScans, to: withScans }),
      audits: 'visit.split',
      handler: ({ params, body, record: recordCall }) => {
        const visit = find(params.id);
        const inVisit = new Set(store.scans.forVisit(visit.id).map((x) => x.uid));
        const stranger = body.scans.find((uid) => !inVisit.has(uid));
        if (stranger) throw new CuspError('conflict', `scan ${stranger} is not in visit ${visit.id} — split off only scans of this visit (POST /visits/{id}/move moves others)`);
        if (body.scans.length >= store.visits.itemCount(visit.id)) {
          throw new CuspError('conflict', `that would move everything out of visit ${visit.id} — change its date with PATCH /visits/${visit.id} instead`);
        }
        const { to, queued } = store.transaction(() => {
          const created = store.visits.create(visit.patientId, body.date ?? visit.date, body.title ?? null);
          const jobs = moveInto(created, { scans: body.scans });
          recordCall({
            audit: { action: 'visit.split', object: `visit:${params.id}`, details: { patient: patientOf(visit), to: created.id, scans: body.scans } },
            changes: [{ type: 'visit.split', objectType: 'visit', objectId: visit.id, data: { patient: patientOf(visit), visit: created.id, scans: body.scans } }],
          });
          return { to: created, queued: jobs };
        });
        started(queued);
        return { from: full(visit), to: full(to) };
      },
    }),
    route({
      method: 'POST', path: '/visits/:id/move', tag: 'visits', access: CLINICAL,
      answers: { 409: 'A scan or photo named is not this patient\'s' },
      summary: 'Move scans and photos of the same patient into this visit (from another visit, or from none); the bite with the visit\'s other jaw is queued',
      params: idParams, body: moveToVisitSchema, response: withScans,
      audits: 'visit.move',
      handler: ({ params, body, record: recordCall }) => {
        const visit = find(params.id);
        const queued = store.transaction(() => {
          const jobs = moveInto(visit, body);
          recordCall({ audit: { action: 'visit.move', object: `visit:${params.id}`, details: { patient: patientOf(visit), scans: body.scans ?? [], images: body.images ?? [] } } });
          return jobs;
        });
        started(queued);
        return full(visit);
      },
    }),
    route({
      method: 'POST', path: '/visits/:id/review', tag: 'review', access: CLINICAL,
      summary: 'Review a visit: reviewed (nothing to do), flagged (needs follow-up) or back to pending, with an optional note; the caller is recorded',
      params: idParams, body: reviewBodySchema, response: visitDetailSchema,
      audits: 'visit.review',
      handler: ({ params, body, principal, record: recordCall }) => {
        const visit = find(params.id);
        const reviewed = store.transaction(() => {
          const v = store.visits.setReview(visit.id, body.state, principal.actor, body.note ?? null);
          // The note may name people: it stays in the visit, out of the audit trail.
          recordCall({
            audit: { action: 'visit.review', object: `visit:${params.id}`, details: { patient: patientOf(v), state: body.state, note: body.note !== undefined } },
            changes: [{ type: 'visit.review', objectType: 'visit', objectId: v.id, data: { patient: patientOf(v), state: body.state, from: visit.review.state } }],
          });
          return v;
        });
        return visitDetailDto(store, reviewed);
      },
    }),
  ];
}
