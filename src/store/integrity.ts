/**
 * Corruption is found and said. A periodic check reads every page of the database on a
 * thread of its own (integrity-check.worker.ts: `PRAGMA quick_check` on a read-only
 * connection; every page's HMAC is checked as it is decrypted), so the API's thread never
 * waits for it; health, metrics and the console show the outcome.
 *
 * Cost, measured here (2 cores, SQLCipher 4, 4096-byte pages): a 205 MB database (52,536
 * pages) took 1.3–1.9 s of one core at nice 10, on its own connection and thread, most of
 * it decrypting; the API's thread only starts the thread and reads its answer. Once a day (store.integrityCheckHours, default 24) and
 * once store.integrityCheckDelayMinutes (default 10) after the start is cheap enough to
 * run on any clinic box; a damaged disk is then found within a day even for scans nobody
 * downloads.
 *
 * Reads of a scan's bytes check SHA-256 themselves (blobs.ts) and report what they find
 * here too (`noteCorruptRead`), so a damaged scan shows before the next check.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/index.js';

/** What the thread gets in workerData. */
export interface IntegrityThreadData {
  path: string;
  key: Uint8Array;
}

/** What the thread posts, once. */
export type IntegrityThreadMessage =
  | { kind: 'done'; ok: boolean; problems: string[]; problemCount: number; pages: number; seconds: number }
  | { kind: 'failed'; message: string; code?: string };

export type IntegrityState = 'unchecked' | 'ok' | 'corrupt' | 'error';

export interface IntegrityStatus {
  state: IntegrityState;
  /** When the last check ended (ISO), if one did. */
  checkedAt?: string;
  /** How long it took, in seconds. */
  seconds?: number;
  /** Pages read. */
  pages?: number;
  /** The first problem lines of the last check (page numbers, no data), or why it could not run. */
  problems: string[];
  /** Scans whose bytes a read found corrupt since the start (uids). */
  corruptScans: string[];
  running: boolean;
  /** One sentence for health and the console; undefined while nothing is wrong. */
  reason?: string;
}

export interface IntegrityCheckerOptions {
  path: string;
  /** The database key, read at each check (a key rotation in between changes it). */
  key: () => Buffer;
  log: Logger;
  /** Between checks; 0 turns the periodic check off (a check on request still runs). */
  intervalMs: number;
  /** The first check after start. */
  firstAfterMs: number;
  /** The compiled thread script; found next to this module otherwise. */
  workerFile?: string;
}

/** The thread's script (compiled JavaScript; from dist/ when Cusp runs from its sources). */
export function integrityWorkerFile(): string {
  const url = import.meta.url;
  if (url.endsWith('.ts')) {
    const here = fileURLToPath(url);
    return `${here.slice(0, here.lastIndexOf('/src/store/'))}/dist/src/store/integrity-check.worker.js`;
  }
  return fileURLToPath(new URL('./integrity-check.worker.js', url));
}

