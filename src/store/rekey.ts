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
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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

function writeKeyFileSynced(path: string, key: Buffer): void {
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rotate the key of the database at `dbPath`, whose current key is in `keyFile`.
 * Returns the new key. `db` lets a running daemon rotate its own open handle.
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

/**
 * Finish a rotation that a crash interrupted: when `<keyFile>.new` exists and opens the
 * database, it becomes the key file; when it does not open it, it is a leftover from a
 * rotation that never reached the rekey, and is removed. Returns true when it finished one.
 */
export function recoverPendingRotation(dbPath: string, keyFile: string): boolean {
  const pending = `${keyFile}.new`;
  if (!existsSync(pending)) return false;
  const candidate = readKeyFile(pending);
  let opens = false;
  try {
    openDatabase(dbPath, candidate).close();
    opens = true;
  } catch (err) {
    if (!(err instanceof CuspError && err.code === 'key_invalid')) throw err;
  }
  if (opens) {
    renameSync(pending, keyFile);
    syncDir(keyFile);
    return true;
  }
  rmSync(pending, { force: true });
  return false;
}

