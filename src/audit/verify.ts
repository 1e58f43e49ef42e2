/**
 * Verifying the audit trail: every event's hash, every link, every checkpoint in the
 * database and in the file outside it. The answer names the first bad event and says in
 * words what is wrong with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditEventRepository, AuditEventRow } from '../store/audit-events.js';
import { rowToEvent, type Checkpoint } from './audit-log.js';
import { eventHash, GENESIS_HASH } from './event.js';
import { verifyCheckpoint } from './signing.js';

export interface VerifyProblem {
  /** The event the problem is at (null when it is not tied to one). */
  seq: number | null;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  headSeq: number;
  headHash: string;
  checkpoints: number;
  fileCheckpoints: number;
  lastCheckpoint?: Checkpoint;
  /** Every problem found, lowest event first; `problems[0]` is the first bad link. */
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** The trusted checkpoint key (from the signing key file, not from the database). */
  publicKey: KeyObject;
  keyId: string;
  checkpointFile: string;
  /**
   * Public keys retired by 'cusp audit new-signing-key', by key id: checkpoints that name
   * one are checked with it (from the retired keys' file beside the signing key).
   */
  retiredKeys?: Map<string, KeyObject>;
  onProgress?: (done: number, total: number) => void;
}

interface Source { checkpoint: Checkpoint; where: 'database' | 'file' }

function readCheckpointFile(path: string, problems: VerifyProblem[]): Checkpoint[] {
  if (!existsSync(path)) return [];
  const out: Checkpoint[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const c = JSON.parse(line) as Checkpoint;
      if (typeof c.seq !== 'number' || typeof c.hash !== 'string' || typeof c.signature !== 'string' || typeof c.time !== 'string') throw new Error('fields');
      out.push(c);
    } catch {
      problems.push({ seq: null, message: `checkpoint file ${path} line ${i + 1} is not a checkpoint (edited or corrupted)` });
    }
  });
  return out;
}

type EventRow = AuditEventRow;

/**
 * The checks of one pass over the trail, fed the events in order (by `verifyAudit` in one
 * go, or by `verifyAuditAsync` a page per turn of the event loop).
 */
class ChainVerifier {
  readonly problems: VerifyProblem[] = [];
  readonly #options: VerifyOptions;
  readonly #dbCheckpoints: Checkpoint[];
  readonly #fileCheckpoints: Checkpoint[];
  readonly #bySeq = new Map<number, Source[]>();
  readonly total: number;
  count = 0;
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #chainBroken = false;

