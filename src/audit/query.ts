/**
 * Reading the audit trail for people: filtered pages for auditors, and every event about
 * one patient for a GDPR export. Read-only; the chain itself is only written by AuditLog.
 */
import type { Db } from '../store/database.js';
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

type Row = Parameters<typeof rowToEvent>[0];

/** One page of events matching `filter`, oldest first; `next` continues after the last. */
export function queryAudit(db: Db, filter: AuditFilter): { events: AuditEvent[]; next: number | null } {
  const where: string[] = ['seq > ?'];
  const args: unknown[] = [filter.since ?? 0];
  if (filter.action?.endsWith('.*')) {
    // LIKE with an escape, so an action family cannot smuggle in wildcards of its own.
    where.push("action LIKE ? ESCAPE '\\'");
    args.push(`${filter.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  } else if (filter.action) {
    where.push('action = ?');
    args.push(filter.action);
  }
  if (filter.actor) { where.push('actor = ?'); args.push(filter.actor); }
  if (filter.object) { where.push('object = ?'); args.push(filter.object); }
  if (filter.outcome) { where.push('outcome = ?'); args.push(filter.outcome); }
  if (filter.from) { where.push('time >= ?'); args.push(filter.from); }
  if (filter.to) { where.push('time < ?'); args.push(filter.to); }
  const rows = db.prepare(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args, filter.limit + 1) as Row[];
  const more = rows.length > filter.limit;
  const events = rows.slice(0, filter.limit).map(rowToEvent);
  return { events, next: more ? events[events.length - 1].seq : null };
}

/**
 * Every event about a patient: those whose object is the patient or one of its scans,
 * and those that name the patient's pseudonymous id in their details (an ingest names
 * the scan as object and the patient in details).
 */
export function* eventsAbout(db: Db, pseudoId: string, scanUids: string[]): Generator<AuditEvent> {
  const objects = JSON.stringify([`patient:${pseudoId}`, ...scanUids.map((u) => `scan:${u}`)]);
  const rows = db.prepare(`SELECT * FROM audit_events
    WHERE object IN (SELECT value FROM json_each(?)) OR json_extract(details, '$.patient') = ?
    ORDER BY seq`).iterate(objects, pseudoId) as IterableIterator<Row>;
  for (const row of rows) yield rowToEvent(row);
}
