/**
 * Cusp's own "is this file finished?" check.
 *
 * chokidar's `awaitWriteFinish` declares a file done as soon as its size holds still for the
 * threshold, so a scanner or an SMB copy that pauses mid-file is reported early. Here a file
 * is ready only when its size *and* mtime have not changed across observations at least
 * `stableMs` apart *and* it can be opened for reading (a Windows writer on a share holds it
 * locked). Any change — seen by the tracker's own polling or announced by `track()` from a
 * watcher event — re-arms the wait. The last defence, a full try-read/parse, is the ingest
 * service's; it calls back through the watcher's `recheck` when the file proves incomplete.
 *
 * File access and timers are injected, so this is plain logic a test can drive by hand.
 */

/** What the tracker compares between observations. */
export interface FileSnapshot {
  size: number;
  mtimeMs: number;
}

/** A file that held still for the stability time and could be opened. */
export interface StableFile extends FileSnapshot {
  path: string;
}

/** Timer functions; default the global setTimeout/clearTimeout. */
export interface TrackerTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface StabilityOptions {
  /** How long size and mtime must hold still. */
  stableMs: number;
  /**
   * How long an empty file must stay empty; default stableMs. A writer often creates the
   * file and starts writing later (a copy that first connects, a scanner that preallocates).
   */
  emptyStableMs?: number;
  /** Clock in milliseconds; default Date.now. */
  now?: () => number;
  /** Size and mtime of a regular file, or undefined when it is gone (or no longer a file). */
  stat: (path: string) => Promise<FileSnapshot | undefined>;
  /** Whether the file can be opened for reading now; default always. */
  canRead?: (path: string) => Promise<boolean>;
  /** Called once per stabilisation; returns whether the file was taken (reported). A throw counts as not taken. */
  onStable: (file: StableFile) => boolean;
  timers?: TrackerTimers;
}

interface Entry {
  /** The last observation, or undefined before the first one. */
  last?: FileSnapshot;
  /** When `last` was first seen unchanged (or when a change was last announced). */
  since: number;
  timer?: unknown;
  /** Bumped on every re-arm, so an observation that raced a re-arm is discarded. */
  gen: number;
  waiters: Array<(taken: boolean) => void>;
}

const defaultTimers: TrackerTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function same(a: FileSnapshot, b: FileSnapshot): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Declares a file ready when its size and mtime have not changed for `stableMs` and it can
 * be opened for reading; re-arms on any change.
 */
export class StabilityTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly stableMs: number;
  private readonly now: () => number;
  private readonly timers: TrackerTimers;

  constructor(private readonly opts: StabilityOptions) {
    this.stableMs = opts.stableMs;
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? defaultTimers;
  }

  /** How many files are being watched for stability. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether `path` is being watched for stability. */
  has(path: string): boolean {
    return this.entries.has(path);
  }

  /**
   * Starts watching `path`, or re-arms it (a change was seen: the stability time starts
   * again). The first observation is made after `firstCheckMs` (default now). Resolves true
   * when the file became stable and `onStable` took it; false when it vanished, was
   * forgotten or the tracker was cleared first.
   */
  track(path: string, firstCheckMs = 0): Promise<boolean> {
    let entry = this.entries.get(path);
    if (!entry) {
      entry = { since: this.now(), gen: 0, waiters: [] };
      this.entries.set(path, entry);
    }
    const e = entry;
    e.since = this.now();
    this.schedule(path, e, firstCheckMs);
    return new Promise((resolve) => e.waiters.push(resolve));
  }

  /** Stops watching `path` (it was deleted or renamed away). */
  forget(path: string): void {
    const entry = this.entries.get(path);
    if (entry) this.finish(path, entry, false);
  }

  /** Stops watching every path matching `test` (a folder went away). */
  forgetWhere(test: (path: string) => boolean): void {
    for (const [path, entry] of [...this.entries]) if (test(path)) this.finish(path, entry, false);
  }

  /** Stops watching everything and cancels every timer. */
  clear(): void {
    for (const [path, entry] of [...this.entries]) this.finish(path, entry, false);
  }

  private schedule(path: string, entry: Entry, ms: number): void {
    if (entry.timer !== undefined) this.timers.clear(entry.timer);
    entry.gen++;
    const gen = entry.gen;
    entry.timer = this.timers.set(() => {
      entry.timer = undefined;
      void this.observe(path, entry, gen);
    }, Math.max(0, ms));
  }

  private current(path: string, entry: Entry, gen: number): boolean {
    return this.entries.get(path) === entry && entry.gen === gen;
  }

  private async observe(path: string, entry: Entry, gen: number): Promise<void> {
    let snap: FileSnapshot | undefined;
    try {
      snap = await this.opts.stat(path);
    } catch {
      snap = undefined;
    }
    if (!this.current(path, entry, gen)) return;
    if (!snap) return this.finish(path, entry, false);
    const now = this.now();
    if (!entry.last || !same(entry.last, snap)) {
      entry.last = snap;
      entry.since = now;
      return this.schedule(path, entry, this.stableMs);
    }
    const needed = snap.size === 0 ? (this.opts.emptyStableMs ?? this.stableMs) : this.stableMs;
    const waited = now - entry.since;
    if (waited < needed) return this.schedule(path, entry, Math.min(this.stableMs, needed - waited));
    let readable: boolean;
    try {
      readable = this.opts.canRead ? await this.opts.canRead(path) : true;
    } catch {
      readable = false;
    }
    if (!this.current(path, entry, gen)) return;
    if (!readable) {
      // Still held by its writer: wait a full stability time again.
      entry.since = this.now();
      return this.schedule(path, entry, this.stableMs);
    }
    this.entries.delete(path);
    let taken = false;
    try {
      taken = this.opts.onStable({ path, size: snap.size, mtimeMs: snap.mtimeMs });
    } catch {
      // onStable owns its error reporting; a throw here would be an unhandled rejection.
      taken = false;
    }
    for (const resolve of entry.waiters) resolve(taken);
  }

  private finish(path: string, entry: Entry, taken: boolean): void {
    if (entry.timer !== undefined) this.timers.clear(entry.timer);
    entry.timer = undefined;
    entry.gen++;
    this.entries.delete(path);
    for (const resolve of entry.waiters) resolve(taken);
  }
}
