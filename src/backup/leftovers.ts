/**
 * What a killed backup or restore leaves behind: a backup's staging folder (a full copy of
 * the database, easily hundreds of MB) and its `.partial` file in the backup folder, and a
 * restore's work folder beside the database. Each normally removes itself in a `finally`;
 * a SIGKILL or a power cut skips that. The daemon removes them at start, while it holds
 * the data folder's lock (so no backup or restore of this installation is running).
 * Only names of exactly the shapes Cusp creates are touched (create.ts, restore.ts); the
 * `.pre-restore-*` folders holding replaced files are kept: they are the user's to remove.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_SUFFIX } from './manifest.js';

const suffix = BACKUP_SUFFIX.replaceAll('.', '\\.');
/** `mkdtempSync` adds six characters from [A-Za-z0-9]. */
const STAGING = new RegExp(`^\\..+${suffix}\\.staging-[A-Za-z0-9]{6}$`);
const PARTIAL = new RegExp(`^.+${suffix}\\.partial$`);
const RESTORE_WORK = /^\.cusp-restore-[A-Za-z0-9]{6}$/;

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Remove the leftovers of killed backups in `backupDir` and of killed restores in `dbDir`.
 * Returns the paths removed (for one log line).
 */
export function removeLeftovers(backupDir: string, dbDir: string): string[] {
  const removed: string[] = [];
  const remove = (path: string): void => {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  };
  for (const name of namesIn(backupDir)) {
    if (STAGING.test(name) || PARTIAL.test(name)) remove(join(backupDir, name));
  }
  for (const name of namesIn(dbDir)) {
    if (RESTORE_WORK.test(name)) remove(join(dbDir, name));
  }
  return removed;
}
