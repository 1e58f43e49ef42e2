/**
 * The audit trail's tables (`audit_events`, `audit_checkpoints`): every statement the audit
 * log, its verification and its readers run. The chain's rules — hashing, linking, signing —
 * live in src/audit; this file only reads and writes rows.
 */
import { openDatabase, withoutFsync, type Db } from './database.js';

/** An event as stored (snake_case columns, details as JSON text). */
export interface AuditEventRow {
  seq: number;
  time: string;
  actor: string;
  action: string;
  object: string | null;
  outcome: 'success' | 'failure' | 'denied';
  source: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** A signed checkpoint as stored. */
export interface CheckpointRow {
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

/** What the readers of the trail filter on (see src/audit/query.ts). */
export interface AuditRowFilter {
  since?: number;
  /** An exact action, or a prefix when it ends in `.*`. */
  action?: string;
  actor?: string;
  object?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

export class AuditEventRepository {
  readonly #db: Db;
  readonly #stmts;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      head: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
      headTime: db.prepare<[], { seq: number; time: string }>('SELECT seq, time FROM audit_events ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare<[number, string, string, string, string | null, string, string | null, string, string, string]>(
        'INSERT INTO audit_events (seq, time, actor, action, object, outcome, source, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      lastCheckpoint: db.prepare<[], CheckpointRow>('SELECT seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1'),
      checkpoints: db.prepare<[], CheckpointRow>('SELECT seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq'),
      insertCheckpoint: db.prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (@seq, @hash, @time, @keyId, @signature)'),
      range: db.prepare<[number, number], AuditEventRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?'),
      page: db.prepare<[number, number, number], AuditEventRow>('SELECT * FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?'),
      all: db.prepare<[], AuditEventRow>('SELECT * FROM audit_events ORDER BY seq'),
      hashAt: db.prepare<[number], { hash: string }>('SELECT hash FROM audit_events WHERE seq = ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_events'),
      maxSeq: db.prepare<[], { n: number }>('SELECT coalesce(max(seq), 0) AS n FROM audit_events'),
      lastOf: db.prepare<[string], AuditEventRow>('SELECT * FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT 1'),
      about: db.prepare<[string, string], AuditEventRow>(`SELECT * FROM audit_events
        WHERE object IN (SELECT value FROM json_each(?)) OR json_extract(details, '$.patient') = ?
        ORDER BY seq`),
    };
  }

  /**
   * `fn` as one transaction, or a savepoint inside the caller's: the append of one event
   * (its head read and its insert) is atomic either way.
   */
  atomically<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return this.#db.transaction(fn);
  }

  /** `fn` committed without an fsync of its own (reads of patient data: see AuditLog.appendRead). */
  withoutFsync<T>(fn: () => T): T {
    return withoutFsync(this.#db, fn);
  }

  /** True while a transaction is open on the connection (an append is then pending until it ends). */
  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  /** False once the connection was closed. */
  get open(): boolean {
    return this.#db.open;
  }

  /** The last event (seq and hash), or undefined for an empty trail. */
  head(): { seq: number; hash: string } | undefined {
    return this.#stmts.head.get();
  }

  /** The last event's seq and time, or undefined for an empty trail. */
  headTime(): { seq: number; time: string } | undefined {
    return this.#stmts.headTime.get();
  }

  insert(e: { seq: number; time: string; actor: string; action: string; object: string | null; outcome: string; source: string | null; details: Record<string, unknown>; prevHash: string; hash: string }): void {
    this.#stmts.insert.run(e.seq, e.time, e.actor, e.action, e.object, e.outcome, e.source, JSON.stringify(e.details), e.prevHash, e.hash);
  }

  /** The stored hash of event `seq`, or undefined when there is no such event. */
  hashAt(seq: number): string | undefined {
    return this.#stmts.hashAt.get(seq)?.hash;
  }

  /** Events after `afterSeq`, oldest first. */
  range(afterSeq: number, limit: number): AuditEventRow[] {
    return this.#stmts.range.all(afterSeq, limit);
  }

  /** Events after `afterSeq` up to `headSeq`, oldest first (a verification's page). */
  page(afterSeq: number, headSeq: number, limit: number): AuditEventRow[] {
    return this.#stmts.page.all(afterSeq, headSeq, limit);
  }

  /** Every event, oldest first, streamed (memory stays flat for any length). */
  iterate(): IterableIterator<AuditEventRow> {
    return this.#stmts.all.iterate();
  }

  count(): number {
    return this.#stmts.count.get()!.n;
  }

  /** The highest seq (0 for an empty trail). */
  maxSeq(): number {
    return this.#stmts.maxSeq.get()!.n;
  }

  /** The newest event with `action`, or undefined. */
  lastOf(action: string): AuditEventRow | undefined {
    return this.#stmts.lastOf.get(action);
  }

  /** Events whose object is one of `objects` or whose details name `patient`, oldest first. */
  about(objects: string[], patient: string): IterableIterator<AuditEventRow> {
    return this.#stmts.about.iterate(JSON.stringify(objects), patient);
  }

  /** Up to `limit` events matching `filter`, oldest first. */
  query(filter: AuditRowFilter, limit: number): AuditEventRow[] {
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
    return this.#db.prepare(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args, limit) as AuditEventRow[];
  }

  lastCheckpoint(): CheckpointRow | undefined {
    return this.#stmts.lastCheckpoint.get();
  }

  /** Every stored checkpoint, oldest first. */
  checkpoints(): CheckpointRow[] {
    return this.#stmts.checkpoints.all();
  }

  insertCheckpoint(checkpoint: CheckpointRow): void {
    this.#stmts.insertCheckpoint.run(checkpoint);
  }
}

/** An audit trail opened on its own connection (a command beside or without the daemon). */
export interface OpenedTrail {
  readonly events: AuditEventRepository;
  /** The database's schema version (0: a database without tables). */
  schemaVersion(): number;
  /** False once closed. */
  readonly open: boolean;
  close(): void;
}

/**
 * Open the database at `path` for its audit trail alone: no migration, nothing else read.
 * `readonly` and `exclusive` are openDatabase's (a check that must not write; a read on a
 * full disk with no daemon running).
 */
export function openAuditTrail(path: string, key: Buffer, options: { readonly?: boolean; exclusive?: boolean } = {}): OpenedTrail {
  const db = openDatabase(path, key, options);
  let events: AuditEventRepository | undefined;
  return {
    // Prepared on first use: a database without tables must still be opened, asked its
    // version and refused.
    get events() {
      events ??= new AuditEventRepository(db);
      return events;
    },
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    get open() {
      return db.open;
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}
