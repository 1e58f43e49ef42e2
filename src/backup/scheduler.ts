/**
 * The daemon's scheduled backups at the times `backup.schedule` names: a task of the
 * periodic work (src/jobs/periodic.ts), which bree times with the schedule as
 * config/schedule.ts read and validated it. The backup itself runs on the main thread,
 * which holds the key: bree's thread only says when.
 */
import { nextRun, parseSchedule, type Schedule } from '../config/schedule.js';
import type { PeriodicWork } from '../jobs/periodic.js';
import type { Logger } from '../log/index.js';

export interface BackupSchedulerOptions {
  /** The config's `backup.schedule`, or a schedule already read (tests use one with seconds). */
  schedule: string | Schedule;
  run: () => Promise<unknown>;
  log: Logger;
  periodic: PeriodicWork;
  now?: () => Date;
}

export class BackupScheduler {
  readonly #o: BackupSchedulerOptions;
  readonly #schedule: Schedule | undefined;
  #started = false;

  constructor(options: BackupSchedulerOptions) {
    this.#o = options;
    const parsed = typeof options.schedule === 'string' ? parseSchedule(options.schedule) : options.schedule;
    // The config was validated with the same parser: a string here is a caller's mistake.
    this.#schedule = typeof parsed === 'string' ? undefined : parsed;
  }

  /** When the next backup runs (undefined when the schedule is off, or before start). */
  get nextRunAt(): Date | undefined {
    if (!this.#started || !this.#schedule) return undefined;
    return nextRun(this.#schedule, (this.#o.now ?? (() => new Date()))());
  }

  /** Hand the schedule to the periodic work; nothing when it is off. */
  async start(): Promise<void> {
    const schedule = this.#schedule;
    if (!schedule || schedule.kind === 'off' || this.#started) return;
    this.#started = true;
    await this.#o.periodic.add({
      name: 'backup',
      when: { cron: schedule },
      run: this.#o.run,
      onError: (err) => this.#o.log.error(`scheduled backup failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }
}
