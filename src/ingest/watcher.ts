/**
 * Watches one scan drop folder and reports each finished candidate file once it is stable.
 *
 * Three layers, because each alone is fooled by something scanners and shares really do:
 * chokidar events (inotify, or polling on network shares) say *something* happened; Cusp's
 * StabilityTracker decides a file is finished (size + mtime unchanged, openable) instead of
 * chokidar's `awaitWriteFinish`, which fires early when a copy pauses; and a periodic rescan
 * walks the folder and feeds whatever is not handled yet, because polling misses files
 * created server-side and events get lost. An `ENOSPC`/`EMFILE` (inotify limits) switches
 * the folder to polling with one clear log line; a missing or vanished folder (a share not
 * mounted yet) is an 'error' state retried every rescan interval. Nothing here throws out
 * of a callback: the daemon keeps running whatever the folder does.
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { FolderConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { isIngestCandidate, isSkippedFolder } from './candidates.js';
import { ChokidarSession, inotifyLimitMessage, type WatchFactory } from './chokidar-session.js';
import { fileSnapshot, folderProblem, openProblem, pathInside, relativePosix, specialKind, walkCandidates, type SkippedKind } from './folder-files.js';
import { fileRef, OddEntries } from './odd-entries.js';
import { writerState, type WriterState } from './open-writers.js';
import { StabilityTracker, type FileSnapshot, type StableFile } from './stability.js';

export type { WatchFactory } from './chokidar-session.js';

export type FolderState = 'starting' | 'watching' | 'polling' | 'paused' | 'error' | 'stopped';

/** A stable candidate file, as reported to the ingest service. */
export interface DetectedFile {
  path: string;
  /** Relative to the watched folder, POSIX separators. */
  relativePath: string;
  size: number;
  mtimeMs: number;
}

export interface FolderWatcherOptions {
  folder: FolderConfig;
  log: Logger;
  /** A stable candidate file. May come again for the same path after `recheck`, when the file changes, or from a rescan while `isHandled` says no. */
  onFile: (file: DetectedFile) => void;
  onState: (state: FolderState, message?: string) => void;
  /** Absolute paths below the folder never to report; the folder's quarantineDir and archiveDir are always added. */
  exclude?: string[];
  /** Whether a file was already handled (ingested/quarantined/kept) with this size+mtime: startup and rescans skip it. */
  isHandled?: (path: string, size: number, mtimeMs: number) => boolean;
  /** Default chokidar's `watch`. */
  watchFactory?: WatchFactory;
  /**
   * A symbolic link, FIFO, socket or device in the folder was skipped (once per path while
   * it stays). The daemon records a change event; `relativePath` is for tests, never for logs.
   */
  onSkipped?: (relativePath: string, kind: SkippedKind) => void;
  /** Whether a process holds the file open for writing; default the /proc check of open-writers.ts. */
  writers?: (path: string) => Promise<WriterState>;
}

export type { SkippedKind } from './folder-files.js';
export { fileRef, safeName } from './odd-entries.js';

// Chokidar walks this many levels of subfolders (patient-subfolder layouts, case folders).
const DEPTH = 8;
// An empty file is usually one whose writer created it and has not written yet: wait longer.
const EMPTY_MIN_MS = 30_000;
// Raw events come in bursts while a file is written: look at each path at most this often.
const RAW_DEBOUNCE_MS = 100;

type Phase = 'idle' | 'starting' | 'running' | 'error' | 'stopped';

/** Watches one folder; see the file comment. `start()` does the work, the constructor nothing. */
export class FolderWatcher {
  private readonly root: string;
  private readonly name: string;
  private readonly excluded: string[];
  private readonly tracker: StabilityTracker;
  private readonly log: Logger;
  private phase: Phase = 'idle';
  private paused: boolean;
  private polling: boolean;
  private fallbackMessage?: string;
  private errorMessage?: string;
  private session?: ChokidarSession;
  private tickTimer?: ReturnType<typeof setTimeout>;
  private emitted?: string;
  /** What was last reported per path, to drop change events that changed nothing. */
  private readonly reported = new Map<string, FileSnapshot>();
  /** Paths whose open-for-reading failure was already logged. */
  private readonly readWarned = new Set<string>();
  private readonly odd: OddEntries;
  /** Raw-event paths waiting for their debounced look. */
  private readonly rawPending = new Map<string, ReturnType<typeof setTimeout>>();
  private sweepTimer?: ReturnType<typeof setTimeout>;
  /** The walk once a polled folder's first stat is surely taken (sweepAfterWatchStarts). */
  private baselineTimer?: ReturnType<typeof setTimeout>;
  private procWarned = false;

