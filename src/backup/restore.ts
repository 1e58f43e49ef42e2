/**
 * Restoring a backup onto an installation whose daemon is stopped. The backup is fully
 * checked (verify.ts) in a private folder beside the database before anything is touched;
 * then the current files are moved aside into `asideDir` (nothing is deleted) and the
 * checked ones moved into place. The restored database is re-encrypted under the
 * installation's own key, so the key file or systemd credential keeps working.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VerifyResult } from '../audit/verify.js';
import { CuspError } from '../errors.js';
import { rekeyCopy } from './copy.js';
import type { InstallationFiles } from './create.js';
import type { BackupManifest } from './manifest.js';
import { checkBackup } from './verify.js';

export interface RestoreTargets extends InstallationFiles {
  /** The server certificate and key: moved aside when the CA is restored, so a new one is issued. */
  certFile?: string;
  tlsKeyFile?: string;
}

export interface RestoreOptions {
  file: string;
  /** The installation's database key; the restored database ends up under it. */
  dbKey: Buffer;
  /** The key the backup was made with, when it is not `dbKey`. */
  backupKey?: Buffer;
  targets: RestoreTargets;
  /** A new folder for the files being replaced. */
  asideDir: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  audit: VerifyResult;
  /** The files moved into asideDir. */
  movedAside: string[];
  asideDir: string;
  restoredCa: boolean;
}

/** Rename, or copy and remove across file systems. */
function move(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from);
  }
}

/** Check the backup, then replace the installation's database, audit files and CA with it. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { targets } = options;
  if (existsSync(options.asideDir)) throw new CuspError('conflict', `${options.asideDir} already exists — wait a second and run the restore again`);
  const backupKey = options.backupKey ?? options.dbKey;
  mkdirSync(dirname(targets.dbPath), { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(dirname(targets.dbPath), '.cusp-restore-'));
  try {
    const checked = await checkBackup(options.file, backupKey, work);
    rekeyCopy(checked.files.database, backupKey, options.dbKey);
    const restoreCa = checked.files.caCert !== undefined && checked.files.caKey !== undefined && targets.caFile !== undefined && targets.caKeyFile !== undefined;

    const replaced: Array<[string | undefined, string]> = [
      [targets.dbPath, 'cusp.db'], [`${targets.dbPath}-wal`, 'cusp.db-wal'], [`${targets.dbPath}-shm`, 'cusp.db-shm'],
      [targets.checkpointFile, 'checkpoints.jsonl'], [targets.signingKeyFile, 'signing.key'],
    ];
    if (restoreCa) {
      replaced.push([targets.caFile, 'ca.crt'], [targets.caKeyFile, 'ca.key'], [targets.certFile, 'server.crt'], [targets.tlsKeyFile, 'server.key']);
    }
    mkdirSync(options.asideDir, { recursive: true, mode: 0o700 });
    const movedAside: string[] = [];
    for (const [path, label] of replaced) {
      if (path === undefined || !existsSync(path)) continue;
      move(path, join(options.asideDir, label));
      movedAside.push(path);
    }
    move(checked.files.database, targets.dbPath);
    move(checked.files.checkpoints, targets.checkpointFile);
    move(checked.files.signingKey, targets.signingKeyFile);
    if (restoreCa) {
      move(checked.files.caCert!, targets.caFile!);
      move(checked.files.caKey!, targets.caKeyFile!);
    }
    return { manifest: checked.manifest, audit: checked.audit, movedAside, asideDir: options.asideDir, restoredCa: restoreCa };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
