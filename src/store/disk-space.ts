/**
 * A full disk is a state, not a crash. The monitor watches the free space of the data
 * folder's file system (`fs.statfs`, every `intervalMs`) and what writers report
 * (SQLITE_FULL, ENOSPC), and says whether new work may write:
 * - `ok`: free space is above the floor (store.minFreeMegabytes);
 * - `low`: free space is below the floor — ingest holds new files in their drop folders
 *   before the disk is actually full;
 * - `full`: a write failed for lack of space — ingest and jobs wait until the disk has
 *   clearly more room than when the write failed (RESUME_MARGIN above it, and above the
 *   floor).
 * Leaving `ok` and coming back are logged once each, never at every check.
 */
import { statfsSync } from 'node:fs';
import type { Logger } from '../log/index.js';

/** True for the errors a write fails with when the disk (or the database's size limit) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  // SQLITE_IOERR_SHMSIZE: SQLite could not allocate the `-shm` of a WAL database (32 KiB,
  // written out so that a full disk fails here and not later as SIGBUS): a full disk.
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'disk_full';
}

export type DiskState = 'ok' | 'low' | 'full';

export interface DiskStatus {
  state: DiskState;
  /** Bytes free for the service on the data folder's file system (-1 before the first check). */
  freeBytes: number;
  /** The floor, in bytes. */
  floorBytes: number;
  /** One sentence for health and the console; undefined while ok. */
  reason?: string;
}

export interface DiskMonitorOptions {
  /** A folder on the file system to watch (the database's folder). */
  path: string;
  /** store.minFreeMegabytes in bytes. */
  floorBytes: number;
  log: Logger;
  /** How often free space is read; 15 s by default. */
  intervalMs?: number;
  /** Called after every change of state (ingest and jobs resume from here). */
  onChange?: (status: DiskStatus) => void;
  /** Reads free bytes (tests of the state machine); statfs of `path` otherwise. */
  freeBytes?: () => number;
  /**
   * Free bytes that are not to be spent (the released reserve, reserve.ts): subtracted from
   * what statfs says, so work waits until the disk has room beyond them.
   */
  heldBack?: () => number;
}

/**
 * Below this the disk counts as full whatever the floor (even store.minFreeMegabytes: 0):
 * a commit's WAL frames and a scan's chunks need a few MB, and a write that fails for
 * lack of space inside the ingest of a file is not reported here (the file stays in its
 * drop folder and ingest says why), so the disk's own free space must tell.
 */
export const ALWAYS_FREE = 16 * 1024 * 1024;

/** Room above what was free when a write failed before work resumes: a few scans' worth. */
export const RESUME_MARGIN = 64 * 1024 * 1024;

/** The default floor: 1024 MB. */
export const DEFAULT_MIN_FREE_MB = 1024;

/**
 * The floor in bytes: store.minFreeMegabytes when set; else 1024 MB but at most a tenth of
 * the disk holding `path`, so a small disk (a test VM, a 4 GB card) still takes scans.
 */
export function minFreeBytes(configured: number | undefined, path: string): number {
  if (configured !== undefined) return configured * 1048576;
  let tenth = Infinity;
  try {
    const st = statfsSync(path);
    tenth = (Number(st.blocks) * Number(st.bsize)) / 10;
  } catch {
    // unknown size: the plain default
  }
  return Math.floor(Math.min(DEFAULT_MIN_FREE_MB * 1048576, tenth));
}

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

export class DiskMonitor {
  readonly #o: DiskMonitorOptions;
  #state: DiskState = 'ok';
  #free = -1;
  /** Free bytes when a write last failed for lack of space. */
  #freeAtFailure?: number;
  #timer?: NodeJS.Timeout;

  constructor(options: DiskMonitorOptions) {
    this.#o = options;
  }

  /** Check now, then every intervalMs. */
  start(): void {
    this.check();
    this.#timer = setInterval(() => this.check(), this.#o.intervalMs ?? 15_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get status(): DiskStatus {
    const { floorBytes } = this.#o;
    const free = this.#free;
    const reason = this.#state === 'full'
      ? `disk full: ${mib(Math.max(0, free))} free on the data folder's disk${this.#freeAtFailure !== undefined ? ' and a write failed for lack of space' : ''} — new scans wait in their drop folders and jobs wait; free space on that disk and they resume by themselves`
      : this.#state === 'low'
        ? `disk space low: ${mib(free)} free, below store.minFreeMegabytes (${mib(floorBytes)}) — new scans wait in their drop folders and jobs wait until space is freed`
        : undefined;
    return { state: this.#state, freeBytes: free, floorBytes, reason };
  }

  /** True while new files may be taken in (state ok). */
  get writable(): boolean {
    return this.#state === 'ok';
  }

  /** Free bytes now (statfs: a few microseconds). */
  #read(): number {
    const held = this.#o.heldBack?.() ?? 0;
    if (this.#o.freeBytes) return Math.max(0, this.#o.freeBytes() - held);
    const st = statfsSync(this.#o.path);
    return Math.max(0, Number(st.bavail) * Number(st.bsize) - held);
  }

  /** Read free space and update the state; returns it. */
  check(): DiskStatus {
    try {
      this.#free = this.#read();
    } catch (err) {
      this.#o.log.debug(`cannot read free space: ${(err as Error).message}`);
      return this.status;
    }
    const floor = this.#o.floorBytes;
    let next: DiskState;
    if (this.#free < ALWAYS_FREE) next = 'full';
    else if (this.#freeAtFailure !== undefined && this.#free < Math.max(floor, this.#freeAtFailure + RESUME_MARGIN)) next = 'full';
    // Back to ok only with some room above the floor: a WAL shrinking after a checkpoint
    // must not let one more scan in and flap between the states.
    else if (this.#state !== 'ok') next = this.#free < floor + Math.min(RESUME_MARGIN, floor / 10) ? 'low' : 'ok';
    else next = this.#free < floor ? 'low' : 'ok';
    if (next !== 'full' || this.#free >= Math.max(floor, (this.#freeAtFailure ?? 0) + RESUME_MARGIN)) this.#freeAtFailure = undefined;
    this.#set(next);
    return this.status;
  }

  /**
   * A writer failed: when for lack of space, enter `full` (until space is back) and return
   * true; any other error is not the disk's, and returns false.
   */
  noteError(err: unknown): boolean {
    if (!isDiskFull(err)) return false;
    try {
      this.#free = this.#read();
    } catch {
      // keep the last reading
    }
    this.#freeAtFailure = Math.max(0, this.#free);
    this.#set('full');
    return true;
  }

  #set(next: DiskState): void {
    if (next === this.#state) return;
    this.#state = next;
    const status = this.status;
    if (next === 'ok') this.#o.log.info(`disk space is back (${mib(status.freeBytes)} free): ingest and jobs resume`);
    else this.#o.log.warn(status.reason!);
    this.#o.onChange?.(status);
  }
}
