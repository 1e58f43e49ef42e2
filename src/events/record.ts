/**
 * Recording a fact of the record — something stored changed — in one step: its audit event,
 * its row(s) in the change feed and its bus event(s), so no writer assembles the three by
 * hand and none of them can be forgotten or get out of step.
 *
 * The audit event and the changes are written in the caller's transaction (or one of their
 * own when there is none): the fact is stored with the data or not at all. The bus events
 * go out after that transaction commits (Store.afterCommit), so a listener — the live
 * stream, the console — never hears of data a rollback then took back.
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditEvent, AuditInput } from '../audit/event.js';
import type { Store } from '../store/store.js';
import type { CuspEventName, CuspEvents, EventBus } from './bus.js';

/** What `record` writes to: the audit log and the bus only need be there for facts that use them. */
export interface RecordServices {
  store: Store;
  audit?: AuditLog;
  bus?: EventBus;
}

/** One row of the change feed: what happened to which object (ids only, never names). */
export interface ChangeFact {
  type: string;
  objectType: string;
  objectId: string | number;
  data?: Record<string, unknown>;
}

/** A bus event with its payload, checked against the event map. */
export type BusFact = { [K in CuspEventName]: { name: K; payload: CuspEvents[K] } }[CuspEventName];

/** A fact: any of its three parts, each optional (a change alone, a change with its event…). */
export interface Fact {
  audit?: AuditInput;
  changes?: ChangeFact[];
  events?: BusFact[];
}

/** A bus event for `record`'s `events` (the payload is checked against the event's name). */
export function busEvent<K extends CuspEventName>(name: K, payload: CuspEvents[K]): BusFact {
  return { name, payload } as BusFact;
}

/**
 * Record `fact`: its audit event and changes in the caller's transaction, its bus events once
 * that commits. Returns the audit event as stored, when the fact has one.
 *
 * Where the line is: every writer of stored data records through here — ingest, jobs that
 * store results or queue work, folders, retention, erasure, photos, and the API's writes.
 * An API write records the request's audit event here too, with its changes and events in
 * one fact, through `input.record` (api/mount.ts fills actor and source from the caller)
 * inside the transaction of its change — so does every other API call that is not a read
 * (tokens and principals, links, key rotation, audit verification), once its outcome is
 * known. Audit events that are not facts of the record keep calling the audit log
 * directly: reads (api/mount.ts after the handler, appendRead), downloads and exports,
 * refused or failed requests and logins, and operations on the installation rather than
 * its data outside the API (daemon start and stop, backups and restores, a retention run's
 * summary). They have no row in the change feed. So do bus events that carry progress
 * rather than a change (job started/progress/finished, folder state, audit verification
 * progress). A change row is only ever written here.
 */
export function record(services: RecordServices, fact: Fact): AuditEvent | undefined {
  const { store, audit, bus } = services;
  if ((fact.audit && !audit) || (fact.events?.length && !bus)) throw new Error(`record: the fact needs ${fact.audit && !audit ? 'the audit log' : 'the event bus'}, which was not given`);
  const writes = fact.audit !== undefined || (fact.changes?.length ?? 0) > 0;
  const event = !writes ? undefined : store.transaction(() => {
    const stored = fact.audit ? audit!.append(fact.audit) : undefined;
    for (const c of fact.changes ?? []) store.changes.append(c.type, c.objectType, c.objectId, c.data ?? {});
    return stored;
  });
  if (fact.events && fact.events.length > 0) {
    const events = fact.events;
    store.afterCommit(() => {
      for (const e of events) bus!.emit(e.name, e.payload as never);
    });
  }
  return event;
}
