/**
 * The job queue's wait on a full disk. A job whose outcome could not be written for lack of
 * space (SQLITE_FULL, ENOSPC) is still `running` in the database: it is kept here and put
 * back in the queue once a write succeeds again. While any waits (or taking a job failed
 * for lack of space) the dispatcher takes no job. Tried again every `retryMs`; logged once
 * when jobs start waiting and once when they go on.
 */
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/index.js';
import { isDiskFull } from '../store/disk-space.js';
import type { Store } from '../store/store.js';

export interface DiskGateOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  /** How long jobs wait after a write failed for lack of space before trying again. */
  retryMs: number;
  /** Told of every write that failed for lack of space (the daemon's disk monitor). */
  onDiskFull: (err: unknown) => void;
  /** Jobs may be taken again (every waiting job is back in the queue). */
  onClear: () => void;
}

export class DiskGate {
  readonly #o: DiskGateOptions;
  /** Jobs whose outcome could not be written: put back in the queue once a write succeeds. */
  readonly #putBack = new Set<number>();
  #full = false;
  #timer?: NodeJS.Timeout;
  #open = false;

  constructor(options: DiskGateOptions) {
    this.#o = options;
  }

  /** True while jobs wait for disk space. */
  get full(): boolean {
    return this.#full;
  }

  /** The dispatcher runs: retries may be scheduled. */
  open(): void {
    this.#open = true;
  }

  /** The dispatcher stops: no retry runs any more (waiting jobs stay `running`; the next start queues them again). */
  close(): void {
    this.#open = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A write failed for lack of space (while storing `jobId`'s outcome, when given): take no job until a write succeeds. */
  wait(err: unknown, jobId?: number): void {
    if (jobId !== undefined) this.#putBack.add(jobId);
    this.#o.onDiskFull(err);
    if (!this.#full) {
      this.#full = true;
      this.#o.log.warn(`jobs wait: the disk is full (${(err as Error).message}); they are tried again every ${Math.round(this.#o.retryMs / 1000)} s and go on by themselves once space is freed`);
    }
    if (!this.#timer && this.#open) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#retry();
      }, this.#o.retryMs);
    }
  }

  /** Put back the jobs whose outcome could not be written; on success let jobs be taken again. */
  #retry(): void {
    if (!this.#open) return;
    const { store, bus } = this.#o;
    for (const id of [...this.#putBack]) {
      try {
        store.jobs.putBack(id);
        this.#putBack.delete(id);
        bus.emit('job.finished', { jobId: id, kind: store.jobs.get(id)?.kind ?? 'unknown', scanId: store.jobs.get(id)?.scanId ?? null, state: 'queued', error: null });
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        this.wait(err);
        return;
      }
    }
    this.#full = false;
    this.#o.log.info('jobs go on: the database can be written again');
    this.#o.onClear();
  }
}
