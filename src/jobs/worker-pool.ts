/**
 * The warm worker pool the job queue runs scan jobs on: one thread per running job, kept
 * after its job (up to `warmIdleMs`) for the next job of the same script instead of exiting.
 *
 * Why a pool of its own beside bree, which runs Cusp's periodic work (src/jobs/periodic.ts):
 * bree starts a fresh thread for every run and ends it after, and starting a thread and
 * ending it each stall the main thread — the API's — 3–10 ms here. Scan jobs come in
 * bursts (a scanner exports a case: 2–6 files, each giving validate, derive, compare,
 * analyse), and a small scan's job takes less than that, so a burst paid the stall for every
 * job. A warm thread also keeps its last job's work buffers (src/mesh/report/scratch.ts: the
 * next job reuses them instead of faulting ~100 MB of fresh pages in). The periodic tasks
 * run a few times a day: a fresh thread per run costs nothing there.
 *
 * A worker that crashed, ran out of memory, timed out or was cancelled is never reused.
 */
import { Worker } from 'node:worker_threads';
import { PRIORITY_KEY, type JobPriority } from '../os/thread-priority.js';
import { transferables, WARM_KEY, type JobInput, type JobMessage, type WorkerMessage } from './protocol.js';
import { workerFile } from './worker-path.js';

export interface WorkerPoolOptions {
  workerDir: string;
  /** Idle workers kept per script at most. */
  maxIdlePerScript: number;
  /** Heap limit of one worker; over it the job fails as out of memory. */
  workerHeapMb: number;
  /** How long an idle worker waits for another job before it exits. */
  warmIdleMs: number;
  /** How job threads yield to the API (config jobs.priority). */
  priority: JobPriority;
}

/** A worker thread kept for the jobs of one script. */
export interface Warm {
  script: string;
  worker: Worker;
  idleTimer?: NodeJS.Timeout;
  /** Set when it must not take another job (it failed, or it is being retired). */
  spent: boolean;
}

/** What a job listens to on its worker while it runs there. */
export interface WorkerListeners {
  message: (msg: WorkerMessage<never>) => void;
  error: (err: Error & { code?: string }) => void;
  exit: (code: number) => void;
}

export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  /** Idle warm workers by script. */
  readonly #idle = new Map<string, Warm[]>();
  #started = 0;
  /** Set by retireAll: workers that finish a job now exit instead of waiting for another. */
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#o = options;
  }

  /** Worker threads started so far, and those waiting warm for a job now. */
  counts(): { started: number; idle: number } {
    let idle = 0;
    for (const list of this.#idle.values()) idle += list.length;
    return { started: this.#started, idle };
  }

  /** Take workers again after retireAll (the queue was started again). */
  open(): void {
    this.#closed = false;
  }

  /** A warm worker for `script`: an idle one, or a new thread. */
  acquire(script: string): Warm {
    const reused = this.#idle.get(script)?.pop();
    if (reused) {
      clearTimeout(reused.idleTimer);
      reused.worker.ref();
      return reused;
    }
    const worker = new Worker(workerFile(this.#o.workerDir, script), {
      workerData: { [WARM_KEY]: true, [PRIORITY_KEY]: this.#o.priority },
      resourceLimits: { maxOldGenerationSizeMb: this.#o.workerHeapMb },
    });
    this.#started++;
    const warm: Warm = { script, worker, spent: false };
    // A worker that ends while idle (it should not) is simply forgotten.
    worker.once('exit', () => {
      warm.spent = true;
      this.#forget(warm);
    });
    return warm;
  }

  /**
   * Hand a warm worker one job (its buffers transferred) and listen to it for that job;
   * returns what stops listening, so the worker can take the next job clean.
   */
  post<K extends string>(warm: Warm, job: JobInput<K>, on: WorkerListeners): () => void {
    const { worker } = warm;
    worker.on('message', on.message);
    worker.on('error', on.error);
    worker.on('exit', on.exit);
    worker.postMessage({ job } satisfies JobMessage<K>, transferables(job));
    return () => {
      worker.off('message', on.message);
      worker.off('error', on.error);
      worker.off('exit', on.exit);
    };
  }

  /** Back to the idle list after a job it finished cleanly; it exits after warmIdleMs unused. */
  release(warm: Warm): void {
    const list = this.#idle.get(warm.script) ?? [];
    if (warm.spent || this.#closed || list.length >= Math.max(1, this.#o.maxIdlePerScript)) {
      void this.retire(warm);
      return;
    }
    // An idle worker does not keep the process alive (a command that ran one job can exit).
    warm.worker.unref();
    warm.idleTimer = setTimeout(() => void this.retire(warm), this.#o.warmIdleMs);
    warm.idleTimer.unref();
    list.push(warm);
    this.#idle.set(warm.script, list);
  }

  /** End a worker for good. */
  async retire(warm: Warm): Promise<void> {
    warm.spent = true;
    clearTimeout(warm.idleTimer);
    this.#forget(warm);
    await warm.worker.terminate().catch(() => undefined);
  }

  /** From now on a worker that finishes its job exits instead of waiting for another. */
  close(): void {
    this.#closed = true;
  }

  /** Close, and end every idle worker; workers still busy end when their job does. */
  async retireAll(): Promise<void> {
    this.close();
    for (const list of [...this.#idle.values()]) for (const warm of [...list]) await this.retire(warm);
  }

  #forget(warm: Warm): void {
    const list = this.#idle.get(warm.script);
    const at = list?.indexOf(warm) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }
}
