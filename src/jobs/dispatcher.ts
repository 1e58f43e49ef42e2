/**
 * The job dispatcher: the persistent queue. It takes queued jobs from the database (rows
 * that survive a crash) and runs each on a warm worker thread of the pool
 * (worker-pool.ts), at most `concurrency` at once, and retries a failed attempt with
 * backoff. Beside it: the wait on a full disk (disk-gate.ts) and one-off work on the same
 * pool outside the queue (run-once.ts). What each kind hands its worker and gets back is
 * typed by the registry (kinds.ts); the handlers around the workers are in handlers/.
 *
 * The main thread prepares a job's input (reads the blob from the encrypted store) and
 * transfers the bytes to the worker; the worker computes and posts `{progress}` then one
 * `{result}` or `{error}`; the main thread stores the outcome. A worker that throws, runs
 * out of memory, exceeds its time or exits early leaves a failed (or retried) job with
 * the reason — the daemon lives on.
 */
import { isCuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/index.js';
import { isDiskFull } from '../store/disk-space.js';
import type { Job } from '../store/jobs.js';
import type { Store } from '../store/store.js';
import type { AnyJobHandler, JobFailure } from './job-handler.js';
import { DiskGate } from './disk-gate.js';
import { runOnce } from './run-once.js';
import { workerOf, type JobKind, type ResultOf } from './kinds.js';
import type { JobPriority } from '../os/thread-priority.js';
import type { JobInput, WorkerMessage } from './protocol.js';
import { WorkerPool, type Warm } from './worker-pool.js';

export type { JobFailure, JobHandler } from './job-handler.js';

export interface DispatcherOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  handlers: AnyJobHandler[];
  workerDir: string;
  concurrency: number;
  timeoutMs: number;
  retryBackoffMs: number;
  /** Heap limit of one worker; over it the job fails as out of memory. */
  workerHeapMb?: number;
  /** How often to look for delayed jobs that became due. */
  pollMs?: number;
  /** How long an idle worker waits for another job before it exits. */
  warmIdleMs?: number;
  /** How job threads yield to the API (config jobs.priority); default 'idle'. */
  priority?: JobPriority;
  /**
   * How long jobs wait after a write failed for lack of space (SQLITE_FULL, ENOSPC) before
   * the dispatcher tries again; 15 s by default.
   */
  diskFullRetryMs?: number;
  /** Told of every write that failed for lack of space (the daemon's disk monitor). */
  onDiskFull?: (err: unknown) => void;
  /**
   * False while no job may start (the disk is below store.minFreeMegabytes: the space left
   * is kept for the audit trail and the API); call `notify` when it turns true again.
   * Jobs running already finish.
   */
  mayRun?: () => boolean;
}

interface Running {
  job: Job;
  warm?: Warm;
  /** Removes this job's listeners from its worker. */
  detach?: () => void;
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
  readonly #handlers: Map<string, AnyJobHandler>;
  readonly #running = new Map<number, Running>();
  readonly #pool: WorkerPool;
  #started = false;
  #pumping = false;
  #notifiedWhilePumping = false;
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #pollTimer?: NodeJS.Timeout;
  /** Results being stored (`complete` writes big artifacts a chunk per turn); stop waits for them. */
  readonly #completing = new Set<Promise<void>>();
  /** Jobs wait here while the disk is full (disk-gate.ts). */
  readonly #disk: DiskGate;

