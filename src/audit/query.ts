/**
 * Reading the audit trail for people: filtered pages for auditors, and every event about
 * one patient for a GDPR export. Read-only; the chain itself is only written by AuditLog.
 */
import type { AuditEventRepository } from '../store/audit-events.js';
import { rowToEvent } from './audit-log.js';
import type { AuditEvent, Outcome } from './event.js';

export interface AuditFilter {
  /** Events after this sequence number (the `next` of the previous page). */
  since?: number;
  /** An action (`scan.read`) or a family of actions (`scan.*`). */
  action?: string;
  actor?: string;
  object?: string;
  outcome?: Outcome;
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  limit: number;
}

/** One page of events matching `filter`, oldest first; `next` continues after the last. */
export function queryAudit(rows: AuditEventRepository, filter: AuditFilter): { events: AuditEvent[]; next: number | null } {
  const { limit, ...where } = filter;
  const found = rows.query(where, limit + 1);
  const more = found.length > limit;
  const events = found.slice(0, limit).map(rowToEvent);
  return { events, next: more ? events[events.length - 1].seq : null };
}

/**
 * Every event about a patient: those whose object is the patient or one of its scans,
 * and those that name the patient's pseudonymous id in their details (an ingest names
 * the scan as object and the patient in details).
 */
export function* eventsAbout(rows: AuditEventRepository, pseudoId: string, scanUids: string[]): Generator<AuditEvent> {
  for (const row of rows.about([`patient:${pseudoId}`, ...scanUids.map((u) => `scan:${u}`)], pseudoId)) yield rowToEvent(row);
}
