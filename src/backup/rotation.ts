/**
 * Names and rotation of the backups Cusp names itself (`cusp backup` without a file name,
 * and scheduled backups): `cusp-YYYYMMDD-HHMMSS[-n].cuspbak` (UTC) in `backup.dir`.
 * Rotation only ever removes files of exactly that shape, never a backup named by hand.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_SUFFIX } from './manifest.js';

const AUTO_NAME = /^cusp-(\d{8}-\d{6})(?:-(\d+))?\.cuspbak$/;

/** A new file name in `dir` for a backup made at `time`. */
export function autoBackupPath(dir: string, time: Date): string {
  const stamp = time.toISOString().slice(0, 19).replace(/-/g, '').replace('T', '-').replace(/:/g, '');
  for (let n = 1; ; n++) {
    const path = join(dir, `cusp-${stamp}${n === 1 ? '' : `-${n}`}${BACKUP_SUFFIX}`);
    if (!existsSync(path)) return path;
  }
}

function order(name: string): [string, number] {
  const m = AUTO_NAME.exec(name)!;
  return [m[1], Number(m[2] ?? 1)];
}

/** The automatically named backups in `dir`, oldest first. */
export function listAutoBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => AUTO_NAME.test(n)).sort((a, b) => {
    const [sa, na] = order(a);
    const [sb, nb] = order(b);
    return sa.localeCompare(sb) || na - nb;
  });
}

/** Remove the oldest automatically named backups so that `keep` remain; returns what was removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listAutoBackups(dir);
  const removed = all.slice(0, Math.max(0, all.length - keep)).map((n) => join(dir, n));
  for (const path of removed) rmSync(path, { force: true });
  return removed;
}
