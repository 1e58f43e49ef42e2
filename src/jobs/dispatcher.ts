/**
 * The job dispatcher: takes queued jobs from the database and runs each in a worker thread
 * started through Bree, at most `concurrency` at once.
 *
 * The main thread prepares a job's input (reads the blob from the encrypted store) and
 * transfers the bytes to the worker; the worker computes and posts `{progress}` then one
 * `{result}` or `{error}`; the main thread stores the outcome. A worker that throws, runs
 * out of memory, exceeds its time or exits early leaves a failed (or retried) job with
 * the reason — the daemon lives on.
 */
import type { Worker } from 'node:worker_threads';
import Bree from 'bree';
import { CuspError, isCuspError, type ErrorCode } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/index.js';
import type { Job } from '../store/jobs.js';
import type { Store } from '../store/store.js';
import { INPUT_KEY, transferables, type JobInput, type WorkerMessage } from './protocol.js';
import { workerFile } from './worker-path.js';

export interface JobFailure {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** What a job kind does on the main thread, around its worker. */
export interface JobHandler<R = unknown> {
  kind: string;
  /** Worker script base name (`<worker>.worker.js`). */
  worker: string;
  /**
   * Read what the worker needs (async: big blobs are read a chunk per turn of the event
   * loop). Throwing fails the job (retryable unless a CuspError says otherwise).
   */
  prepare(job: Job): Omit<JobInput, 'jobId' | 'kind'> | Promise<Omit<JobInput, 'jobId' | 'kind'>>;
  /** Store a result. Runs on the main thread; may enqueue follow-up jobs. */
  complete(job: Job, result: R): void | Promise<void>;
  /** The job failed for good (not retried). */
  failed(job: Job, failure: JobFailure): void;
}

export interface DispatcherOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  handlers: JobHandler[];
  workerDir: string;
  concurrency: number;
  timeoutMs: number;
  retryBackoffMs: number;
  /** Heap limit of one worker; over it the job fails as out of memory. */
  workerHeapMb?: number;
  /** How often to look for delayed jobs that became due. */
  pollMs?: number;
}

interface Running {
  job: Job;
  name: string;
  worker?: Worker;
  timer?: NodeJS.Timeout;
  settled: boolean;
  cancelled: boolean;
  timedOut: boolean;
  lastProgressWrite: number;
  progress: number;
  stage: string | null;
}

/** How often progress is written to the database at most (events go out on every message). */
const PROGRESS_WRITE_MS = 1000;

export class JobDispatcher {
  readonly #o: Required<DispatcherOptions>;
  readonly #handlers: Map<string, JobHandler>;
  readonly #running = new Map<number, Running>();
  readonly #bree: Bree;
  #started = false;
  #pumping = false;
  #notifiedWhilePumping = false;
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #pollTimer?: NodeJS.Timeout;
  #seq = 0;
  /** Results being stored (`complete` writes big artifacts a chunk per turn); stop waits for them. */
  readonly #completing = new Set<Promise<void>>();

