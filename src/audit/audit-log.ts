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
import { withoutFsync, type Db } from '../store/database.js';
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
  /** Appends an event in a transaction (a savepoint inside the caller's). */
  readonly #write: (input: AuditInput) => AuditEvent;
  #lastCheckpointAt: number;
  /** The seq of the last checkpoint this process knows of (another process's makes it low, never high). */
  #checkpointedSeq: number;

  constructor(db: Db, options: AuditLogOptions) {
    this.#db = db;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#stmts = {
      head: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare<[number, string, string, string, string | null, string, string | null, string, string, string]>(
        'INSERT INTO audit_events (seq, time, actor, action, object, outcome, source, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      lastCheckpoint: db.prepare<[], Checkpoint>('SELECT seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1'),
      insertCheckpoint: db.prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (@seq, @hash, @time, @keyId, @signature)'),
      range: db.prepare<[number, number], EventRow>('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
    this.#write = db.transaction((input: AuditInput) => {
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
      this.#stmts.insert.run(event.seq, event.time, event.actor, event.action, event.object, event.outcome, event.source, JSON.stringify(event.details), event.prevHash, event.hash);
      return event;
    });
    const last = this.#stmts.lastCheckpoint.get();
    this.#lastCheckpointAt = last ? Date.parse(last.time) : this.#clock();
    this.#checkpointedSeq = last?.seq ?? 0;
  }

  /** Append one event to the chain and return it as stored (in the caller's transaction when there is one). */
  append(input: AuditInput): AuditEvent {
    const event = this.#write(input);
    if (!this.#db.inTransaction) this.#afterCommit(event.seq);
    return event;
  }

  /**
   * Append the event of a read of patient data, committed without an fsync of its own
   * (synchronous=NORMAL): it is in the WAL at once, so a crash of the process loses
   * nothing, and it reaches the disk with the next synchronous commit or checkpoint — only
   * a power cut in between could lose it. Writes of patient data keep FULL: their event
   * commits with the data (`append` in their transaction).
   *
   * Committed here and now, not batched with the other reads of the same turn of the event
   * loop: that was tried (one commit for all, the responses sent after it) and raised
   * capacity by a third, but the batch committed in the check phase behind any chunk step
   * of a scan being stored, so each response also waited for that step, and a listing's
   * p99 while a scan was processed got worse, not better.
   */
  appendRead(input: AuditInput): AuditEvent {
    const event = withoutFsync(this.#db, () => this.#write(input));
    if (!this.#db.inTransaction) this.#afterCommit(event.seq);
    return event;
  }

  /** After a commit that made `seq` the head: a checkpoint when one is due (no query unless it may be). */
  #afterCommit(seq: number): void {
    if (seq <= this.#checkpointedSeq) return;
    if (seq - this.#checkpointedSeq >= this.#options.checkpointEvery || this.#clock() - this.#lastCheckpointAt >= this.#options.checkpointMinutes * 60_000) {
      this.maybeCheckpoint();
    }
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
    this.#checkpointedSeq = Math.max(this.#checkpointedSeq, last?.seq ?? 0);
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
    this.#checkpointedSeq = checkpoint.seq;
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
