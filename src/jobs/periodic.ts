/**
 * The daemon's periodic work — scheduled backups, the retention purge, audit checkpoints,
 * the database integrity check — timed by bree: its cron schedules (read by bree's cron
 * engine, the one config/schedule.ts validates against) and its intervals.
 *
 * Bree runs each due task as a worker thread; here that thread is run-now.worker.ts, which
 * only posts "run" back: the tasks use the open store and the database key, which never
 * leave the main thread. A thread per run costs the API 3–10 ms, a few times an hour at
 * most (the audit checkpoint every 30 s is the most frequent) — why the scan jobs, which
 * come in bursts of many short jobs, run on a warm pool of their own instead
 * (worker-pool.ts).
 *
 * A task still running when it is due again is not started twice: that run is skipped.
 */
import Bree from 'bree';
import type { Schedule } from '../config/schedule.js';
import { CuspError } from '../errors.js';
import type { Logger } from '../log/index.js';
import { workerFile } from './worker-path.js';

/** The longest delay a Node timer keeps (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When a task runs: on a cron schedule, or every `everyMs` (0: once) from `firstAfterMs`. */
export type When =
  | { cron: Extract<Schedule, { kind: 'cron' }> }
  | { everyMs: number; firstAfterMs?: number };

export interface PeriodicTask {
  /** A short name, for bree and the log (`backup`, `retention-purge`, …). */
  name: string;
  when: When;
  run: () => unknown;
  /** Told of a run that threw or rejected; the schedule goes on. */
  onError: (err: unknown) => void;
}

export interface PeriodicWorkOptions {
  /** The folder holding the compiled `run-now.worker.js`. */
  workerDir: string;
  log: Logger;
}

export class PeriodicWork {
  readonly #o: PeriodicWorkOptions;
  readonly #bree: Bree;
  readonly #tasks = new Map<string, PeriodicTask>();
  /** Runs in progress by task name. */
  readonly #running = new Map<string, Promise<void>>();
  #started = false;

  constructor(options: PeriodicWorkOptions) {
    this.#o = options;
    const quiet = (..._args: unknown[]) => undefined;
    this.#bree = new Bree({
      root: false,
      doRootCheck: false,
      jobs: [],
      // A job with a schedule waits for it: never a run at start unless asked for.
      timeout: false,
      // Bree's own lines (a thread started, ended) are noise at info; its errors go to debug,
      // since a run's real outcome is the task's, logged by onError.
      logger: { info: quiet, warn: (msg: unknown) => options.log.debug(String(msg)), error: (msg: unknown) => options.log.debug(String(msg)) } as unknown as Bree.BreeLogger,
      workerMessageHandler: ({ name, message }: { name: string; message: unknown }) => {
        if (message === 'run') this.#run(name);
      },
      errorHandler: (err: unknown, meta: { name?: string }) => options.log.warn(`periodic task ${meta?.name ?? '?'}: its thread failed: ${(err as Error)?.message ?? String(err)}`),
    });
  }

  /** Add a task; after start, it is scheduled at once. */
  async add(task: PeriodicTask): Promise<void> {
    if (this.#tasks.has(task.name)) throw new Error(`periodic task ${task.name} is added twice`);
    if ('everyMs' in task.when && Math.max(task.when.everyMs, task.when.firstAfterMs ?? 0) > MAX_TIMER_MS) {
      // bree times intervals with setInterval, which runs a longer delay after 1 ms instead: a
      // check meant for every 30 days would run without pause.
      throw new CuspError('config_invalid', `periodic task ${task.name}: every ${Math.round(task.when.everyMs / 3_600_000)} h is longer than the ${Math.floor(MAX_TIMER_MS / 3_600_000)} h a timer can wait — choose a shorter interval`);
    }
    this.#tasks.set(task.name, task);
    const path = workerFile(this.#o.workerDir, 'run-now');
    const when = 'cron' in task.when
      ? { interval: task.when.cron.later }
      : { interval: task.when.everyMs, timeout: task.when.firstAfterMs ?? task.when.everyMs };
    await this.#bree.add({ name: task.name, path, ...when });
    if (this.#started) await this.#bree.start(task.name);
  }

  /** Start timing every task added. */
  async start(): Promise<void> {
    this.#started = true;
    await this.#bree.start();
  }

  /** Stop timing: no task starts from now on (runs in progress go on: see idle). */
  async stop(): Promise<void> {
    this.#started = false;
    await this.#bree.stop();
  }

  /** Wait for the runs in progress (a scheduled backup may take minutes). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Names of the tasks running now. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  #run(name: string): void {
    const task = this.#tasks.get(name);
    if (!task || !this.#started) return;
    if (this.#running.has(name)) {
      this.#o.log.debug(`periodic task ${name} is due but still running: this run is skipped`);
      return;
    }
    const run = (async () => {
      try {
        await task.run();
      } catch (err) {
        task.onError(err);
      }
    })().finally(() => this.#running.delete(name));
    this.#running.set(name, run);
  }
}
