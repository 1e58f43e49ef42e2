/**
 * Key rotation. SQLCipher refuses `PRAGMA rekey` in WAL mode, so: checkpoint, leave WAL,
 * rekey, return to WAL.
 *
 * Order matters so that a crash at any point loses nothing: the new key is first written
 * to `<keyFile>.new` (0600, synced), then the database is rekeyed, then the new file
 * replaces the old one with an atomic rename. If the process dies between rekey and
 * rename, `recoverPendingRotation` finishes the job at the next start.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CuspError } from '../errors.js';
import { openDatabase, type Db } from './database.js';
import { readKeyFile } from './key.js';

/** Rekey an open database handle to `newKey`. */
export function rekeyDatabase(db: Db, newKey: Buffer): void {
  if (newKey.length !== 32) throw new CuspError('key_invalid', 'the new key must be 256 bits');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  try {
    db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
  } finally {
    db.pragma('journal_mode = WAL');
  }
}

/** Write a key file and fsync it; never over an existing file (it may be the only copy of a key). */
export function writeKeyFileSynced(path: string, key: Buffer): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new CuspError('conflict', `${path} already exists (the new key of an unfinished rotation) — start the daemon once or run cusp key rotate again: either settles it first`);
  }
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync the folder holding `path`, so a rename in it survives a power cut. */
export function syncDir(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rotate the key of the database at `dbPath`, whose current key is in `keyFile`.
 * Returns the new key. `db` lets a command rotate the handle it holds. The caller holds the
 * data folder (no daemon beside it) and has run `recoverPendingRotation` first.
 */
export function rotateKeyFile(dbPath: string, keyFile: string, db?: Db): Buffer {
  const oldKey = readKeyFile(keyFile);
  const newKey = randomBytes(32);
  const pending = `${keyFile}.new`;
  writeKeyFileSynced(pending, newKey);
  syncDir(pending);
  const handle = db ?? openDatabase(dbPath, oldKey);
  try {
    rekeyDatabase(handle, newKey);
  } finally {
    if (!db) handle.close();
  }
  renameSync(pending, keyFile);
  syncDir(keyFile);
  return newKey;
}

/** What `recoverPendingRotation` found and did. */
export interface RecoveryResult {
  /** 'none': no pending key (or nothing to judge it against); 'finished': the pending key
   * opened the database and became the key file; 'undone': the old key still opens it, the
   * unused pending key was renamed aside (never deleted) to `asidePath`. */
  outcome: 'none' | 'finished' | 'undone';
  asidePath?: string;
}

/** True when `key` opens the database at `dbPath`; false for a wrong key; throws otherwise. */
function keyOpens(dbPath: string, key: Buffer, readonly: boolean): boolean {
  try {
    openDatabase(dbPath, key, { readonly }).close();
    return true;
  } catch (err) {
    // Only SQLite's "not a database" under this key is a wrong key; anything else (a library
    // without the cipher, an I/O error) says nothing about the key and must stop the start.
    if (err instanceof CuspError && err.code === 'key_invalid' && /^the key does not open database/.test(err.message)) return false;
    throw err;
  }
}

function readKeyOrUndefined(path: string): Buffer | undefined {
  try {
    return readKeyFile(path);
  } catch (err) {
    if (err instanceof CuspError && err.code === 'key_invalid') return undefined;
    throw err;
  }
}

/** A free name beside `path` for a key set aside (`<path>.unused-<time>[-n]`). */
function asideName(path: string, tag: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const candidate = `${path}.${tag}-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Finish or undo a rotation that a crash interrupted (of the CLI or of the daemon), using
 * only what is on disk. With `<keyFile>.new` present:
 * - the old key (the key file) is tried first: when it opens the database, the rekey never
 *   committed, and the pending key is renamed aside as `<keyFile>.new.unused-<time>`.
 *   Trying the old key first also rolls back a rekey cut short (its hot journal holds the
 *   pages under the old key): judging the new key against a half-rewritten file could
 *   condemn the only key that opens it once the journal is played back;
 * - otherwise, when the pending key opens it, the rekey committed and the pending key
 *   replaces the key file (atomic rename);
 * - when neither opens it, nothing is touched and the start stops with one line.
 * No key is ever deleted. A missing or empty database is no evidence either way: then
 * nothing is done (the open that follows refuses or creates it). `readonly` probes without
 * writing (beside a running daemon, which holds the database).
 */
export function recoverPendingRotation(dbPath: string, keyFile: string, { readonly = false } = {}): RecoveryResult {
  const pending = `${keyFile}.new`;
  if (!existsSync(pending)) return { outcome: 'none' };
  if (!existsSync(dbPath) || statSync(dbPath).size === 0) return { outcome: 'none' };
  const candidate = readKeyOrUndefined(pending);
  const oldKey = existsSync(keyFile) ? readKeyOrUndefined(keyFile) : undefined;
  if (candidate === undefined) {
    // Not a key (a write cut short before its fsync): it cannot have been used for a rekey.
    const aside = asideName(pending, 'invalid');
    renameSync(pending, aside);
    syncDir(aside);
    return { outcome: 'undone', asidePath: aside };
  }
  if (oldKey !== undefined && keyOpens(dbPath, oldKey, readonly)) {
    const aside = asideName(pending, 'unused');
    renameSync(pending, aside);
    syncDir(aside);
    return { outcome: 'undone', asidePath: aside };
  }
  if (keyOpens(dbPath, candidate, readonly)) {
    renameSync(pending, keyFile);
    syncDir(keyFile);
    return { outcome: 'finished' };
  }
  throw new CuspError('key_invalid', `neither the key file ${keyFile} nor the pending key ${pending} of an interrupted key rotation opens database ${dbPath} — both were left as they are; restore the database from a backup (cusp restore FILE) or the key from your key escrow`);
}
