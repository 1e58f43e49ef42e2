/**
 * The visit a scan or photo of `date` belongs to: the patient's first visit that day, or a
 * new one — recorded as `visit.created` in the change feed (who made it: `by`), as a visit a
 * person creates is, so practice software following the feed sees every visit, not only
 * the ones made through POST /visits. Call it inside the caller's transaction.
 */
import { record, type RecordServices } from '../events/record.js';
import type { Visit } from '../store/visits.js';

/** What made the visit: a scan taken in, a photo taken in, or a person assigning a scan. */
export type VisitMaker = 'ingest' | 'photo' | 'assignment';

export function visitOfDay(services: RecordServices, patientId: number, date: string, by: VisitMaker): Visit {
  const { store } = services;
  return store.visits.findOrCreate(patientId, date, (created) => {
    record(services, { changes: [{ type: 'visit.created', objectType: 'visit', objectId: created.id, data: { patient: store.patients.pseudoIdOf(patientId) ?? null, by } }] });
  });
}
