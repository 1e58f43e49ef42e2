/**
 * The append-only, hash-chained audit log.
 *
 * `append` runs inside the caller's transaction when there is one, so an ingest stores the
 * scan and its audit event together or not at all. The chain head is read from the table
 * on each append (an indexed lookup of the last row) rather than cached, so a rolled-back
 * transaction can never leave a stale head behind.
 *
 * Checkpoints (seq, hash, time, Ed25519 signature) are written every `checkpointEvery`
 * events or `checkpointMinutes` minutes, to the table and as a JSON line appended (and
 * fsynced) to a file outside the database; never inside an open transaction, because a
 * checkpoint of an event that is then rolled back would look like truncation.
 */
import type { KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../store/database.js';
import { nowIso } from '../store/time.js';
import { eventHash, GENESIS_HASH, type AuditEvent, type AuditInput } from './event.js';
import { signCheckpoint, type SigningKey } from './signing.js';

export interface Checkpoint {
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

export interface AuditLogOptions {
  signingKey: SigningKey;
  checkpointFile: string;
  checkpointEvery: number;
  checkpointMinutes: number;
  clock?: () => number;
}

interface EventRow {
  seq: number; time: string; actor: string; action: string; object: string | null; outcome: AuditEvent['outcome'];
  source: string | null; details: string; prev_hash: string; hash: string;
}

export function rowToEvent(r: EventRow): AuditEvent {
  return {
    seq: r.seq, time: r.time, actor: r.actor, action: r.action, object: r.object, outcome: r.outcome,
    source: r.source, details: JSON.parse(r.details) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash,
  };
}

export class AuditLog {
  readonly #db: Db;
  readonly #options: AuditLogOptions;
  readonly #clock: () => number;
  readonly #stmts;
  #lastCheckpointAt: number;

  constructor(db: Db, options: AuditLogOptions) {
    this.#db = db;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#stmts = {
      head: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(`INSERT INTO audit_events (seq, time, actor, action, object, outcome, source, details, prev_hash, hash)
        VALUES (@seq, @time, @actor, @action, @object, @outcome, @source, @details, @prevHash, @hash)`),
      lastCheckpoint: db.prepare<[], Checkpoint>('SELECT seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1'),
      insertCheckpoint: db.prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (@seq, @hash, @time, @keyId, @signature)'),
      range: db.prepare<[number, number], EventRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
    const last = this.#stmts.lastCheckpoint.get();
    this.#lastCheckpointAt = last ? Date.parse(last.time) : this.#clock();
  }

  /** Append one event to the chain and return it as stored. */
  append(input: AuditInput, options: { lazySync?: boolean } = {}): AuditEvent {
    // A read's event may skip the fsync of its own commit (synchronous=NORMAL): it is in the
    // WAL at once, so a crash of the process loses nothing, and it reaches the disk with the
    // next synchronous commit or checkpoint — only a power cut in between could lose it.
    // Writes of patient data keep FULL: their event commits with the data.
    const lazy = options.lazySync === true && !this.#db.inTransaction;
    if (lazy) this.#db.pragma('synchronous = NORMAL');
    try {
      return this.#append(input);
    } finally {
      if (lazy) this.#db.pragma('synchronous = FULL');
    }
  }

  #append(input: AuditInput): AuditEvent {
    const write = this.#db.transaction(() => {
      const head = this.#stmts.head.get();
      const prevHash = head?.hash ?? GENESIS_HASH;
      const body = {
        seq: (head?.seq ?? 0) + 1,
        time: nowIso(this.#clock),
        actor: input.actor,
        action: input.action,
        object: input.object ?? null,
        outcome: input.outcome ?? 'success',
        source: input.source ?? null,
        details: input.details ?? {},
      };
      const event: AuditEvent = { ...body, prevHash, hash: eventHash(prevHash, body) };
      this.#stmts.insert.run({ ...event, details: JSON.stringify(event.details) });
      return event;
    });
    const event = write();
    if (!this.#db.inTransaction) this.maybeCheckpoint();
    return event;
  }

  /** The last event, or undefined for an empty log. */
  head(): { seq: number; hash: string } | undefined {
    return this.#stmts.head.get();
  }

  /** Events after `afterSeq`, oldest first. */
  events(afterSeq = 0, limit = 1000): AuditEvent[] {
    return this.#stmts.range.all(afterSeq, limit).map(rowToEvent);
  }

  /**
   * What `verifyAudit` needs to check this log: the public half of the signing key this
   * process loaded from its key file (not the copy in the database, which an attacker who
   * rewrote the database could have replaced) and the checkpoint file outside the database.
   */
  verifyOptions(): { publicKey: KeyObject; keyId: string; checkpointFile: string } {
    const { signingKey, checkpointFile } = this.#options;
    return { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile };
  }

  lastCheckpoint(): Checkpoint | undefined {
    return this.#stmts.lastCheckpoint.get();
  }

  /** Write a checkpoint when enough events or time have passed since the last one. */
  maybeCheckpoint(): Checkpoint | undefined {
    const head = this.#stmts.head.get();
    const last = this.#stmts.lastCheckpoint.get();
    if (!head || head.seq === (last?.seq ?? 0)) return undefined;
    const due = head.seq - (last?.seq ?? 0) >= this.#options.checkpointEvery
      || this.#clock() - this.#lastCheckpointAt >= this.#options.checkpointMinutes * 60_000;
    return due ? this.checkpoint() : undefined;
  }

  /** Sign the current head now (no-op when it is already checkpointed). */
  checkpoint(): Checkpoint | undefined {
    if (this.#db.inTransaction) throw new Error('audit checkpoint inside a transaction');
    const head = this.#stmts.head.get();
    const last = this.#stmts.lastCheckpoint.get();
    if (!head || head.seq === last?.seq) return last;
    const time = nowIso(this.#clock);
    const { signingKey } = this.#options;
    const checkpoint: Checkpoint = {
      seq: head.seq,
      hash: head.hash,
      time,
      keyId: signingKey.keyId,
      signature: signCheckpoint(signingKey, head.seq, head.hash, time),
    };
    // File first: a checkpoint in the file but not in the table is harmless (verify checks
    // it against the chain); the reverse would weaken truncation detection.
    appendCheckpointLine(this.#options.checkpointFile, checkpoint);
    this.#stmts.insertCheckpoint.run(checkpoint);
    this.#lastCheckpointAt = this.#clock();
    return checkpoint;
  }
}

/** Append one checkpoint as a JSON line and fsync, creating the file (0600) if needed. */
export function appendCheckpointLine(path: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  appendFileSync(path, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