  constructor(rows: AuditEventRepository, options: VerifyOptions) {
    this.#options = options;
    this.#dbCheckpoints = rows.checkpoints();
    this.#fileCheckpoints = readCheckpointFile(options.checkpointFile, this.problems);
    for (const [list, where] of [[this.#dbCheckpoints, 'database'], [this.#fileCheckpoints, 'file']] as const) {
      for (const checkpoint of list) {
        const key = checkpoint.keyId !== options.keyId ? options.retiredKeys?.get(checkpoint.keyId) ?? options.publicKey : options.publicKey;
        if (!verifyCheckpoint(key, checkpoint.seq, checkpoint.hash, checkpoint.time, checkpoint.signature)) {
          this.problems.push({ seq: checkpoint.seq, message: `the ${where} checkpoint at event ${checkpoint.seq} has an invalid signature (forged, altered, or signed by another key than ${options.keyId})` });
          continue;
        }
        const at = this.#bySeq.get(checkpoint.seq) ?? [];
        at.push({ checkpoint, where });
        this.#bySeq.set(checkpoint.seq, at);
      }
    }
    this.total = rows.count();
    options.onProgress?.(0, this.total);
  }

  feed(row: EventRow): void {
    this.count++;
    if (this.#options.onProgress && this.count % 10_000 === 0) this.#options.onProgress(this.count, this.total);
    if (this.#chainBroken) return;
    const event = rowToEvent(row);
    const expectedSeq = this.#expectedSeq;
    if (event.seq !== expectedSeq) {
      this.problems.push({ seq: expectedSeq, message: event.seq > expectedSeq
        ? `event ${expectedSeq}${event.seq - expectedSeq > 1 ? `–${event.seq - 1}` : ''} is missing (removed from the log)`
        : `event ${event.seq} appears twice or out of order` });
      this.#chainBroken = true;
      return;
    }
    if (event.prevHash !== this.#prevHash) {
      this.problems.push({ seq: event.seq, message: `event ${event.seq} does not link to the event before it (an event was removed, inserted or reordered)` });
      this.#chainBroken = true;
      return;
    }
    let recomputed: string;
    try {
      recomputed = eventHash(this.#prevHash, event);
    } catch {
      recomputed = '';
    }
    if (recomputed !== event.hash) {
      this.problems.push({ seq: event.seq, message: `event ${event.seq} was changed after it was written (its hash does not match its content)` });
      this.#chainBroken = true;
      return;
    }
    for (const { checkpoint, where } of this.#bySeq.get(event.seq) ?? []) {
      if (checkpoint.hash !== event.hash) {
        this.problems.push({ seq: event.seq, message: `the ${where} checkpoint signed at ${checkpoint.time} does not match event ${event.seq} (the log was rewritten up to here)` });
      }
    }
    this.#prevHash = event.hash;
    this.#expectedSeq++;
  }

  finish(): VerifyResult {
    const problems = this.problems;
    const headSeq = this.#expectedSeq - 1;
    for (const [seq, sources] of this.#bySeq) {
      if (seq <= headSeq || this.#chainBroken) continue;
      const c = sources[0];
      problems.push({ seq: headSeq + 1, message: `the log ends at event ${headSeq}, but the ${c.where} checkpoint signed at ${c.checkpoint.time} records event ${seq}: events ${headSeq + 1}–${seq} were cut off` });
    }
    const fileSeqs = new Set(this.#fileCheckpoints.map((c) => c.seq));
    for (const c of this.#dbCheckpoints) {
      if (!fileSeqs.has(c.seq)) {
        problems.push({ seq: c.seq, message: `the checkpoint at event ${c.seq} is in the database but not in ${this.#options.checkpointFile} (the file was truncated or replaced)` });
      }
    }
    problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    const dbCheckpoints = this.#dbCheckpoints;
    const lastCheckpoint = dbCheckpoints.length > 0 ? dbCheckpoints[dbCheckpoints.length - 1] : undefined;
    this.#options.onProgress?.(this.count, this.total);
    return {
      ok: problems.length === 0,
      events: this.count,
      headSeq,
      headHash: this.#prevHash,
      checkpoints: dbCheckpoints.length,
      fileCheckpoints: this.#fileCheckpoints.length,
      lastCheckpoint,
      problems,
    };
  }
}

/** Verify the whole audit trail. Streams the events, so memory stays flat for any length. */
export function verifyAudit(rows: AuditEventRepository, options: VerifyOptions): VerifyResult {
  const verifier = new ChainVerifier(rows, options);
  for (const row of rows.iterate()) verifier.feed(row);
  return verifier.finish();
}

/** Events checked per turn of the event loop by `verifyAuditAsync` (about 20 ms of work). */
const PAGE = 2_000;

/**
 * `verifyAudit` for the running daemon: a page of events per turn of the event loop, so
 * the API keeps answering while a million events are checked (10 s of work). Events
 * appended meanwhile are not part of this pass: it checks the trail as it was when it began.
 */
export async function verifyAuditAsync(rows: AuditEventRepository, options: VerifyOptions): Promise<VerifyResult> {
  const verifier = new ChainVerifier(rows, options);
  const head = rows.maxSeq();
  let after = 0;
  for (;;) {
    const page = rows.page(after, head, PAGE);
    for (const row of page) verifier.feed(row);
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
    await yieldToEventLoop();
  }
  return verifier.finish();
}
