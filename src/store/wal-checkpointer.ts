/**
 * Checkpoints on a thread of their own, so the thread that serves the API never does one.
 *
 * In WAL mode every commit appends pages to the WAL, and a checkpoint later copies them into
 * the database file. SQLite runs that checkpoint on the thread that commits, once the WAL
 * passes `wal_autocheckpoint` pages. With the cipher in the VFS (SQLite3 Multiple Ciphers)
 * a checkpoint decrypts every frame from the WAL and encrypts it again into the database:
 * measured here, 3.3 of the 4.5 ms that storing one 256 KiB chunk of a scan took on the
 * API's thread, and the same again for each chunk freed by a deletion.
 *
 * While the thread runs, the main connection's automatic checkpoint is only a backstop
 * (WAL_BACKSTOP_PAGES, should the thread fall 64 MiB behind); the thread runs a PASSIVE
 * checkpoint every `intervalMs`, which takes no lock a reader or writer waits for. If the
 * thread cannot start, or dies, the main connection checkpoints as before, with a warning.
 *
 * Key rotation must `pause` it (leaving WAL mode needs the only connection) and `resume`
 * with the new key.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/index.js';
import { databaseOf } from './handle.js';
import { WAL_AUTOCHECKPOINT_PAGES, WAL_BACKSTOP_PAGES, type Db } from './database.js';
import type { Store } from './store.js';

/** What the thread gets in workerData. */
export interface CheckpointThreadData {
  path: string;
  key: Uint8Array;
  intervalMs: number;
}

/** What the thread posts. */
export type CheckpointThreadMessage =
  | { kind: 'ready' }
  | { kind: 'wal'; log: number; lag: number; frames: number; runs: number }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

export interface CheckpointerOptions {
  /** The main connection (its automatic checkpoint is turned down while the thread runs). */
  db: Db;
  path: string;
  log: Logger;
  /** How often the thread checkpoints; 50 ms keeps the WAL to a few MB during an ingest. */
  intervalMs?: number;
  /** The compiled thread script (tests, the executable); found next to this module otherwise. */
  workerFile?: string;
}

export interface CheckpointerStats {
  running: boolean;
  /** WAL frames the thread copied into the database since the checkpointer was made. */
  frames: number;
  /** Checkpoints that copied something. */
  runs: number;
  /** The WAL after the thread's last checkpoint: frames in it, and frames not yet copied. */
  wal: { log: number; lag: number };
}

/**
 * Back-pressure for big writers (a scan's chunks, a deletion's freed pages), which can
 * write twice as fast as a checkpoint re-encrypts:
 * - never more than LAG_PAGES (8 MiB) ahead of the thread;
 * - once the WAL holds RESTART_PAGES (32 MiB), wait until the thread has copied all of it,
 *   so that the next write starts the WAL over instead of growing it to the backstop.
 * The wait is asynchronous (the API keeps serving). A thread that is merely slow (it runs
 * at nice 10 on a busy machine) is waited for; one that copies nothing for WAIT_MS (a
 * reader holding old frames, a stuck thread) is not: the writer goes on and the main
 * connection's backstop checkpoint takes over.
 */
export const LAG_PAGES = 2048;

interface Waiter {
  timer: NodeJS.Timeout;
  done: () => void;
  rearm: () => void;
}
export const RESTART_PAGES = 8192;
const WAIT_MS = 2000;

/**
 * The thread's script. Threads run compiled JavaScript: when Cusp runs from its TypeScript
 * sources (tests, tsx), it comes from the build in dist/, as the job workers do.
 */
export function checkpointWorkerFile(): string {
  const url = import.meta.url;
  if (url.endsWith('.ts')) {
    const here = fileURLToPath(url);
    const at = here.lastIndexOf('/src/store/');
    return `${here.slice(0, at)}/dist/src/store/wal-checkpoint.worker.js`;
  }
  return fileURLToPath(new URL('./wal-checkpoint.worker.js', url));
}

export class WalCheckpointer {
  readonly #o: Required<CheckpointerOptions>;
  #worker?: Worker;
  #stats = { frames: 0, runs: 0 };
  #base = { frames: 0, runs: 0 };
  #wal = { log: 0, lag: 0 };
  #waiters: Waiter[] = [];
  #stopping = false;
  /** The key the thread was started with, kept for `resume` after a pause. */
  #key?: Buffer;
  #paused = false;
  /** Counts stops: a start still waiting for its thread when a stop came gives up. */
  #stops = 0;
  #pausedAt = 0;

  constructor(options: CheckpointerOptions) {
    this.#o = { intervalMs: 50, workerFile: checkpointWorkerFile(), ...options };
  }

