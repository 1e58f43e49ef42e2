/**
 * The watched folders at runtime: those of the config file plus those added through the
 * API or console (kept in the database), each with its watcher. Stable files go through a
 * small work queue into the ingest service — two at a time, so a burst of scans cannot
 * exhaust memory, and never the same path twice at once.
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import { folderPlaces, rootProblem } from '../config/folder-roots.js';
import { parseFolderSettings, type FolderConfig } from '../config/index.js';
import { CuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { busEvent, record } from '../events/record.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/store.js';
import type { IngestService } from './ingest-service.js';
import { restoreInterrupted } from './remove-original.js';
import { FolderWatcher, type FolderState } from './watcher.js';

export interface FolderInfo {
  name: string;
  path: string;
  origin: 'config' | 'runtime';
  state: FolderState;
  message?: string;
  settings: FolderConfig;
}

interface Entry {
  folder: FolderConfig;
  origin: 'config' | 'runtime';
  watcher: FolderWatcher;
  state: FolderState;
  message?: string;
}

interface Work {
  entry: Entry;
  path: string;
  relativePath: string;
}

export interface FolderManagerOptions {
  folders: FolderConfig[];
  dataDir: string;
  store: Store;
  audit: AuditLog;
  bus: EventBus;
  log: Logger;
  ingest: IngestService;
  /** Paths the watchers must never report (the database folder, archives, quarantines). */
  exclude?: string[];
  /** Files ingested at once. */
  parallel?: number;
  /**
   * Where folders added at runtime may be (folderRoots in config/folder-roots.ts): their
   * path, quarantine and archive must lie inside one. Undefined: no limit (tests only).
   */
  roots?: readonly string[];
  /** Called for every folder that starts being watched (the daemon hides its paths in logs). */
  onWatch?: (folder: FolderConfig) => void;
  /**
   * False while no file may be taken in (the disk is full or below store.minFreeMegabytes):
   * found files wait in their drop folders; call `wake` when it turns true again.
   */
  mayIngest?: () => boolean;
}