  constructor(options: DispatcherOptions) {
    this.#o = { workerHeapMb: 4096, pollMs: 1000, ...options };
    this.#handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    const quiet = (..._args: unknown[]) => undefined;
    this.#bree = new Bree({
      root: false,
      doRootCheck: false,
      jobs: [],
      // Bree's own logging of each worker start/exit goes to our debug level.
      logger: { info: quiet, warn: quiet, error: (msg: unknown) => this.#o.log.debug(String(msg)) } as unknown as Bree.BreeLogger,
      workerMessageHandler: quiet,
      errorHandler: quiet,
    });
  }

  /** Queue again the jobs a crash left running, then start taking jobs. */
  start(): void {
    const requeued = this.#o.store.jobs.requeueInterrupted();
    if (requeued > 0) this.#o.log.info(`${requeued} job(s) interrupted by the last stop will run again`);
    this.#started = true;
    this.#pollTimer = setInterval(() => this.notify(), this.#o.pollMs);
    this.#pollTimer.unref();
    this.notify();
  }

  /** Stop taking jobs; stop running workers and queue their jobs again for the next start. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    const running = [...this.#running.values()];
    for (const r of running) {
      r.settled = true;
      if (r.timer) clearTimeout(r.timer);
      await r.worker?.terminate();
      await this.#bree.remove(r.name).catch(() => undefined);
    }
    this.#running.clear();
    await Promise.allSettled([...this.#completing]);
    this.#o.store.jobs.requeueInterrupted();
  }

  /** Something was queued: look for work now. */
  notify(): void {
    if (!this.#started) return;
    if (this.#pumping) {
      // A pass is under way and may have looked before this job was queued: look again after it.
      this.#notifiedWhilePumping = true;
      return;
    }
    this.#pumping = true;
    void this.#pump().finally(() => {
      this.#pumping = false;
      if (this.#notifiedWhilePumping) {
        this.#notifiedWhilePumping = false;
        this.notify();
      }
    });
  }

  /** Jobs running now, with their progress. */
  running(): Array<{ jobId: number; kind: string; scanId: number | null; progress: number; stage: string | null }> {
    return [...this.#running.values()].map((r) => ({ jobId: r.job.id, kind: r.job.kind, scanId: r.job.scanId, progress: r.progress, stage: r.stage }));
  }

  /** Cancel a queued or running job. Returns false when it was neither. */
  cancel(jobId: number): boolean {
    const r = this.#running.get(jobId);
    if (r) {
      r.cancelled = true;
      void r.worker?.terminate();
    }
    const changed = this.#o.store.jobs.cancel(jobId);
    if (changed && !r) {
      const job = this.#o.store.jobs.get(jobId)!;
      this.#o.bus.emit('job.finished', { jobId, kind: job.kind, scanId: job.scanId, state: 'cancelled', error: null });
    }
    return changed;
  }

  /**
   * Run a worker once, outside the queue and its concurrency limit (the ingest try-read:
   * short, and it must not wait behind long analyses). Resolves with the worker's result;
   * rejects with a CuspError carrying the worker's error code and message.
   */
  async runOnce<R>(worker: string, input: Omit<JobInput, 'jobId'>, timeoutMs = this.#o.timeoutMs): Promise<R> {
    const name = `once-${++this.#seq}`;
    await this.#bree.add({
      name,
      path: workerFile(this.#o.workerDir, worker),
      worker: {
        workerData: { [INPUT_KEY]: { ...input, jobId: 0 } },
        transferList: transferables(input),
        resourceLimits: { maxOldGenerationSizeMb: this.#o.workerHeapMb },
      },
    });
    try {
      await this.#bree.run(name);
      const w = this.#bree.workers.get(name);
      if (!w) throw new CuspError('internal', 'the worker did not start');
      return await new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new CuspError('unavailable', `${worker} timed out after ${Math.round(timeoutMs / 1000)} s`));
          void w.terminate();
        }, timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          fn();
          void w.terminate();
        };
        w.on('message', (msg: WorkerMessage<R>) => {
          if ('result' in msg) done(() => resolve(msg.result));
          else if ('error' in msg) done(() => reject(new CuspError(msg.error.code, msg.error.message)));
        });
        w.on('error', (err: Error & { code?: string }) => done(() => reject(new CuspError('internal',
          err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the ${worker} worker ran out of memory (limit ${this.#o.workerHeapMb} MB)` : `the ${worker} worker crashed: ${err.message}`))));
        w.on('exit', (code: number) => done(() => reject(new CuspError('internal', `the ${worker} worker exited (code ${code}) without a result`))));
      });
    } finally {
      await this.#bree.remove(name).catch(() => undefined);
    }
  }

  async #pump(): Promise<void> {
    while (this.#started && this.#running.size < this.#o.concurrency) {
      const job = this.#o.store.jobs.claimNext();
      if (!job) return;
      await this.#launch(job);
    }
  }

  async #launch(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.kind);
    const r: Running = { job, name: `job-${job.id}-${++this.#seq}`, settled: false, cancelled: false, timedOut: false, lastProgressWrite: 0, progress: 0, stage: null };
    this.#running.set(job.id, r);
    this.#o.bus.emit('job.started', { jobId: job.id, kind: job.kind, scanId: job.scanId, attempt: job.attempts });
    if (!handler) {
      this.#settle(r, { error: { code: 'internal', message: `no handler for job kind '${job.kind}'`, retryable: false } });
      return;
    }
    let input: JobInput;
    try {
      const prepared = await handler.prepare(job);
      input = { ...prepared, jobId: job.id, kind: job.kind };
    } catch (err) {
      const retryable = !(isCuspError(err) && (err.code === 'not_found' || err.code === 'mesh_rejected'));
      this.#settle(r, { error: { code: isCuspError(err) ? err.code : 'internal', message: (err as Error).message, retryable } });
      return;
    }
    if (r.cancelled || !this.#started) {
      // Cancelled, or the dispatcher stopped, while the input was being read.
      if (r.cancelled) this.#settle(r, { cancelled: true });
      return;
    }
    try {
      const transferList = transferables(input);
      await this.#bree.add({
        name: r.name,
        path: workerFile(this.#o.workerDir, handler.worker),
        worker: {
          workerData: { [INPUT_KEY]: input },
          transferList,
          resourceLimits: { maxOldGenerationSizeMb: this.#o.workerHeapMb },
        },
      });
      await this.#bree.run(r.name);
    } catch (err) {
      this.#settle(r, { error: { code: 'internal', message: `could not start a worker: ${(err as Error).message}`, retryable: true } });
      return;
    }
    const worker = this.#bree.workers.get(r.name);
    if (!worker) {
      this.#settle(r, { error: { code: 'internal', message: 'the worker did not start', retryable: true } });
      return;
    }
    r.worker = worker;
    if (r.cancelled) void worker.terminate(); // cancelled while the worker was starting
    r.timer = setTimeout(() => {
      r.timedOut = true;
      void worker.terminate();
    }, this.#o.timeoutMs);
    worker.on('message', (msg: WorkerMessage) => this.#onMessage(r, msg));
    worker.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.#settle(r, { error: {
        code: 'internal',
        message: oom ? `the worker ran out of memory (limit ${this.#o.workerHeapMb} MB)` : `the worker crashed: ${err.message}`,
        retryable: !oom,
      } });
    });
    worker.on('exit', (code: number) => {
      if (r.cancelled) this.#settle(r, { cancelled: true });
      else if (r.timedOut) this.#settle(r, { error: { code: 'unavailable', message: `timed out after ${Math.round(this.#o.timeoutMs / 1000)} s`, retryable: true } });
      else this.#settle(r, { error: { code: 'internal', message: `the worker exited (code ${code}) without a result`, retryable: true } });
    });
  }

  #onMessage(r: Running, msg: WorkerMessage): void {
    if (r.settled) return;
    if ('progress' in msg) {
      r.progress = msg.progress.fraction;
      r.stage = msg.progress.stage;
      const now = Date.now();
      if (now - r.lastProgressWrite >= PROGRESS_WRITE_MS) {
        r.lastProgressWrite = now;
        this.#o.store.jobs.setProgress(r.job.id, r.progress, r.stage);
      }
      this.#o.bus.emit('job.progress', { jobId: r.job.id, kind: r.job.kind, scanId: r.job.scanId, progress: r.progress, stage: r.stage });
    } else if ('result' in msg) {
      this.#settle(r, { result: msg.result });
    } else if ('error' in msg) {
      this.#settle(r, { error: msg.error });
    }
  }

  #settle(r: Running, outcome: { result: unknown } | { error: JobFailure } | { cancelled: true }): void {
    if (r.settled) return;
    r.settled = true;
    if (r.timer) clearTimeout(r.timer);
    this.#running.delete(r.job.id);
    if (r.worker) {
      void r.worker.terminate();
      void this.#bree.remove(r.name).catch(() => undefined);
    }
    const { store, bus, log } = this.#o;
    const { job } = r;
    const handler = this.#handlers.get(job.kind);
    let state: 'done' | 'failed' | 'cancelled' | 'queued';
    let error: string | null = null;
    if ('cancelled' in outcome) {
      state = 'cancelled';
    } else if ('result' in outcome) {
      const storing = this.#complete(job, handler!, outcome.result).finally(() => this.#completing.delete(storing));
      this.#completing.add(storing);
      return;
    } else {
      const failure = outcome.error;
      error = failure.message;
      if (failure.retryable && job.attempts < job.maxAttempts) {
        const delay = this.#o.retryBackoffMs * 2 ** (job.attempts - 1);
        store.jobs.retryLater(job.id, failure.message, delay);
        // A retry is pending work: wake up for it (and keep the process alive until then).
        const wake = setTimeout(() => {
          this.#retryTimers.delete(wake);
          this.notify();
        }, delay + 5);
        this.#retryTimers.add(wake);
        log.warn(`job ${job.id} (${job.kind}) attempt ${job.attempts} failed, retrying in ${Math.round(delay / 1000)} s: ${failure.message}`);
        state = 'queued';
      } else {
        store.jobs.fail(job.id, failure.message);
        log.warn(`job ${job.id} (${job.kind}) failed: ${failure.message}`);
        try {
          handler?.failed(job, failure);
        } catch (err) {
          log.error(`job ${job.id} (${job.kind}) failure could not be recorded`, { error: err });
        }
        state = 'failed';
      }
    }
    bus.emit('job.finished', { jobId: job.id, kind: job.kind, scanId: job.scanId, state, error });
    this.notify();
  }

  /** Store a worker's result through its handler; the job is done once that committed. */
  async #complete(job: Job, handler: JobHandler, result: unknown): Promise<void> {
    const { store, bus, log } = this.#o;
    let state: 'done' | 'failed';
    let error: string | null = null;
    try {
      await handler.complete(job, result);
      store.jobs.finish(job.id);
      state = 'done';
    } catch (err) {
      error = `storing the result failed: ${(err as Error).message}`;
      log.error(`job ${job.id} (${job.kind}) result could not be stored`, { error: err });
      store.jobs.fail(job.id, error);
      state = 'failed';
    }
    bus.emit('job.finished', { jobId: job.id, kind: job.kind, scanId: job.scanId, state, error });
    this.notify();
  }
}