  get stats(): CheckpointerStats {
    return { running: this.#worker !== undefined, frames: this.#base.frames + this.#stats.frames, runs: this.#base.runs + this.#stats.runs, wal: { ...this.#wal } };
  }

  #roomy(): boolean {
    if (!this.#worker) return true;
    const { log, lag } = this.#wal;
    return lag < LAG_PAGES && (log < RESTART_PAGES || lag === 0);
  }

  /**
   * Resolves when a big writer may write its next piece of about `pages` pages (see
   * LAG_PAGES): at once while the thread keeps up or does not run, else when it has caught
   * up, or after WAIT_MS. The writer's pages count as not yet copied until the thread's
   * next report says otherwise (else a writer would see the same "caught up" twice).
   */
  writeRoom(pages: number): Promise<void> | undefined {
    if (this.#roomy()) {
      this.#grant(pages);
      return undefined;
    }
    return new Promise<void>((resolve) => {
      const waiter = {
        timer: setTimeout(() => this.#let(waiter), WAIT_MS),
        done: () => {
          clearTimeout(waiter.timer);
          this.#grant(pages);
          resolve();
        },
        rearm: () => {
          clearTimeout(waiter.timer);
          waiter.timer = setTimeout(() => this.#let(waiter), WAIT_MS);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Let one waiting writer go (the thread made no progress for WAIT_MS). */
  #let(waiter: Waiter): void {
    const at = this.#waiters.indexOf(waiter);
    if (at >= 0) this.#waiters.splice(at, 1);
    waiter.done();
  }

  #grant(pages: number): void {
    if (this.#worker) this.#wal = { log: this.#wal.log + pages, lag: this.#wal.lag + pages };
  }

  #wake(): void {
    // One writer at a time: each grant counts its pages before the next is considered.
    while (this.#waiters.length > 0 && this.#roomy()) this.#waiters.shift()!.done();
  }

  /**
   * Start the thread with `key` and wait until its connection is open. Resolves false (and
   * leaves checkpoints to the main connection) when it cannot start; never rejects.
   */
  async start(key: Buffer): Promise<boolean> {
    if (this.#worker) return true;
    this.#stopping = false;
    const stops = this.#stops;
    this.#key = Buffer.from(key);
    const data: CheckpointThreadData = { path: this.#o.path, key: new Uint8Array(key), intervalMs: this.#o.intervalMs };
    let worker: Worker;
    try {
      worker = new Worker(this.#o.workerFile, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    } catch (err) {
      this.#o.log.warn(`checkpoints stay on the main thread: cannot start their thread (${(err as Error).message})`);
      return false;
    }
    data.key.fill(0);
    const ready = await new Promise<boolean>((resolve) => {
      const onMessage = (msg: CheckpointThreadMessage) => {
        if (msg.kind === 'ready') {
          worker.off('message', onMessage);
          resolve(true);
        } else if (msg.kind === 'failed') {
          this.#o.log.warn(`checkpoints stay on the main thread: their thread could not open the database (${msg.message})`);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (err) => {
        this.#o.log.warn(`checkpoints stay on the main thread: their thread failed (${err.message})`);
        resolve(false);
      });
      worker.once('exit', () => resolve(false));
    });
    // A stop while the thread was opening (the daemon stopping during a key rotation's
    // resume): a thread started now would keep the database open and the process alive.
    if (!ready || stops !== this.#stops) {
      await worker.terminate();
      return false;
    }
    this.#worker = worker;
    this.#stats = { frames: 0, runs: 0 };
    worker.on('message', (msg: CheckpointThreadMessage) => this.#onMessage(msg));
    worker.on('error', (err) => this.#o.log.error(`the checkpoint thread failed: ${err.message}`));
    worker.on('exit', () => this.#onExit(worker));
    // From here the thread checkpoints; the main connection only if it falls far behind.
    this.#o.db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    this.#o.log.info('WAL checkpoints run on a thread of their own');
    return true;
  }

  #onMessage(msg: CheckpointThreadMessage): void {
    if (msg.kind === 'wal') {
      // The thread made progress: waiting writers give it another WAIT_MS.
      if (msg.frames > this.#stats.frames) for (const w of this.#waiters) w.rearm();
      this.#stats = { frames: msg.frames, runs: msg.runs };
      this.#wal = { log: msg.log, lag: msg.lag };
      this.#wake();
    } else if (msg.kind === 'failed') this.#o.log.error(`the checkpoint thread stopped: ${msg.message}`);
  }

  #onExit(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#base = { frames: this.#base.frames + this.#stats.frames, runs: this.#base.runs + this.#stats.runs };
    this.#stats = { frames: 0, runs: 0 };
    this.#wal = { log: 0, lag: 0 };
    this.#wake();
    if (this.#o.db.open) this.#o.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    if (!this.#stopping) this.#o.log.warn('the checkpoint thread exited; checkpoints are back on the main thread');
  }

  /** Stop the thread for a key rotation; `resume` starts it again if it ran. */
  async pause(): Promise<void> {
    this.#paused = this.#worker !== undefined;
    // Counted before waiting: a stop for good while this one waits (the daemon stopping in
    // the middle of a rotation) must keep `resume` from starting a thread after the daemon
    // closed the database — a live thread would keep the process from ever exiting.
    const stopping = this.stop();
    this.#pausedAt = this.#stops;
    await stopping;
  }

  /** Start again after `pause`, with the rotated key (or the old one when the rotation failed). */
  async resume(key?: Buffer): Promise<boolean> {
    if (!this.#paused || !this.#key) return false;
    this.#paused = false;
    if (this.#stops !== this.#pausedAt) return false; // stopped for good meanwhile (the daemon stops)
    return this.start(key ?? this.#key);
  }

  /**
   * Stop the thread after a last checkpoint and close its connection; checkpoints go back
   * to the main connection. Start again with `start` (with a new key after a rotation).
   */
  async stop(): Promise<void> {
    this.#stops++;
    const worker = this.#worker;
    if (!worker) return;
    this.#stopping = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ cmd: 'stop' });
    const timeout = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timeout);
  }
}

/**
 * What the daemon runs: the store's checkpoints on their own thread, and its big writers
 * paced by it. When the thread cannot start, the store checkpoints as before.
 */
export async function startCheckpointThread(store: Store, key: Buffer, log: Logger, options: Partial<CheckpointerOptions> = {}): Promise<WalCheckpointer> {
  const checkpointer = new WalCheckpointer({ db: databaseOf(store), path: store.path, log, ...options });
  if (await checkpointer.start(key)) store.paceWrites((pages) => checkpointer.writeRoom(pages));
  return checkpointer;
}
