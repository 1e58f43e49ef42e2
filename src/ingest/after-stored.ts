/**
 * After the commit: the drop-folder files of a stored scan are deleted or archived (or kept,
 * per the folder's `after`), each only through `removeIfStored`, which checks the file still
 * holds exactly the bytes that were read and stored.
 */
import { dirname, relative } from 'node:path';
import type { FolderConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { sha256Async } from '../store/blobs.js';
import type { ArrivalFile } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { below, toPosix } from './file-moves.js';
import { removeEmptyFolders, removeIfStored, type HowToRemove, type RemoveResult, type StoredState } from './remove-original.js';
import { sidecarRemovable, type Sidecar } from './sidecars.js';

/** A drop-folder file to remove once stored, with what was read and stored of it. */
export interface Removal {
  path: string;
  state: StoredState;
}

/**
 * The original is safely stored: delete or archive it (or keep it, per the folder's
 * setting) with its siblings, its sidecars once no scan of their folder remains, and the
 * case folders that leaves empty. Each file goes only through `removeIfStored`, checked
 * against what was read and stored. Resolves with the paths of scan files that changed
 * after they were read: they were put back and must be taken in again.
 */
export async function removeStoredFiles(services: { store: Store; log: Logger }, folder: FolderConfig, done: { original: Removal; names: string[]; arrival: ArrivalFile; siblings: Removal[]; sidecars: Sidecar[] }): Promise<string[]> {
  if (folder.after === 'keep' || (folder.after === 'archive' && !folder.archiveDir)) return [];
  const { log, store } = services;
  const how = (path: string): HowToRemove => folder.after === 'archive'
    ? { kind: 'archive', to: below(folder.archiveDir!, toPosix(relative(folder.path, path))) }
    : { kind: 'delete' };
  const recheck: string[] = [];
  const remove = async (f: Removal, what: string): Promise<RemoveResult | undefined> => {
    if (!store.scans.holdsBytes(f.state.sha256)) return undefined;
    try {
      const result = await removeIfStored(f.path, f.state, how(f.path));
      if (result.kind === 'changed') log.warn(`a ${what} in folder ${folder.name} changed after Cusp read it (${result.why}): it stays and is read again; the stored bytes stay too`);
      return result;
    } catch (err) {
      // The scan is stored; the next rescan sees the file again as 'already' and retries.
      log.warn(`could not ${folder.after} a stored ${what} in folder ${folder.name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return undefined;
    }
  };
  const scanResult = await remove(done.original, 'scan file');
  if (scanResult?.kind === 'changed') recheck.push(scanResult.path);
  if (scanResult && scanResult.kind !== 'changed') {
    const scan = store.scans.findBySha256(done.original.state.sha256);
    // A zip's scans carry other hashes: their arrivals close by name.
    const scans = scan ? [scan] : [];
    for (const name of done.names) {
      const s = scans[0] ?? store.scans.lastArrivedAs(folder.name!, name);
      if (s) store.scans.markRemoved(s.id, folder.name!, name, done.arrival);
    }
  }
  if (scanResult?.kind === 'changed' || scanResult === undefined) return recheck;
  for (const sibling of done.siblings) await remove(sibling, 'file stored with a scan');
  for (const sidecar of done.sidecars) {
    if (!sidecarRemovable(folder.path, done.original.path, sidecar)) continue;
    await remove({ path: sidecar.path, state: { sha256: await sha256Async(sidecar.bytes), size: sidecar.size, mtimeMs: sidecar.mtimeMs } }, 'sidecar');
  }
  const scopes = new Set([dirname(done.original.path), ...done.sidecars.map((s) => s.scope)]);
  for (const dir of [...scopes].sort((a, b) => b.length - a.length)) {
    const gone = await removeEmptyFolders(folder.path, dir);
    if (gone.length > 0) log.debug(`removed ${gone.length} emptied case folder(s) in folder ${folder.name}`);
  }
  return recheck;
}
