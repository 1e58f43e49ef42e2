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
 *
 * A checkpoint signs the head this process appended itself, kept in memory (its seq and
 * hash, advanced once the append is known to be committed), never a head re-read from the
 * table: someone with the database key who removes or rewrites the unsigned tail while the
 * daemon runs cannot get the daemon to sign over the gap. The checkpoint then records the
 * true head, the next verify names the missing event, and `tamper` says what was seen.
 */
import type { KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { CuspError } from '../errors.js';
import type { AuditEventRepository, AuditEventRow } from '../store/audit-events.js';
import { isDiskFull } from '../store/disk-space.js';
import { nowIso } from '../store/time.js';
import { eventHash, GENESIS_HASH, type AuditEvent, type AuditInput } from './event.js';
import { signCheckpoint, verifyCheckpoint, type SigningKey } from './signing.js';
import type { SyslogStatus } from './syslog.js';

export interface Checkpoint {
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

/** What sends checkpoints off the box (syslog.ts). */
export interface CheckpointForwarder {
  send(checkpoint: Checkpoint): void;
  status(): SyslogStatus;
}

export interface AuditLogOptions {
  signingKey: SigningKey;
  /** Public keys retired by 'cusp audit new-signing-key', by key id (for verifying older checkpoints). */
  retiredKeys?: Map<string, KeyObject>;
  checkpointFile: string;
  checkpointEvery: number;
  checkpointMinutes: number;
  clock?: () => number;
  /** How many reads may wait for room on a full disk before reads are refused; MAX_LATE_READS by default. */
  maxLateReads?: number;
}

type EventRow = AuditEventRow;

/**
 * How many reads a full disk may leave waiting for their audit event; past it reads are
 * refused (disk_full). 10,000 small objects: a few MB of memory, hours of a clinic's reads.
 */
export const MAX_LATE_READS = 10_000;

/** A read answered while the disk was full, its event not yet written. */
interface LateRead {
  input: AuditInput;
  /** When the read happened (the event's own `time` is when it could be written). */
  at: string;
}

export function rowToEvent(r: EventRow): AuditEvent {
  return {
    seq: r.seq, time: r.time, actor: r.actor, action: r.action, object: r.object, outcome: r.outcome,
    source: r.source, details: JSON.parse(r.details) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash,
  };
}

export class AuditLog {
  readonly #rows: AuditEventRepository;
  readonly #options: AuditLogOptions;
  readonly #clock: () => number;
  /** Appends an event in a transaction (a savepoint inside the caller's). */
  readonly #write: (input: AuditInput) => AuditEvent;
  #lastCheckpointAt: number;
  /** The seq of the last checkpoint this process knows of (another process's makes it low, never high). */
  #checkpointedSeq: number;
  /**
   * The newest committed event this process appended (or the table's head when it opened):
   * what the next checkpoint signs.
   */
  #head: { seq: number; hash: string } | undefined;
  /** Events (seq, hash) appended inside a caller's transaction, not yet known to be committed. */
  #pending: Array<{ seq: number; hash: string }> = [];
  #settleQueued = false;
  /** What showed that the table was changed under this process (first sighting), if anything. */
  #tamper: string | undefined;
  readonly #listeners: Array<(checkpoint: Checkpoint) => void> = [];
  #forwarder: CheckpointForwarder | undefined;
  #forwardedSeq = 0;
  readonly #tamperListeners: Array<(reason: string) => void> = [];
  /** Reads answered on a full disk whose events wait to be written, oldest first. */
  #lateReads: LateRead[] = [];
  readonly #lateListeners: Array<(waiting: number, written: number) => void> = [];

  constructor(rows: AuditEventRepository, options: AuditLogOptions) {
    this.#rows = rows;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#write = rows.atomically((input: AuditInput) => {
      let head = this.#rows.head();
      // Against the committed head only: a pending event may have been rolled back.
      const known = this.#head;
      if (known && (head?.seq ?? 0) < known.seq) {
        // Events this process appended and saw committed are gone: the chain goes on from
        // the true head, so the gap stays in the table for verify to name.
        this.#noteTamper(`audit event ${known.seq}, appended by this daemon, is gone from the table (it ends at event ${head?.seq ?? 0}): events were removed with the database key — run 'cusp audit verify'`);
        head = known;
      }
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
      this.#rows.insert(event);
      return event;
    });
    const last = this.#rows.lastCheckpoint();
    this.#lastCheckpointAt = last ? Date.parse(last.time) : this.#clock();
    this.#checkpointedSeq = last?.seq ?? 0;
    // The one time the head is taken from the table: what was there when this process opened it.
    this.#head = this.#rows.head();
  }

  /** Append one event to the chain and return it as stored (in the caller's transaction when there is one). */
  append(input: AuditInput): AuditEvent {
    this.#settle();
    const event = this.#write(input);
    this.#appended(event);
    return event;
  }

  /**
   * After `#write`: outside a transaction the event is committed and becomes the signed
   * head; inside the caller's it is pending until that transaction ends. better-sqlite3's
   * transactions are synchronous, so by the next microtask it has committed or rolled back.
   */
  #appended(event: AuditEvent): void {
    if (!this.#rows.inTransaction) {
      this.#settle();
      this.#head = { seq: event.seq, hash: event.hash };
      this.#afterCommit(event.seq);
      return;
    }
    this.#pending.push({ seq: event.seq, hash: event.hash });
    if (!this.#settleQueued) {
      this.#settleQueued = true;
      queueMicrotask(() => {
        this.#settleQueued = false;
        if (!this.#rows.open || this.#rows.inTransaction) return;
        try {
          this.#settle();
          if (this.#head) this.#afterCommit(this.#head.seq);
        } catch {
          // A checkpoint that cannot be written now (a full disk): no caller to tell here;
          // the next append or the daemon's timer tries again, and the timer logs it.
        }
      });
    }
  }

  /**
   * The newest pending event still in the table with its hash was committed (and with it
   * the transactions before it); the ones after it were rolled back. Usually one lookup.
   */
  #settle(): void {
    if (this.#pending.length === 0 || this.#rows.inTransaction) return;
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const event = this.#pending[i];
      if (event.seq <= (this.#head?.seq ?? 0)) break;
      if (this.#rows.hashAt(event.seq) === event.hash) {
        this.#head = event;
        break;
      }
    }
    this.#pending = [];
  }

  #noteTamper(reason: string): void {
    if (this.#tamper !== undefined) return;
    this.#tamper = reason;
    for (const listener of this.#tamperListeners) listener(reason);
  }

  /** Call `listener` once, when the table is first seen changed under this process. */
  onTamper(listener: (reason: string) => void): void {
    this.#tamperListeners.push(listener);
  }

  /**
   * What showed that the audit table was changed under this process (an event it appended
   * removed or rewritten), or undefined. Once seen it stays until the process restarts:
   * the daemon reports it in /health until a person has looked.
   */
  get tamper(): string | undefined {
    return this.#tamper;
  }

  /** Call `listener` with every checkpoint this process signs (syslog forwarding). */
  onCheckpoint(listener: (checkpoint: Checkpoint) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Send every checkpoint this process signs to `forwarder` (the syslog collector), the
   * newest one already signed first, so the collector learns the head at once.
   */
  forwardTo(forwarder: CheckpointForwarder): void {
    this.#forwarder = forwarder;
    this.onCheckpoint((checkpoint) => {
      this.#forwardedSeq = Math.max(this.#forwardedSeq, checkpoint.seq);
      forwarder.send(checkpoint);
    });
    const last = this.lastCheckpoint();
    if (last) {
      this.#forwardedSeq = last.seq;
      forwarder.send(last);
    }
  }

  /**
   * Forward the newest stored checkpoint when another process (a `cusp` command writing
   * to the trail) signed it: the daemon's timer calls this. Only one this key verifies.
   */
  forwardStored(): void {
    const forwarder = this.#forwarder;
    const last = forwarder ? this.lastCheckpoint() : undefined;
    if (!forwarder || !last || last.seq <= this.#forwardedSeq) return;
    this.#forwardedSeq = last.seq;
    const { signingKey } = this.#options;
    if (last.keyId === signingKey.keyId && verifyCheckpoint(signingKey.publicKey, last.seq, last.hash, last.time, last.signature)) forwarder.send(last);
  }

  /** Where checkpoints are forwarded, and how that goes (health, metrics). */
  forwarding(): SyslogStatus | undefined {
    return this.#forwarder?.status();
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
   *
   * A full disk (SQLITE_FULL, ENOSPC) does not refuse the read: the API keeps answering
   * while ingest waits. Its event is held in memory, oldest first, and written before any
   * later read's as soon as there is room (the next read, or `writeLateReads` when the disk
   * monitor sees space back), with `details.readAt`, when the read happened. Beyond
   * MAX_LATE_READS waiting, reads are refused (disk_full): none goes unrecorded past what
   * memory holds. Returns the event, or undefined while it waits.
   */
  appendRead(input: AuditInput): AuditEvent | undefined {
    this.#settle();
    if (this.#lateReads.length > 0 && !this.writeLateReads()) return this.#holdRead(input);
    let event: AuditEvent;
    try {
      event = this.#rows.withoutFsync(() => this.#write(input));
    } catch (err) {
      if (!isDiskFull(err) || this.#rows.inTransaction) throw err;
      return this.#holdRead(input);
    }
    this.#appended(event);
    return event;
  }

  #holdRead(input: AuditInput): undefined {
    if (this.#lateReads.length >= (this.#options.maxLateReads ?? MAX_LATE_READS)) {
      throw new CuspError('disk_full', `the data folder's disk is full and ${this.#lateReads.length} reads already wait to be written to the audit trail: no more are answered until there is room — free some space on that disk`);
    }
    this.#lateReads.push({ input, at: nowIso(this.#clock) });
    for (const listener of this.#lateListeners) listener(this.#lateReads.length, 0);
    return undefined;
  }

  /**
   * Write the events of reads held while the disk was full, oldest first, each with the
   * time of its read (`details.readAt`). True when none waits any more; false when the disk
   * is still full (the rest wait, in order).
   */
  writeLateReads(): boolean {
    let written = 0;
    try {
      while (this.#lateReads.length > 0) {
        const { input, at } = this.#lateReads[0];
        const event = this.#rows.withoutFsync(() => this.#write({ ...input, details: { ...input.details, readAt: at } }));
        this.#lateReads.shift();
        written++;
        this.#appended(event);
      }
    } catch (err) {
      if (!isDiskFull(err)) throw err;
    }
    if (written > 0) for (const listener of this.#lateListeners) listener(this.#lateReads.length, written);
    return this.#lateReads.length === 0;
  }

  /** How many reads answered on a full disk still wait for their audit event. */
  get lateReads(): number {
    return this.#lateReads.length;
  }

  /**
   * Call `listener` when a read's event has to wait for room (`written` 0) and when waiting
   * ones were written (`written` > 0); `waiting` is how many wait after that.
   */
  onLateReads(listener: (waiting: number, written: number) => void): void {
    this.#lateListeners.push(listener);
  }

  /** After a commit that made `seq` the head: a checkpoint when one is due (no query unless it may be). */
  #afterCommit(seq: number): void {
    if (seq <= this.#checkpointedSeq) return;
    if (seq - this.#checkpointedSeq >= this.#options.checkpointEvery || this.#clock() - this.#lastCheckpointAt >= this.#options.checkpointMinutes * 60_000) {
      try {
        this.maybeCheckpoint();
      } catch (err) {
        // The event is committed; a checkpoint that finds no room is not the caller's
        // failure (seen: a read answered 500 on a full disk when one fell due). The next
        // append or the daemon's timer signs it once there is room; the timer logs.
        if (!isDiskFull(err)) throw err;
      }
    }
  }

  /** The last event in the table, or undefined for an empty log. */
  head(): { seq: number; hash: string } | undefined {
    return this.#rows.head();
  }

  /** The newest committed event this process appended (what it signs next), or the table's head when it opened. */
  appendedHead(): { seq: number; hash: string } | undefined {
    this.#settle();
    return this.#head;
  }

  /** Events after `afterSeq`, oldest first. */
  events(afterSeq = 0, limit = 1000): AuditEvent[] {
    return this.#rows.range(afterSeq, limit).map(rowToEvent);
  }

  /**
   * What `verifyAudit` needs to check this log: the public half of the signing key this
   * process loaded from its key file (not the copy in the database, which an attacker who
   * rewrote the database could have replaced) and the checkpoint file outside the database.
   */
  verifyOptions(): { publicKey: KeyObject; keyId: string; checkpointFile: string; retiredKeys?: Map<string, KeyObject> } {
    const { signingKey, checkpointFile, retiredKeys } = this.#options;
    return { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile, retiredKeys };
  }

  lastCheckpoint(): Checkpoint | undefined {
    return this.#rows.lastCheckpoint();
  }

  /** Write a checkpoint when enough events or time have passed since the last one. */
  maybeCheckpoint(): Checkpoint | undefined {
    this.#settle();
    const head = this.#head;
    const last = this.#rows.lastCheckpoint();
    this.#checkpointedSeq = Math.max(this.#checkpointedSeq, last?.seq ?? 0);
    if (!head || head.seq <= this.#checkpointedSeq) return undefined;
    const due = head.seq - this.#checkpointedSeq >= this.#options.checkpointEvery
      || this.#clock() - this.#lastCheckpointAt >= this.#options.checkpointMinutes * 60_000;
    return due ? this.checkpoint() : undefined;
  }

  /**
   * Sign the head this process appended now (no-op when it is already checkpointed). When
   * the table no longer holds that event as appended, the checkpoint is signed all the same
   * — it is the evidence — and `tamper` says what was found.
   */
  checkpoint(): Checkpoint | undefined {
    if (this.#rows.inTransaction) throw new Error('audit checkpoint inside a transaction');
    this.#settle();
    const head = this.#head;
    const last = this.#rows.lastCheckpoint();
    this.#checkpointedSeq = Math.max(this.#checkpointedSeq, last?.seq ?? 0);
    if (!head || head.seq <= this.#checkpointedSeq) return last;
    const stored = this.#rows.hashAt(head.seq);
    if (stored !== head.hash) {
      this.#noteTamper(stored === undefined
        ? `audit event ${head.seq}, appended by this daemon, is gone from the table: events were removed with the database key — the checkpoint signed at it records the true head; run 'cusp audit verify'`
        : `audit event ${head.seq}, appended by this daemon, was rewritten in the table: the checkpoint signed at it records the hash it was written with; run 'cusp audit verify'`);
    }
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
    this.#rows.insertCheckpoint(checkpoint);
    this.#lastCheckpointAt = this.#clock();
    this.#checkpointedSeq = checkpoint.seq;
    for (const listener of this.#listeners) {
      try {
        listener(checkpoint);
      } catch {
        // A forwarder's trouble is its own (it logs it); the checkpoint stands.
      }
    }
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