export class FolderManager {
  readonly #o: FolderManagerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #queue: Work[] = [];
  readonly #busy = new Set<string>();
  readonly #again = new Set<string>();
  readonly #firstSeen = new Map<string, number>();
  /** Files handled with this size and mtime (kept originals): rescans skip them. */
  readonly #handled = new Map<string, string>();
  #active = 0;
  #stopped = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: FolderManagerOptions) {
    this.#o = options;
  }

  /** Start watching the config's folders and those added at runtime before. */
  async start(): Promise<void> {
    for (const folder of this.#o.folders) await this.#watch(folder, 'config');
    for (const row of this.#o.store.folders.all()) {
      try {
        const folder = parseFolderSettings({ ...row.settings, paused: row.paused }, this.#o.dataDir);
        await this.#watch(folder, 'runtime');
      } catch (err) {
        this.#o.log.error(`a folder added at runtime cannot be watched: ${(err as Error).message}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.length = 0;
    await Promise.all([...this.#entries.values()].map((e) => e.watcher.stop()));
    await this.idle();
  }

  /** Resolves when no file is being ingested. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  list(): FolderInfo[] {
    return [...this.#entries.values()].map((e) => ({ name: e.folder.name!, path: e.folder.path, origin: e.origin, state: e.state, message: e.message, settings: e.folder }));
  }

  get(name: string): FolderInfo | undefined {
    return this.list().find((f) => f.name === name);
  }

  /** Watch a new folder from now on (kept across restarts). */
  async add(settings: unknown, actor: string, source: string | null = null): Promise<FolderInfo> {
    const folder = parseFolderSettings(settings, this.#o.dataDir);
    this.#checkNoOverlap(folder);
    mkdirSync(folder.path, { recursive: true, mode: 0o700 });
    const { store } = this.#o;
    store.transaction(() => {
      store.folders.add(folder.path, settings, folder.paused);
      record(this.#o, {
        audit: { actor, action: 'folder.add', object: `folder:${folder.name}`, source, details: { after: folder.after, rule: folder.rule, polling: folder.polling } },
        changes: [{ type: 'folder.added', objectType: 'folder', objectId: folder.name! }],
      });
    });
    await this.#watch(folder, 'runtime');
    return this.get(folder.name!)!;
  }

  /** Pause or resume a folder: paused, files stay where they are until it resumes. */
  setPaused(name: string, paused: boolean, actor: string, source: string | null = null): FolderInfo {
    const entry = this.#entry(name);
    if (paused) entry.watcher.pause();
    else entry.watcher.resume();
    entry.folder = { ...entry.folder, paused };
    const { store } = this.#o;
    store.transaction(() => {
      if (entry.origin === 'runtime') store.folders.setPaused(entry.folder.path, paused);
      record(this.#o, {
        audit: { actor, action: paused ? 'folder.pause' : 'folder.resume', object: `folder:${name}`, source },
        changes: [{ type: paused ? 'folder.paused' : 'folder.resumed', objectType: 'folder', objectId: name }],
      });
    });
    return this.get(name)!;
  }

  /** Stop watching a folder added at runtime (files in it are left alone). */
  async remove(name: string, actor: string, source: string | null = null): Promise<void> {
    const entry = this.#entry(name);
    if (entry.origin === 'config') throw new CuspError('conflict', `folder ${name} comes from the config file — remove it there and restart the daemon`);
    await entry.watcher.stop();
    this.#entries.delete(name);
    const { store } = this.#o;
    store.transaction(() => {
      store.folders.remove(entry.folder.path);
      record(this.#o, {
        audit: { actor, action: 'folder.remove', object: `folder:${name}`, source },
        changes: [{ type: 'folder.removed', objectType: 'folder', objectId: name }],
      });
    });
  }

  /** Walk every folder now; resolves with the number of files found. */
  async rescanAll(): Promise<number> {
    let n = 0;
    for (const e of this.#entries.values()) n += await e.watcher.rescan();
    return n;
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new CuspError('not_found', `no watched folder named ${name}`);
    return entry;
  }

  #checkNoOverlap(folder: FolderConfig): void {
    const roots = this.#o.roots;
    for (const [key, place] of roots ? folderPlaces(folder) : []) {
      const problem = rootProblem(key, place, roots!);
      if (problem) throw new CuspError('invalid_input', problem);
    }
    const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
    const path = resolve(folder.path);
    for (const e of this.#entries.values()) {
      if (e.folder.name === folder.name) throw new CuspError('conflict', `a folder named ${folder.name} is watched already — choose another name`);
      const other = resolve(e.folder.path);
      if (inside(path, other) || inside(other, path)) throw new CuspError('conflict', `${folder.path} overlaps the watched folder ${e.folder.name} (${e.folder.path})`);
    }
    if (inside(resolve(this.#o.dataDir), path)) throw new CuspError('invalid_input', `${folder.path} contains Cusp's data folder — watch a folder of its own`);
  }

  async #watch(folder: FolderConfig, origin: 'config' | 'runtime'): Promise<void> {
    this.#o.onWatch?.(folder);
    const exclude = [folder.quarantineDir!, ...(folder.archiveDir ? [folder.archiveDir] : []), ...(this.#o.exclude ?? [])];
    const entry: Entry = { folder, origin, state: 'starting', watcher: undefined as unknown as FolderWatcher };
    entry.watcher = new FolderWatcher({
      folder,
      log: this.#o.log,
      exclude,
      isHandled: (path, size, mtimeMs) => this.#handled.get(path) === `${size}:${mtimeMs}`,
      onState: (state, message) => {
        entry.state = state;
        entry.message = message;
        const busState = state === 'watching' || state === 'polling' || state === 'paused' || state === 'error' ? state : undefined;
        if (busState) this.#o.bus.emit('folder.state', { folder: folder.name!, state: busState, message });
      },
      onFile: (file) => this.#enqueue({ entry, path: file.path, relativePath: file.relativePath }),
      // No file name in the change: auditor-role users read /changes.
      onSkipped: (_relativePath, kind) => {
        record(this.#o, {
          changes: [{ type: 'file.skipped', objectType: 'folder', objectId: folder.name!, data: { kind } }],
          events: [busEvent('file.skipped', { folder: folder.name!, kind })],
        });
      },
    });
    this.#entries.set(folder.name!, entry);
    // Files a crash left under the hidden name of a removal in progress go back under
    // their names before the watcher looks, so it takes them in (again).
    const restored = await restoreInterrupted(folder.path).catch(() => 0);
    if (restored > 0) this.#o.log.warn(`put back ${restored} file(s) in folder ${folder.name} whose removal a crash interrupted; they are checked again`);
    await entry.watcher.start();
  }

  #enqueue(work: Work): void {
    // A path being ingested that became stable again (new bytes under the same name) is
    // looked at again once that ingest ends, not dropped until the next rescan.
    if (this.#busy.has(work.path)) this.#again.add(work.path);
    if (this.#stopped || this.#busy.has(work.path) || this.#queue.some((w) => w.path === work.path)) return;
    if (!this.#firstSeen.has(work.path)) this.#firstSeen.set(work.path, Date.now());
    this.#queue.push(work);
    this.#drain();
  }

  /** Take waiting files again (the disk has room again). */
  wake(): void {
    this.#drain();
  }

  /** True while ingest holds files back for lack of disk space. */
  get holding(): boolean {
    return this.#o.mayIngest?.() === false;
  }

  #drain(): void {
    const parallel = this.#o.parallel ?? 2;
    // A full disk: the files stay where they are (the queue only names them) until `wake`.
    if (this.holding) return;
    while (!this.#stopped && this.#active < parallel && this.#queue.length > 0) {
      const work = this.#queue.shift()!;
      this.#active++;
      this.#busy.add(work.path);
      void this.#process(work).finally(() => {
        this.#active--;
        this.#busy.delete(work.path);
        if (this.#again.delete(work.path)) work.entry.watcher.recheck(work.path, 0);
        if (this.#active === 0 && this.#queue.length === 0) this.#idleWaiters.splice(0).forEach((r) => r());
        this.#drain();
      });
    }
  }

  async #process({ entry, path, relativePath }: Work): Promise<void> {
    const { folder } = entry;
    try {
      const outcome = await this.#o.ingest.ingestFolderFile({ folder, path, relativePath, firstSeenMs: this.#firstSeen.get(path) ?? Date.now() });
      if (outcome.kind === 'incomplete') {
        this.#o.log.info(`a file in folder ${folder.name} is not readable yet, checking again in ${Math.round(outcome.retryInMs / 1000)} s (still being copied?)`);
        entry.watcher.recheck(path, outcome.retryInMs);
        return;
      }
      this.#firstSeen.delete(path);
      if ('recheck' in outcome && outcome.recheck) {
        // Changed after Cusp read it: what was read is stored, the file itself stays and is
        // taken in again once stable (a new version, or a new scan).
        for (const changed of outcome.recheck) {
          this.#o.log.info(`a file in folder ${folder.name} changed after it was read and stored; it is kept and read again`);
          entry.watcher.recheck(changed, Math.max(1000, folder.stabilitySeconds * 1000));
        }
      }
      if (folder.after === 'keep' && (outcome.kind === 'stored' || outcome.kind === 'duplicate' || outcome.kind === 'already')) {
        const st = statSync(path, { throwIfNoEntry: false });
        if (st) this.#handled.set(path, `${st.size}:${st.mtimeMs}`);
      }
    } catch (err) {
      // A failure of Cusp itself (disk full, database error): keep the file where it is,
      // say why, and try again with the next rescan. Nothing is deleted.
      this.#o.log.error(`ingest of a file in folder ${folder.name} failed; the file stays in place and is tried again at the next rescan: ${(err as Error).message}`);
      this.#firstSeen.delete(path);
    }
  }
}