  constructor(options: DispatcherOptions) {
    this.#o = {
      ...options, workerHeapMb: options.workerHeapMb ?? 4096, pollMs: options.pollMs ?? 1000, warmIdleMs: options.warmIdleMs ?? 10_000, priority: options.priority ?? 'idle',
      diskFullRetryMs: options.diskFullRetryMs ?? 15_000, onDiskFull: options.onDiskFull ?? (() => undefined), mayRun: options.mayRun ?? (() => true),
    };
    this.#handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    const { workerDir, workerHeapMb, warmIdleMs, priority, concurrency } = this.#o;
    this.#pool = new WorkerPool({ workerDir, workerHeapMb, warmIdleMs, priority, maxIdlePerScript: concurrency });
    const { store, bus, log, diskFullRetryMs, onDiskFull } = this.#o;
    this.#disk = new DiskGate({ store, bus, log, retryMs: diskFullRetryMs, onDiskFull, onClear: () => this.notify() });
  }

  /** Queue again the jobs a crash left running, then start taking jobs. */
  start(): void {
    const requeued = this.#o.store.jobs.requeueInterrupted();
    if (requeued > 0) this.#o.log.info(`${requeued} job(s) interrupted by the last stop will run again`);
    this.#started = true;
    this.#disk.open();
    this.#pool.open();
    this.#pollTimer = setInterval(() => this.notify(), this.#o.pollMs);
    this.#pollTimer.unref();
    this.notify();
  }

  /** Stop taking jobs; stop running workers and queue their jobs again for the next start. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#pool.close();
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#disk.close();
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    const running = [...this.#running.values()];
    for (const r of running) {
      r.settled = true;
      if (r.timer) clearTimeout(r.timer);
      r.detach?.();
      if (r.warm) await this.#pool.retire(r.warm);
    }
    this.#running.clear();
    await this.#pool.retireAll();
    await Promise.allSettled([...this.#completing]);
    try {
      this.#o.store.jobs.requeueInterrupted();
    } catch (err) {
      // A full disk: the jobs stay `running` in the database; the next start queues them again.
      this.#o.log.warn(`could not queue the interrupted jobs again before stopping (the next start will): ${(err as Error).message}`);
    }
  }

  /** True while jobs wait for disk space. */
  get waitingForDisk(): boolean {
    return this.#disk.full;
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
    void this.#pump().catch((err: unknown) => {
      // Taking a job is a write: it fails on a full disk. Anything else is a bug worth a line.
      if (isDiskFull(err)) this.#disk.wait(err);
      else this.#o.log.error(`taking the next job failed: ${(err as Error).message}`, { error: err });
    }).finally(() => {
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

  /** Worker threads started so far, and those waiting warm for a job now. */
  workers(): { started: number; idle: number } {
    return this.#pool.counts();
  }

  /** Cancel a queued or running job. Returns false when it was neither. */
  cancel(jobId: number): boolean {
    const r = this.#running.get(jobId);
    if (r) {
      r.cancelled = true;
      if (r.warm) {
        r.warm.spent = true;
        void r.warm.worker.terminate();
      }
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
   * short, and it must not wait behind long analyses), on the same warm pool (run-once.ts).
   */
  runOnce<K extends JobKind>(kind: K, input: Omit<JobInput<K>, 'jobId' | 'kind'>, timeoutMs = this.#o.timeoutMs): Promise<ResultOf<K>> {
    return runOnce(this.#pool, kind, input, { timeoutMs, workerHeapMb: this.#o.workerHeapMb });
  }

  async #pump(): Promise<void> {
    while (this.#started && !this.#disk.full && this.#running.size < this.#o.concurrency && this.#o.mayRun()) {
      const job = this.#o.store.jobs.claimNext();
      if (!job) return;
      await this.#launch(job);
    }
  }

  async #launch(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.kind);
    const r: Running = { job, settled: false, cancelled: false, timedOut: false, lastProgressWrite: 0, progress: 0, stage: null };
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
      if (isDiskFull(err)) {
        // Reading the input wrote nothing of the job's; but a failed write around it did.
        this.#running.delete(job.id);
        this.#disk.wait(err, job.id);
        return;
      }
      const corrupt = isCuspError(err) && err.code === 'storage_corrupt';
      if (corrupt) this.#o.log.error(`job ${job.id} (${job.kind}) cannot run: ${(err as Error).message}`, { code: 'storage_corrupt', scanId: job.scanId });
      const retryable = !(isCuspError(err) && (err.code === 'not_found' || err.code === 'mesh_rejected' || corrupt));
      this.#settle(r, { error: { code: isCuspError(err) ? err.code : 'internal', message: (err as Error).message, retryable } });
      return;
    }
    if (r.cancelled || !this.#started) {
      // Cancelled, or the dispatcher stopped, while the input was being read.
      if (r.cancelled) this.#settle(r, { cancelled: true });
      return;
    }
    let warm: Warm;
    try {
      const script = workerOf(handler.kind, handler.worker);
      if (!script) throw new Error(`job kind '${handler.kind}' has no worker`);
      warm = this.#pool.acquire(script);
    } catch (err) {
      this.#settle(r, { error: { code: 'internal', message: `could not start a worker: ${(err as Error).message}`, retryable: true } });
      return;
    }
    r.warm = warm;
    const { worker } = warm;
    if (r.cancelled || !this.#started) {
      // Cancelled, or the dispatcher stopped, while the worker was starting.
      if (r.cancelled) this.#settle(r, { cancelled: true });
      else void this.#pool.retire(warm);
      return;
    }
    r.timer = setTimeout(() => {
      r.timedOut = true;
      warm.spent = true;
      void worker.terminate();
    }, this.#o.timeoutMs);
    const onMessage = (msg: WorkerMessage) => this.#onMessage(r, msg);
    const onError = (err: Error & { code?: string }) => {
      warm.spent = true;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.#settle(r, { error: {
        code: 'internal',
        message: oom ? `the worker ran out of memory (limit ${this.#o.workerHeapMb} MB)` : `the worker crashed: ${err.message}`,
        retryable: !oom,
      } });
    };
    const onExit = (code: number) => {
      warm.spent = true;
      if (r.cancelled) this.#settle(r, { cancelled: true });
      else if (r.timedOut) this.#settle(r, { error: { code: 'unavailable', message: `timed out after ${Math.round(this.#o.timeoutMs / 1000)} s`, retryable: true } });
      else this.#settle(r, { error: { code: 'internal', message: `the worker exited (code ${code}) without a result`, retryable: true } });
    };
    r.detach = this.#pool.post(warm, input, { message: onMessage, error: onError, exit: onExit });
  }

  #onMessage(r: Running, msg: WorkerMessage): void {
    if (r.settled) return;
    if ('progress' in msg) {
      r.progress = msg.progress.fraction;
      r.stage = msg.progress.stage;
      const now = Date.now();
      if (now - r.lastProgressWrite >= PROGRESS_WRITE_MS) {
        r.lastProgressWrite = now;
        try {
          this.#o.store.jobs.setProgress(r.job.id, r.progress, r.stage);
        } catch (err) {
          // Progress is only shown: a full disk (seen: SQLITE_FULL here crashed the daemon)
          // must not end the job, whose result may still be written once space is back.
          if (isDiskFull(err)) this.#o.onDiskFull(err);
          else this.#o.log.warn(`job ${r.job.id} (${r.job.kind}): its progress could not be written: ${(err as Error).message}`);
        }
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
    r.detach?.();
    // A worker that answered (a result, or an error it caught) takes the next job; one that
    // crashed, timed out or was cancelled does not.
    if (r.warm) {
      if (r.cancelled || r.timedOut || !('result' in outcome || 'error' in outcome)) r.warm.spent = true;
      if (r.warm.spent) void this.#pool.retire(r.warm);
      else this.#pool.release(r.warm);
    }
    const { bus } = this.#o;
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
      try {
        state = this.#recordFailure(job, handler, failure);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        this.#disk.wait(err, job.id);
        return;
      }
    }
    bus.emit('job.finished', { jobId: job.id, kind: job.kind, scanId: job.scanId, state, error });
    this.notify();
  }

  /** Write a failed attempt: queued again (retryable, attempts left) or failed for good. */
  #recordFailure(job: Job, handler: AnyJobHandler | undefined, failure: JobFailure): 'queued' | 'failed' {
    const { store, log } = this.#o;
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
      return 'queued';
    }
    store.jobs.fail(job.id, failure.message);
    log.warn(`job ${job.id} (${job.kind}) failed: ${failure.message}`);
    try {
      handler?.failed(job, failure);
    } catch (err) {
      log.error(`job ${job.id} (${job.kind}) failure could not be recorded`, { error: err });
    }
    return 'failed';
  }

  /** Store a worker's result through its handler; the job is done once that committed. */
  async #complete(job: Job, handler: AnyJobHandler, result: unknown): Promise<void> {
    const { store, bus, log } = this.#o;
    let state: 'done' | 'failed';
    let error: string | null = null;
    try {
      await handler.complete(job, result);
      store.jobs.finish(job.id);
      state = 'done';
    } catch (err) {
      if (isDiskFull(err)) {
        // Nothing of the result was kept (its transaction rolled back): the job runs again
        // once there is room, without counting this attempt.
        this.#disk.wait(err, job.id);
        return;
      }
      error = `storing the result failed: ${(err as Error).message}`;
      log.error(`job ${job.id} (${job.kind}) result could not be stored`, { error: err });
      try {
        store.jobs.fail(job.id, error);
      } catch (failErr) {
        if (!isDiskFull(failErr)) throw failErr;
        this.#disk.wait(failErr, job.id);
        return;
      }
      state = 'failed';
    }
    bus.emit('job.finished', { jobId: job.id, kind: job.kind, scanId: job.scanId, state, error });
    this.notify();
  }
}