export class IntegrityChecker {
  readonly #o: IntegrityCheckerOptions;
  #state: IntegrityState = 'unchecked';
  #last?: { checkedAt: string; seconds?: number; pages?: number; problems: string[] };
  readonly #corruptScans = new Set<string>();
  #running?: Promise<IntegrityStatus>;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(options: IntegrityCheckerOptions) {
    this.#o = options;
  }

  /** Schedule the first check and the periodic ones. */
  start(): void {
    this.#stopped = false;
    this.#schedule(this.#o.firstAfterMs);
  }

  #schedule(ms: number): void {
    if (this.#stopped || (ms === this.#o.intervalMs && ms <= 0)) return;
    this.#timer = setTimeout(() => {
      void this.runNow().finally(() => {
        if (this.#o.intervalMs > 0) this.#schedule(this.#o.intervalMs);
      });
    }, Math.max(0, ms));
    this.#timer.unref();
  }

  /** Stop scheduling and wait for a check under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  get status(): IntegrityStatus {
    const corruptScans = [...this.#corruptScans];
    const last = this.#last;
    const reasons: string[] = [];
    if (this.#state === 'corrupt') {
      const first = last?.problems[0];
      reasons.push(`database corrupt: the integrity check at ${last?.checkedAt ?? 'start'} found damaged pages${first ? ` (${first})` : ''}`);
    } else if (this.#state === 'error') {
      reasons.push(`the database integrity check could not run: ${last?.problems[0] ?? 'unknown error'}`);
    }
    if (corruptScans.length > 0) {
      reasons.push(`stored bytes corrupt: ${corruptScans.length} scan(s) could not be read intact (${corruptScans.slice(0, 3).join(', ')}${corruptScans.length > 3 ? ', …' : ''})`);
    }
    const damaged = this.#state === 'corrupt' || corruptScans.length > 0;
    const reason = reasons.length === 0 ? undefined : `${reasons.join('; ')}${damaged ? ' — restore the database from a backup (cusp restore FILE)' : ''}`;
    return {
      state: corruptScans.length > 0 ? 'corrupt' : this.#state,
      checkedAt: last?.checkedAt, seconds: last?.seconds, pages: last?.pages, problems: last?.problems ?? [], corruptScans,
      running: this.#running !== undefined, reason,
    };
  }

  /** A read found a scan's bytes corrupt (blobs.ts): health says so until the next clean start. */
  noteCorruptRead(scanUid: string): void {
    if (this.#corruptScans.has(scanUid)) return;
    this.#corruptScans.add(scanUid);
    this.#o.log.error(`scan ${scanUid}: its stored bytes are corrupt — restore the database from a backup (cusp restore FILE)`, { code: 'storage_corrupt', scan: scanUid });
  }

  /** Run a check now (or join the one under way); resolves with the status after it. */
  runNow(): Promise<IntegrityStatus> {
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    }).then(() => this.status);
    return this.#running;
  }

  async #check(): Promise<void> {
    const { log } = this.#o;
    let key: Buffer;
    try {
      key = this.#o.key();
    } catch (err) {
      this.#record('error', [`the key cannot be read: ${(err as Error).message}`]);
      return;
    }
    const data: IntegrityThreadData = { path: this.#o.path, key: new Uint8Array(key) };
    const msg = await new Promise<IntegrityThreadMessage>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(this.#o.workerFile ?? integrityWorkerFile(), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 64 } });
      } catch (err) {
        resolve({ kind: 'failed', message: `cannot start its thread: ${(err as Error).message}` });
        return;
      } finally {
        data.key.fill(0);
      }
      let answer: IntegrityThreadMessage | undefined;
      worker.once('message', (m: IntegrityThreadMessage) => (answer = m));
      worker.once('error', (err) => (answer ??= { kind: 'failed', message: err.message }));
      worker.once('exit', (code) => resolve(answer ?? { kind: 'failed', message: `its thread exited (code ${code}) without an answer` }));
    });
    if (msg.kind === 'failed') {
      this.#record('error', [msg.message]);
      log.warn(`the database integrity check could not run: ${msg.message}`);
      return;
    }
    const before = this.#state;
    this.#record(msg.ok ? 'ok' : 'corrupt', msg.problems, msg.seconds, msg.pages);
    if (!msg.ok) {
      log.error(`database integrity check: ${msg.problemCount} problem(s) in the database file, first: ${msg.problems[0]} — restore the database from a backup (cusp restore FILE)`, { code: 'storage_corrupt' });
    } else if (before === 'corrupt') {
      log.info(`database integrity check: no problems found (${msg.pages} pages in ${msg.seconds.toFixed(1)} s)`);
    } else {
      log.info(`database integrity check: ok (${msg.pages} pages in ${msg.seconds.toFixed(1)} s)`);
    }
  }

  #record(state: IntegrityState, problems: string[], seconds?: number, pages?: number): void {
    this.#state = state;
    this.#last = { checkedAt: new Date().toISOString(), seconds, pages, problems };
  }
}
