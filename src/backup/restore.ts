/**
 * Restoring a backup onto an installation whose daemon is stopped. The backup is fully
 * checked (verify.ts) in a private folder beside the database before anything is touched;
 * then the current files are moved aside into `asideDir` (nothing is deleted) and the
 * checked ones moved into place. The restored database is re-encrypted under the
 * installation's own key, so the key file or systemd credential keeps working.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { loadSigningKey, retiredKeysPath } from '../audit/signing.js';
import { dirname, join } from 'node:path';
import type { VerifyResult } from '../audit/verify.js';
import { CuspError } from '../errors.js';
import { rekeyCopy } from '../store/copy.js';
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
  /**
   * The audit signing key file kept apart from the server (0600), for a backup that does
   * not carry the key (made under the database key alone). Its key id must match the backup's.
   */
  signingKeyFile?: string;
  /** Restore a backup without its signing key anyway: the daemon then waits for 'cusp audit new-signing-key'. */
  withoutSigningKey?: boolean;
}

/** Where the restored signing key comes from (for the command's message). */
export type SigningKeySource = 'backup' | 'given' | 'kept' | 'none';

export interface RestoreResult {
  manifest: BackupManifest;
  audit: VerifyResult;
  /** The files moved into asideDir. */
  movedAside: string[];
  asideDir: string;
  restoredCa: boolean;
  signingKey: SigningKeySource;
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
    const keyId = checked.manifest.audit.signingKeyId;
    let signingKey: SigningKeySource;
    if (checked.files.signingKey) signingKey = 'backup';
    else if (options.signingKeyFile) {
      const given = loadSigningKey(options.signingKeyFile);
      if (given.keyId !== keyId) throw new CuspError('key_invalid', `${options.signingKeyFile} holds audit signing key ${given.keyId}, but the backup's trail is signed by ${keyId} — give the key file of the server the backup came from`);
      signingKey = 'given';
    } else if (existsSync(targets.signingKeyFile) && loadSigningKey(targets.signingKeyFile).keyId === keyId) signingKey = 'kept';
    else if (options.withoutSigningKey) signingKey = 'none';
    else {
      throw new CuspError('key_invalid', `${options.file} does not carry the audit signing key (key id ${keyId}): a backup under the database key alone leaves it out, so that key cannot be used to re-sign a rewritten trail. Give --signing-key FILE with the copy of ${targets.signingKeyFile} you keep apart from the server; or, if it is lost for good, --without-signing-key, then 'cusp audit new-signing-key --reason TEXT' before starting the daemon (recorded in the trail)`);
    }
    const restoreCa = checked.files.caCert !== undefined && checked.files.caKey !== undefined && targets.caFile !== undefined && targets.caKeyFile !== undefined;

    const replaced: Array<[string | undefined, string]> = [
      [targets.dbPath, 'cusp.db'], [`${targets.dbPath}-wal`, 'cusp.db-wal'], [`${targets.dbPath}-shm`, 'cusp.db-shm'],
      [targets.checkpointFile, 'checkpoints.jsonl'], [retiredKeysPath(targets.signingKeyFile), 'signing.key.retired'],
    ];
    // A kept key is the backup's own: it stays where it is.
    if (signingKey !== 'kept') replaced.push([targets.signingKeyFile, 'signing.key']);
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
    if (checked.files.signingKey) move(checked.files.signingKey, targets.signingKeyFile);
    else if (signingKey === 'given') {
      mkdirSync(dirname(targets.signingKeyFile), { recursive: true, mode: 0o700 });
      copyFileSync(options.signingKeyFile!, targets.signingKeyFile);
    }
    if (checked.files.retiredKeys) move(checked.files.retiredKeys, retiredKeysPath(targets.signingKeyFile));
    if (restoreCa) {
      move(checked.files.caCert!, targets.caFile!);
      move(checked.files.caKey!, targets.caKeyFile!);
    }
    return { manifest: checked.manifest, audit: checked.audit, movedAside, asideDir: options.asideDir, restoredCa: restoreCa, signingKey };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
