/**
 * One chokidar watcher over a folder, made safe to run inside a daemon: a handler that
 * throws never escapes into chokidar, a closed session drops every late event, and an
 * `error` emitted after close (the rest of a burst of refused watches) has a listener, so
 * it cannot crash the process. The folder watcher replaces a session instead of mutating
 * it (a fall-back to polling is a new session).
 */
import type { Stats } from 'node:fs';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';

/** Creates the chokidar watcher; injectable so a test can stand in for a kernel that refuses inotify watches. */
export type WatchFactory = (path: string, options: ChokidarOptions) => FSWatcher;

export interface SessionOptions {
  root: string;
  polling: boolean;
  intervalMs: number;
  depth: number;
  /** chokidar's `ignored`: called without stats first, then with them. */
  ignored: (path: string, stats?: Stats) => boolean;
  factory?: WatchFactory;
}

export interface SessionHandlers {
  /** A file was added or changed. */
  file(path: string, stats?: Stats): void;
  unlink(path: string): void;
  unlinkDir(path: string): void;
  /**
   * A raw file-system event: `watched` is the folder or file chokidar watches, `name` the
   * entry inside it the kernel named (inotify; for a watched file, its own base name), none
   * when polling. chokidar's own add/change can be lost (see the watcher); these are not.
   */
  raw(watched: string, name?: string): void;
  /** The initial scan is done. */
  ready(): void;
  /** chokidar reported an error; `first` is false for a code this session already reported. */
  error(err: unknown, code: string, first: boolean): void;
  /** A handler threw. */
  failed(err: unknown): void;
}

/** One live chokidar watcher; see the file comment. */
export class ChokidarSession {
  private closed = false;

  private constructor(private readonly fsw: FSWatcher) {}

  /** Starts chokidar on `opts.root` (reporting files already there) with `handlers` wired. */
  static open(opts: SessionOptions, handlers: SessionHandlers): ChokidarSession {
    const fsw = (opts.factory ?? watch)(opts.root, {
      ignoreInitial: false,
      usePolling: opts.polling,
      interval: opts.intervalMs,
      binaryInterval: opts.intervalMs,
      depth: opts.depth,
      alwaysStat: true,
      // Never leave the drop folder: a link to a folder or file elsewhere is not a scan that
      // landed here (and following it would store, then delete, someone else's file).
      followSymlinks: false,
      ignored: opts.ignored,
    });
    const session = new ChokidarSession(fsw);
    const seen = new Set<string>();
    const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
      if (session.closed) return;
      try {
        fn(...args);
      } catch (err) {
        handlers.failed(err);
      }
    };
    fsw.on('add', guard((p: string, s?: Stats) => handlers.file(p, s)));
    fsw.on('change', guard((p: string, s?: Stats) => handlers.file(p, s)));
    fsw.on('unlink', guard((p: string) => handlers.unlink(p)));
    fsw.on('unlinkDir', guard((p: string) => handlers.unlinkDir(p)));
    fsw.on('raw', guard((_event: string, evPath: unknown, details: unknown) => {
      const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      const name = typeof evPath === 'string' && evPath !== '' ? evPath : undefined;
      if (typeof watched === 'string') handlers.raw(watched, name);
      else if (name !== undefined) handlers.raw(name);
    }));
    fsw.on('ready', guard(() => handlers.ready()));
    fsw.on('error', guard((err: unknown) => {
      const raw = (err as { code?: unknown } | null)?.code;
      const code = typeof raw === 'string' ? raw : 'unknown';
      const first = !seen.has(code);
      seen.add(code);
      handlers.error(err, code, first);
    }));
    return session;
  }

  /** Closes chokidar; later events are dropped. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = this.fsw.close();
    // close() removes every listener, but a watch refused mid-scan can still emit 'error'.
    this.fsw.on('error', () => undefined);
    await done.catch(() => undefined);
  }
}

/**
 * The one log line for an inotify limit (`ENOSPC`: watches, `EMFILE`: instances or open
 * files), or undefined when `code` is not one.
 */
export function inotifyLimitMessage(code: string, root: string, pollSeconds: number): string | undefined {
  const limit = code === 'ENOSPC'
    ? 'more inotify watches than the system allows (fs.inotify.max_user_watches)'
    : code === 'EMFILE'
      ? 'more inotify instances or open files than the system allows (fs.inotify.max_user_instances, LimitNOFILE)'
      : undefined;
  if (!limit) return undefined;
  return `watching ${root} needs ${limit} — falling back to polling every ${pollSeconds} s; raise the limit with sysctl to get instant detection`;
}