  constructor(private readonly opts: FolderWatcherOptions) {
    const f = opts.folder;
    this.root = resolve(f.path);
    this.name = f.name ?? this.root;
    this.excluded = [...(opts.exclude ?? []), f.quarantineDir, f.after === 'archive' ? f.archiveDir : undefined]
      .filter((p): p is string => typeof p === 'string')
      .map((p) => resolve(p));
    this.log = opts.log;
    this.paused = f.paused;
    this.polling = f.polling;
    const stableMs = f.stabilitySeconds * 1000;
    this.odd = new OddEntries({ root: this.root, name: this.name, log: this.log, onSkipped: opts.onSkipped, onRenamed: () => this.scheduleSweep() });
    this.tracker = new StabilityTracker({
      stableMs,
      emptyStableMs: Math.max(EMPTY_MIN_MS, 10 * stableMs),
      stat: fileSnapshot,
      canRead: (p) => this.canRead(p),
      onStable: (file) => this.report(file),
    });
  }

  get state(): FolderState {
    return this.current()[0];
  }

  /** Begins watching; files already in the folder are reported once stable (a restart picks up what was left). */
  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    this.phase = 'starting';
    this.emitState();
    await this.connect(`folder ${this.root} does not exist — create it or fix this folder's path in the config`);
    this.scheduleTick();
  }

  /** Closes chokidar and every timer; idempotent. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    clearTimeout(this.tickTimer);
    clearTimeout(this.sweepTimer);
    clearTimeout(this.baselineTimer);
    for (const t of this.rawPending.values()) clearTimeout(t);
    this.rawPending.clear();
    this.tracker.clear();
    await this.closeSession();
    this.emitState();
  }

  /** No onFile calls until resume; events are dropped, files being tracked are forgotten. */
  pause(): void {
    if (this.phase === 'stopped' || this.paused) return;
    this.paused = true;
    this.tracker.clear();
    this.emitState();
  }

  /** Ends a pause and rescans, so files that arrived meanwhile are reported. */
  resume(): void {
    if (this.phase === 'stopped' || !this.paused) return;
    this.paused = false;
    this.emitState();
    void this.rescan();
  }

  /** Checks `path` again after `delayMs` (the ingest service's try-read found it incomplete). */
  recheck(path: string, delayMs: number): void {
    const abs = resolve(path);
    if (this.phase === 'stopped' || !pathInside(abs, this.root)) return;
    this.reported.delete(abs);
    void this.tracker.track(abs, delayMs);
  }

  /** Walks the folder now and reports stable candidates not handled; resolves with the number reported. */
  async rescan(): Promise<number> {
    if (this.paused || this.phase !== 'running' && this.phase !== 'starting') return 0;
    let files;
    try {
      files = await walkCandidates(this.root, DEPTH, (p) => this.isExcluded(p), (odd) => this.odd.handle(odd));
    } catch (err) {
      this.log.debug(`rescan of folder "${this.name}" failed: ${String(err)}`, { folder: this.name });
      await this.checkRoot();
      return 0;
    }
    const fed = files.filter((f) => !this.tracker.has(f.path) && !this.handled(f)).map((f) => this.tracker.track(f.path));
    this.log.debug(`rescan of folder "${this.name}": ${files.length} candidates, ${fed.length} not handled yet`, { folder: this.name });
    return (await Promise.all(fed)).filter(Boolean).length;
  }

  // ---- chokidar events ----------------------------------------------------------------------

  private async connect(missingMessage: string): Promise<void> {
    const problem = await folderProblem(this.root);
    if (this.stopped()) return;
    if (problem) return this.fail(`${missingMessage} (${problem}); Cusp checks again every ${this.opts.folder.rescanMinutes} min`);
    this.openSession();
    const how = this.polling ? `polling every ${this.opts.folder.pollIntervalSeconds} s` : 'inotify';
    this.log.info(`watching folder "${this.name}" at ${this.root} (${how})`, { folder: this.name });
  }

  private openSession(): void {
    this.session = ChokidarSession.open(
      {
        root: this.root,
        polling: this.polling,
        intervalMs: this.opts.folder.pollIntervalSeconds * 1000,
        depth: DEPTH,
        ignored: (p, stats) => this.ignored(p, stats),
        factory: this.opts.watchFactory,
      },
      {
        file: (p, stats) => this.onFileEvent(resolve(p), stats, 'add/change'),
        unlink: (p) => this.onUnlink(resolve(p)),
        raw: (watched, name) => this.onRaw(resolve(watched), name),
        unlinkDir: (p) => this.onUnlinkDir(resolve(p)),
        ready: () => this.setRunning(),
        error: (err, code, first) => this.onError(err, code, first),
        failed: (err) => this.log.error(`watching folder "${this.name}": ${String(err)}`, { folder: this.name }),
      },
    );
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private setRunning(): void {
    if (this.phase !== 'starting' && this.phase !== 'running') return;
    this.phase = 'running';
    this.emitState();
    this.sweepAfterWatchStarts();
  }

  /**
   * chokidar reads a folder first and only then starts watching it: a file written in
   * between gets no event — with inotify, and with polling until the watch's first stat,
   * which becomes the baseline — and would wait for the periodic rescan (minutes). One walk
   * now (the watch is on) and, when polling, one more after two poll intervals (the
   * baseline is taken by then) find such files; what is already tracked or handled is not
   * reported again.
   */
  private sweepAfterWatchStarts(): void {
    this.scheduleSweep();
    if (!this.polling) return;
    clearTimeout(this.baselineTimer);
    this.baselineTimer = setTimeout(() => {
      this.baselineTimer = undefined;
      this.scheduleSweep();
    }, 2 * this.opts.folder.pollIntervalSeconds * 1000);
  }

  private ignored(p: string, stats?: Stats): boolean {
    const abs = resolve(p);
    if (abs === this.root) return false;
    const rel = relativePosix(this.root, abs);
    if (rel === undefined) return false;
    if (this.isExcluded(abs)) return true;
    if (stats?.isFile()) return !isIngestCandidate(rel);
    // A folder, or not known yet: skip only what is skipped as either.
    return isSkippedFolder(rel);
  }

  private onFileEvent(abs: string, stats: Stats | undefined, event: string): void {
    if (this.paused || this.phase === 'error') return;
    const rel = relativePosix(this.root, abs);
    if (rel === undefined || this.isExcluded(abs) || !isIngestCandidate(rel)) return;
    if (event !== 'raw') this.log.debug(`watcher event ${event} in folder "${this.name}": ${fileRef(rel)}${stats ? ` (${stats.size} bytes)` : ''}`, { folder: this.name });
    if (stats && !stats.isFile()) return this.odd.skip(abs, specialKind(stats));
    if (stats?.isFile()) {
      const snap = { path: abs, size: stats.size, mtimeMs: stats.mtimeMs };
      if (this.handled(snap)) return;
      const last = this.reported.get(abs);
      if (!this.tracker.has(abs) && last?.size === snap.size && last.mtimeMs === snap.mtimeMs) return;
    }
    void this.tracker.track(abs);
  }

  private onUnlink(abs: string): void {
    const rel = relativePosix(this.root, abs);
    if (rel !== undefined) this.log.debug(`watcher event unlink in folder "${this.name}": ${fileRef(rel)}`, { folder: this.name });
    this.reported.delete(abs);
    this.odd.forget(abs);
    this.readWarned.delete(abs);
    // Spurious unlinks happen (atomic saves, SMB): observing again now drops the file if it
    // is really gone and keeps tracking it if it is still there.
    if (this.tracker.has(abs)) void this.tracker.track(abs);
  }

  /**
   * chokidar's add/change are not enough on their own: its directory re-read is throttled
   * for 1 s and the pending re-read is forgotten when the timer fires first — which it does
   * when the daemon's thread was busy storing a big scan — so a file created in that window
   * got no 'add', no per-file watch and no 'change' either, and waited for the periodic
   * rescan (seen: 60–266 s). The raw kernel events are never throttled: each names the
   * entry, which is looked at directly (debounced per path).
   */
  private onRaw(watched: string, name?: string): void {
    if (this.paused || this.phase === 'error' || this.phase === 'stopped') return;
    const path = name === undefined ? watched : join(watched, name);
    if (this.rawPending.has(path)) return;
    this.rawPending.set(path, setTimeout(() => {
      this.rawPending.delete(path);
      void this.examine(path, watched).catch((err: unknown) => this.log.debug(`looking at a raw event in folder "${this.name}" failed: ${String(err)}`, { folder: this.name }));
    }, RAW_DEBOUNCE_MS));
  }

  /** One look at an entry a raw event named: a file goes to the tracker, a folder or odd name gets a sweep, a special file is skipped. */
  private async examine(path: string, watched: string): Promise<void> {
    if (path !== this.root && (relativePosix(this.root, path) === undefined || this.isExcluded(path))) return;
    let stats: Stats;
    try {
      stats = await lstat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // inotify on a watched file names the file itself: `watched` is the file.
      if (code === 'ENOTDIR' && path !== watched) return this.examine(watched, watched);
      // A name Node could not decode (not UTF-8) cannot be stat'ed by its mangled name.
      if (basename(path).includes('\uFFFD')) this.scheduleSweep();
      return;
    }
    // A new subfolder is read, then watched, like the root: the same gap (above).
    if (stats.isDirectory()) return path === this.root ? this.scheduleSweep() : this.sweepAfterWatchStarts();
    this.onFileEvent(path, stats, 'raw');
  }

  /** A walk of the folder soon (a new subfolder, a name that is not UTF-8, a polled folder changed). */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      void this.sweep();
    }, RAW_DEBOUNCE_MS);
  }

  private async sweep(): Promise<void> {
    if (this.paused || this.phase !== 'running' && this.phase !== 'starting') return;
    const files = await walkCandidates(this.root, DEPTH, (p) => this.isExcluded(p), (odd) => this.odd.handle(odd)).catch(() => []);
    for (const f of files) {
      const last = this.reported.get(f.path);
      if (this.tracker.has(f.path) || this.handled(f) || (last?.size === f.size && last.mtimeMs === f.mtimeMs)) continue;
      void this.tracker.track(f.path);
    }
  }

  private onUnlinkDir(abs: string): void {
    if (abs === this.root) void this.checkRoot();
    else this.tracker.forgetWhere((path) => pathInside(path, abs));
  }

  private onError(err: unknown, code: string, first: boolean): void {
    const limit = this.polling ? undefined : inotifyLimitMessage(code, this.root, this.opts.folder.pollIntervalSeconds);
    if (limit) {
      // Replace the inotify session by a polling one; the rest of the error burst goes to the closed session.
      this.fallbackMessage = limit;
      this.log.warn(limit, { folder: this.name, code });
      this.polling = true;
      void this.closeSession();
      this.phase = 'running';
      this.openSession();
      this.emitState();
      return;
    }
    if (!first) return;
    const text = err instanceof Error ? err.message : String(err);
    this.log.warn(`watching folder "${this.name}" reported ${code}: ${text} — Cusp keeps watching and rescans every ${this.opts.folder.rescanMinutes} min`, { folder: this.name, code });
    void this.checkRoot();
  }

  // ---- folder health and the periodic rescan ------------------------------------------------

  private scheduleTick(): void {
    if (this.stopped()) return;
    this.tickTimer = setTimeout(() => void this.tick(), this.opts.folder.rescanMinutes * 60_000);
  }

  private async tick(): Promise<void> {
    try {
      await this.checkRoot();
      this.rescan().catch((err: unknown) => this.log.error(`rescan of folder "${this.name}" failed: ${String(err)}`, { folder: this.name }));
    } finally {
      this.scheduleTick();
    }
  }

  /** Moves to 'error' when the folder is gone, and back to watching when it returns. */
  private async checkRoot(): Promise<void> {
    if (this.phase === 'stopped' || this.phase === 'idle') return;
    const problem = await folderProblem(this.root);
    if (this.stopped()) return;
    if (problem && this.phase !== 'error') {
      await this.closeSession();
      this.fail(`folder ${this.root} is gone (${problem}) — a network share unmounted? Cusp checks again every ${this.opts.folder.rescanMinutes} min`);
    } else if (!problem && this.phase === 'error') {
      this.log.info(`folder "${this.name}" is back`, { folder: this.name });
      this.phase = 'starting';
      this.errorMessage = undefined;
      this.emitState();
      await this.connect(`folder ${this.root} does not exist`);
    }
  }

  // A method, not a field test: TypeScript keeps a narrowed `this.phase` across an await.
  private stopped(): boolean {
    return this.phase === 'stopped';
  }

  private fail(message: string): void {
    this.phase = 'error';
    this.errorMessage = message;
    this.tracker.clear();
    this.log.error(message, { folder: this.name });
    this.emitState();
  }

  // ---- files -------------------------------------------------------------------------------

  private report(file: StableFile): boolean {
    if (this.paused || this.phase === 'stopped' || this.phase === 'error' || this.handled(file)) return false;
    const relativePath = relativePosix(this.root, file.path);
    if (relativePath === undefined) return false;
    this.reported.set(file.path, { size: file.size, mtimeMs: file.mtimeMs });
    this.readWarned.delete(file.path);
    try {
      this.opts.onFile({ path: file.path, relativePath, size: file.size, mtimeMs: file.mtimeMs });
    } catch (err) {
      this.log.error(`handling a file from folder "${this.name}" failed: ${String(err)}`, { folder: this.name });
    }
    return true;
  }

  private handled(file: StableFile): boolean {
    try {
      return this.opts.isHandled?.(file.path, file.size, file.mtimeMs) ?? false;
    } catch (err) {
      this.log.error(`checking whether a file from folder "${this.name}" was handled failed: ${String(err)}`, { folder: this.name });
      return false;
    }
  }

  private isExcluded(abs: string): boolean {
    return this.excluded.some((dir) => abs === dir || pathInside(abs, dir));
  }

  /**
   * Whether a file that held still may be taken: it opens for reading, and no process holds
   * it open for writing (a writer that pauses longer than the stability wait — OBJ and ASCII
   * PLY have no end marker, so a cut-short file still parses). False re-arms the wait.
   */
  private async canRead(path: string): Promise<boolean> {
    const problem = await openProblem(path);
    if (problem) {
      if (!this.readWarned.has(path)) {
        this.readWarned.add(path);
        this.log.warn(`a file in folder "${this.name}" cannot be opened for reading (${problem}) — Cusp keeps trying; check its permissions if this persists`, { folder: this.name });
      }
      return false;
    }
    const writers = await (this.opts.writers ?? writerState)(path).catch((): WriterState => 'unknown');
    const rel = relativePosix(this.root, path);
    if (writers === 'writing') {
      this.log.debug(`a file in folder "${this.name}" is still open for writing: waiting (${rel === undefined ? 'file' : fileRef(rel)})`, { folder: this.name });
      return false;
    }
    if (writers === 'unknown' && !this.procWarned) {
      this.procWarned = true;
      this.log.info(`open files cannot be listed here (/proc unreadable): folder "${this.name}" relies on the ${this.opts.folder.stabilitySeconds} s stability wait alone to know a copy is finished`, { folder: this.name });
    }
    return true;
  }

  // ---- state -------------------------------------------------------------------------------

  private current(): [FolderState, string | undefined] {
    if (this.phase === 'stopped') return ['stopped', undefined];
    if (this.paused) return ['paused', undefined];
    if (this.phase === 'error') return ['error', this.errorMessage];
    if (this.phase === 'idle' || this.phase === 'starting') return ['starting', undefined];
    return this.polling ? ['polling', this.fallbackMessage] : ['watching', undefined];
  }

  private emitState(): void {
    const [state, message] = this.current();
    const key = `${state}\n${message ?? ''}`;
    if (key === this.emitted) return;
    this.emitted = key;
    try {
      this.opts.onState(state, message);
    } catch (err) {
      this.log.error(`reporting the state of folder "${this.name}" failed: ${String(err)}`, { folder: this.name });
    }
  }
}
