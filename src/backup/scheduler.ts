/**
 * Runs the daemon's scheduled backups at the times `backup.schedule` names (parsed by
 * config/schedule.ts, the same parser that validated the config). A plain timer in the
 * main thread rather than a Bree job: Bree runs jobs in worker threads, and workers must
 * never see the database key.
 */
import { nextRun, parseSchedule } from '../config/schedule.js';
import type { Logger } from '../log/index.js';

/** setTimeout's longest delay; longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

export interface BackupSchedulerOptions {
  schedule: string;
  run: () => Promise<unknown>;
  log: Logger;
  now?: () => Date;
}

export class BackupScheduler {
  readonly #o: BackupSchedulerOptions;
  #timer?: NodeJS.Timeout;
  #running?: Promise<unknown>;
  #next?: Date;
  #stopped = false;

  constructor(options: BackupSchedulerOptions) {
    this.#o = options;
  }

  /** When the next backup runs (undefined when the schedule is off). */
  get nextRunAt(): Date | undefined {
    return this.#next;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  /** Stop the timer and wait for a backup in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  #arm(): void {
    const schedule = parseSchedule(this.#o.schedule);
    if (typeof schedule === 'string' || this.#stopped) return;
    const now = (this.#o.now ?? (() => new Date()))();
    this.#next = nextRun(schedule, now);
    if (!this.#next) return;
    const delay = Math.min(MAX_DELAY, Math.max(0, this.#next.getTime() - now.getTime()));
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref();
  }

  #fire(): void {
    const now = (this.#o.now ?? (() => new Date()))();
    if (this.#next && now.getTime() < this.#next.getTime()) {
      this.#arm();
      return;
    }
    this.#running = this.#o.run().catch((err: unknown) => {
      this.#o.log.error(`scheduled backup failed: ${err instanceof Error ? err.message : String(err)}`);
    }).finally(() => {
      this.#running = undefined;
      this.#arm();
    });
  }
}
