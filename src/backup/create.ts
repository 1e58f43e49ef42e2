/**
 * Making a backup file (format: manifest.ts). Everything is staged in a private folder
 * beside the target, the archive is written as `<file>.partial`, fsynced and renamed: a
 * crash or a full disk never leaves something that looks like a finished backup.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadSigningKey, retiredKeysPath } from '../audit/signing.js';
import { CuspError } from '../errors.js';
import { syncDir } from '../store/fsync.js';
import { openCopy, snapshotDatabase } from '../store/copy.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, ENTRY, keyId, sha256File, type BackupManifest } from './manifest.js';
import { seal } from './sealed.js';
import { writeTar, type TarSource } from './tar.js';

/** Where the parts of a live installation are (from the config). */
export interface InstallationFiles {
  dbPath: string;
  checkpointFile: string;
  signingKeyFile: string;
  caFile?: string;
  caKeyFile?: string;
}

export interface CreateBackupOptions extends InstallationFiles {
  /** The backup file to write; must not exist. */
  file: string;
  /** The database key. */
  dbKey: Buffer;
  /**
   * A separate key for the backup; default: the database key. Only a backup under a
   * separate key carries the audit signing key (sealed under it).
   */
  backupKey?: Buffer;
  cuspVersion: string;
  clock?: () => number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/** Keep the checkpoint lines the copy can be verified against: those up to its last event. */
function checkpointsUpTo(path: string, headSeq: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return (JSON.parse(line) as { seq?: number }).seq! <= headSeq;
    } catch {
      // A damaged line is kept: verifying the backup must report it, not hide it.
      return true;
    }
  }).map((line) => `${line}\n`).join('');
}

/** Write a consistent, encrypted backup of the installation into `options.file`. */
export async function createBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const { file } = options;
  if (existsSync(file)) throw new CuspError('conflict', `${file} already exists — cusp backup never overwrites a backup; choose a new name`);
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const backupKey = options.backupKey ?? options.dbKey;
  const staging = mkdtempSync(join(dir, `.${basename(file)}.staging-`));
  const partial = `${file}.partial`;
  try {
    const copy = join(staging, 'cusp.db');
    snapshotDatabase(options.dbPath, options.dbKey, copy, backupKey);
    const opened = openCopy(copy, backupKey);
    let facts;
    try {
      facts = opened.facts();
    } finally {
      opened.close();
    }
    const signing = loadSigningKey(options.signingKeyFile);
    const staged: Array<TarSource> = [{ name: ENTRY.database, path: copy }];
    const stage = (name: string, content: string | Buffer): void => {
      const path = join(staging, name.replaceAll('/', '_'));
      writeFileSync(path, content, { mode: 0o600 });
      staged.push({ name, path });
    };
    stage(ENTRY.checkpoints, checkpointsUpTo(options.checkpointFile, facts.head?.seq ?? 0));
    // The private signing key never travels under the database key alone: whoever holds
    // that key could otherwise rewrite the trail and re-sign it. Under a separate backup key
    // (kept away from the server) it does; else restoring asks for the kept key file.
    const separate = options.backupKey !== undefined && !options.backupKey.equals(options.dbKey);
    stage(ENTRY.signingPublicKey, signing.publicPem);
    if (separate) stage(ENTRY.signingKey, seal(backupKey, ENTRY.signingKey, readFileSync(options.signingKeyFile)));
    const retired = retiredKeysPath(options.signingKeyFile);
    if (existsSync(retired)) stage(ENTRY.retiredKeys, readFileSync(retired));
    if (options.caFile && options.caKeyFile && existsSync(options.caFile) && existsSync(options.caKeyFile)) {
      stage(ENTRY.caCert, readFileSync(options.caFile));
      stage(ENTRY.caKey, seal(backupKey, ENTRY.caKey, readFileSync(options.caKeyFile)));
    }
    const files = [];
    for (const s of staged) files.push({ name: s.name, bytes: statSync(s.path).size, sha256: await sha256File(s.path) });
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      cuspVersion: options.cuspVersion,
      createdAt: new Date((options.clock ?? Date.now)()).toISOString(),
      schemaVersion: facts.schemaVersion,
      instanceId: facts.instanceId,
      key: { kind: separate ? 'separate' : 'database', id: keyId(backupKey) },
      audit: { events: facts.events, headSeq: facts.head?.seq ?? 0, headHash: facts.head?.hash ?? '', signingKeyId: signing.keyId },
      files,
    };
    const manifestPath = join(staging, ENTRY.manifest);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    rmSync(partial, { force: true });
    await writeTar(partial, [{ name: ENTRY.manifest, path: manifestPath }, ...staged]);
    renameSync(partial, file);
    syncDir(file);
    return { file, bytes: statSync(file).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}
