/**
 * Key rotation. SQLCipher refuses `PRAGMA rekey` in WAL mode, so: checkpoint, leave WAL,
 * rekey, return to WAL.
 *
 * The library's rekey is not atomic under a kill. SQLite3 Multiple Ciphers rewrites every
 * page in place under the new key in one rollback-journal transaction; a SIGKILL in the
 * middle can leave file and journal under mixed keys that neither key rolls back (seen in
 * test/faults/key-rotate-killed.test.ts: neither key passed `PRAGMA quick_check`). So we
 * never depend on it: before the rekey, a byte-for-byte copy of the database under the old
 * key is made durable as `<db>.pre-rekey` (written as `.pre-rekey.partial`, fsynced,
 * renamed, folder fsynced). It is taken after `wal_checkpoint(TRUNCATE)` and the switch to
 * `journal_mode = DELETE`, synchronously up to the rekey, so the whole database is in the
 * main file and nothing in this process writes between copy and rekey (the switch to DELETE
 * needs the only connection: the daemon's checkpoint thread is paused by its caller). The
 * copy is removed only once the rotation is settled: the database passed `quick_check`
 * under the new key and the new key is the key file (`removeRekeyCopy`).
 *
 * Order of a rotation: the new key is written to `<keyFile>.new` (0600, synced), the copy,
 * the rekey, the check, the rename of the new key over the key file, the copy removed. A kill
 * anywhere leaves something `recoverPendingRotation` settles at the next start.
 *
 * Disk space: the copy needs as much free space as the database, plus a margin; a rotation
 * without that room is refused before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CuspError } from '../errors.js';
import { openDatabase, type Db } from './database.js';
import { syncDir, syncFile } from './fsync.js';
import { readKeyFile } from './key.js';

/** The safety copy of the database under the old key while a rekey is unsettled. */
export const rekeyCopyPath = (dbPath: string): string => `${dbPath}.pre-rekey`;
const partialCopyPath = (dbPath: string): string => `${dbPath}.pre-rekey.partial`;

/** Free space wanted beyond the copy itself (the WAL coming back, the journal of the rekey). */
export const REKEY_MARGIN_BYTES = 64 * 1024 * 1024;

/** Refuse a rotation when the database's file system has no room for its copy plus a margin. */
export function assertRoomForCopy(dbPath: string): void {
  const size = statSync(dbPath).size;
  const fs = statfsSync(dirname(dbPath));
  const free = fs.bavail * fs.bsize;
  const need = size + REKEY_MARGIN_BYTES;
  if (free < need) {
    const mb = (n: number) => Math.ceil(n / 1024 / 1024);
    throw new CuspError('disk_full', `key rotation needs ${mb(need)} MB free beside the database (a safety copy of its ${mb(size)} MB under the old key, plus ${mb(REKEY_MARGIN_BYTES)} MB); only ${mb(free)} MB are free in ${dirname(dbPath)} — free some space and run it again`);
  }
}

/** Make the durable copy of the (fully checkpointed, non-WAL) database file. */
function takeRekeyCopy(dbPath: string): void {
  const partial = partialCopyPath(dbPath);
  rmSync(partial, { force: true }); // a copy cut short by an earlier kill: never the only copy of anything
  copyFileSync(dbPath, partial);
  syncFile(partial);
  renameSync(partial, rekeyCopyPath(dbPath)); // over a stale copy: the open database is good, it is newer
  syncDir(dbPath);
}

/** Remove the safety copy once the rotation is settled (the new key opens it and is on disk). */
export function removeRekeyCopy(dbPath: string): void {
  if (!existsSync(rekeyCopyPath(dbPath))) return;
  rmSync(rekeyCopyPath(dbPath), { force: true });
  syncDir(dbPath);
}

/**
 * Rekey an open handle to `newKey`, with a safety copy under the old key left on disk as
 * `<db>.pre-rekey` (the caller removes it with `removeRekeyCopy` once the new key is where
 * the next start reads it). After the rekey the handle must pass `quick_check`.
 */
export function rekeyDatabase(db: Db, newKey: Buffer): void {
  if (newKey.length !== 32) throw new CuspError('key_invalid', 'the new key must be 256 bits');
  const dbPath = db.name;
  // A copy left from an earlier rotation is stale: this handle is open and good (and newer).
  // Removed before anything else, so a kill below never finds it and restores old data.
  removeRekeyCopy(dbPath);
  assertRoomForCopy(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  try {
    // Synchronous from here to the rekey: nothing in this process writes in between.
    takeRekeyCopy(dbPath);
    db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CuspError('storage_corrupt', `database ${dbPath} failed its check right after the re-encryption (${String(check)}); the copy under the old key is kept as ${rekeyCopyPath(dbPath)} and the next start restores it`);
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

/**
 * Rotate the key of the database at `dbPath`, whose current key is in `keyFile`.
 * Returns the new key. `open` lets a command rotate the store it holds. The caller holds the
 * data folder (no daemon beside it) and has run `recoverPendingRotation` first.
 */
export function rotateKeyFile(dbPath: string, keyFile: string, open?: { rekey(newKey: Buffer): void }): Buffer {
  const oldKey = readKeyFile(keyFile);
  assertRoomForCopy(dbPath);
  const newKey = randomBytes(32);
  const pending = `${keyFile}.new`;
  writeKeyFileSynced(pending, newKey);
  syncDir(pending);
  if (open) open.rekey(newKey);
  else {
    const handle = openDatabase(dbPath, oldKey);
    try {
      rekeyDatabase(handle, newKey);
    } finally {
      handle.close();
    }
  }
  renameSync(pending, keyFile);
  syncDir(keyFile);
  removeRekeyCopy(dbPath);
  return newKey;
}

/** What `recoverPendingRotation` found and did. */
export interface RecoveryResult {
  /** 'none': no pending key (or nothing to judge it against); 'finished': the pending key
   * opened the database and became the key file; 'undone': the old key still opens it, the
   * unused pending key was renamed aside (never deleted) to `asidePath`. */
  outcome: 'none' | 'finished' | 'undone' | 'restored';
  asidePath?: string;
  /** 'restored': no key passed `quick_check` on the database, so it was moved here (never
   * deleted) and the safety copy under the old key took its place. */
  brokenPath?: string;
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

/** SQLite's answers that mean "these pages do not read under this key". */
const UNREADABLE = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * True when `key` opens the database at `dbPath` and every b-tree page then reads
 * (`PRAGMA quick_check` = ok; SQLite3MC has no `cipher_integrity_check`). Opening page 1 is
 * not enough: a rekey cut short leaves pages under both keys.
 */
function keyPasses(dbPath: string, key: Buffer, readonly: boolean): boolean {
  let db: Db;
  try {
    db = openDatabase(dbPath, key, { readonly });
  } catch (err) {
    if (err instanceof CuspError && err.code === 'key_invalid' && /^the key does not open database/.test(err.message)) return false;
    if (UNREADABLE.test((err as { code?: string }).code ?? '')) return false;
    throw err;
  }
  try {
    return db.pragma('quick_check', { simple: true }) === 'ok';
  } catch (err) {
    if (UNREADABLE.test((err as { code?: string }).code ?? '')) return false;
    throw err;
  } finally {
    db.close();
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

/** A free name beside `path` for a file set aside (`<path>.<tag>-<time>[-n]`). */
function asideName(path: string, tag: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const candidate = `${path}.${tag}-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** Rename the pending key aside, never deleting it (it may have encrypted something). */
export function setAside(pending: string, tag: string): string {
  const aside = asideName(pending, tag);
  renameSync(pending, aside);
  syncDir(aside);
  return aside;
}

/** What `settleWithCopy` works from: the paths, and the keys read once at its start. */
interface Unsettled {
  dbPath: string;
  keyFile: string;
  pending: string;
  /** The key of `--new-key-file` (a systemd credential): then there is no key file or pending key. */
  credentialKey?: Buffer;
  /** The key the copy was taken under: the credential, else the key file's (undefined when unreadable). */
  oldKey?: Buffer;
  /** The pending key of the rotation (undefined with a credential, or when missing or unreadable). */
  candidate?: Buffer;
}

/**
 * Settle a rotation whose safety copy (`<db>.pre-rekey`) is still on disk, holding the data
 * folder. The copy was taken with nothing writing until the rekey, so:
 * - a hot `-journal` means the kill came between the copy and the return to WAL (the rekey,
 *   its commit, or the switch back to WAL): the database holds nothing the copy does not, so
 *   the copy is put back without probing the live file at all. Probing it would play the
 *   journal back under whichever key is tried first, which writes to the file — under the
 *   wrong key, or with a journal of mixed keys, that is how a file neither key opens is made;
 * - with no journal, opening writes nothing under a wrong key (page 1 does not decrypt), so
 *   the keys are tried in place, old then pending, each with a full `quick_check`: the one
 *   that passes settles the rotation (the daemon may have written scans under the new key
 *   since; the copy must not win over them) and the copy is removed (`settleInPlace`);
 * - when none passes (or after a hot journal), the database and its journal/WAL are moved
 *   aside as `<name>.broken-<time>` (never deleted), the copy — first checked with
 *   `quick_check` under the old key — becomes the database, the pending key is set aside
 *   (`restoreCopy`).
 */
function settleWithCopy(dbPath: string, keyFile: string, pending: string, credentialKey?: Buffer): RecoveryResult {
  const u: Unsettled = {
    dbPath, keyFile, pending, credentialKey,
    oldKey: credentialKey ?? (existsSync(keyFile) ? readKeyOrUndefined(keyFile) : undefined),
    candidate: !credentialKey && existsSync(pending) ? readKeyOrUndefined(pending) : undefined,
  };
  const journal = `${dbPath}-journal`;
  const hot = existsSync(journal) && statSync(journal).size > 0;
  // The live file is probed only without a hot journal (probing would play it back) and
  // when it holds something: a missing or empty database is no evidence for either key.
  if (!hot && existsSync(dbPath) && statSync(dbPath).size > 0) {
    const settled = settleInPlace(u);
    if (settled) return settled;
  }
  return restoreCopy(u, hot);
}

/**
 * The live database (no hot journal) tried under the old key, then under the pending key,
 * each with a full `quick_check`. The old key first: when it passes, the rekey never
 * committed and the pending key was never used. Undefined when neither passes (the copy
 * must then be put back); with a credential key nothing is touched and the start stops.
 */
function settleInPlace(u: Unsettled): RecoveryResult | undefined {
  const { dbPath, keyFile, pending, credentialKey } = u;
  if (u.oldKey !== undefined && keyPasses(dbPath, u.oldKey, false)) {
    const asidePath = setPendingAside(u);
    removeRekeyCopy(dbPath);
    return asidePath ? { outcome: 'undone', asidePath } : { outcome: 'none' };
  }
  if (u.candidate !== undefined && keyPasses(dbPath, u.candidate, false)) {
    // The new key becomes the key file before the copy goes: a kill in between leaves a
    // copy that the next start settles again, never a database without its key.
    renameSync(pending, keyFile);
    syncDir(keyFile);
    removeRekeyCopy(dbPath);
    return { outcome: 'finished' };
  }
  if (credentialKey) {
    // The new key of `--new-key-file` is not known here, and the daemon may have written
    // under it since its rekey: the copy must not win over that. Nothing is touched.
    throw new CuspError('key_invalid', `database ${dbPath} does not read under the credential key, and a key rotation left the copy ${rekeyCopyPath(dbPath)} taken before it — if cusp key rotate --new-key-file ran, install that key as the credential and start again (the copy is then removed); otherwise move ${dbPath} aside and rename the copy to ${dbPath}`);
  }
  return undefined;
}

/**
 * Put the safety copy back as the database. The copy is checked under the old key first and
 * nothing is moved when it fails. Then the journal, WAL and shm go aside before the database
 * (a journal left beside the restored copy would be played back into it), all under one
 * stamp; the copy is renamed into place and the folder synced before the pending key is set
 * aside: a kill before that rename leaves the copy for the next start to settle again, one
 * after it leaves only the pending key, which the old key's check then sets aside.
 */
function restoreCopy(u: Unsettled, hot: boolean): RecoveryResult {
  const { dbPath, keyFile, credentialKey } = u;
  const copy = rekeyCopyPath(dbPath);
  if (u.oldKey === undefined || !keyPasses(copy, u.oldKey, true)) {
    throw new CuspError('key_invalid', `an interrupted key rotation left database ${dbPath}${hot ? ' with its rollback journal' : ''} and the copy ${copy} taken before it, and ${credentialKey ? 'the credential key' : `the key file ${keyFile}`} does not pass a check on the copy — everything was left as it is; restore from a backup (cusp restore FILE) or the key from your key escrow`);
  }
  const stamp = asideName(dbPath, 'broken').slice(dbPath.length + '.broken-'.length);
  const brokenPath = `${dbPath}.broken-${stamp}`;
  for (const suffix of ['-journal', '-wal', '-shm']) {
    if (existsSync(`${dbPath}${suffix}`)) renameSync(`${dbPath}${suffix}`, `${dbPath}${suffix}.broken-${stamp}`);
  }
  if (existsSync(dbPath)) renameSync(dbPath, brokenPath);
  renameSync(copy, dbPath);
  syncDir(dbPath);
  return { outcome: 'restored', brokenPath, asidePath: setPendingAside(u) };
}

/** The pending key renamed aside (`unused`, or `invalid` when it is no key), when there is one; never with a credential key. */
function setPendingAside(u: Unsettled): string | undefined {
  return !u.credentialKey && existsSync(u.pending) ? setAside(u.pending, u.candidate ? 'unused' : 'invalid') : undefined;
}

/**
 * With the key from a systemd credential (`cusp key rotate --new-key-file`), only the safety
 * copy can be left to settle: a partial copy is removed; a copy is removed when the database
 * passes under `key`, put back when a hot journal shows the kill came inside the rekey, and
 * otherwise left for the administrator (the new key is in a file only they know).
 */
export function recoverRekeyCopy(dbPath: string, key: Buffer): RecoveryResult {
  if (existsSync(partialCopyPath(dbPath))) {
    rmSync(partialCopyPath(dbPath), { force: true });
    syncDir(dbPath);
  }
  if (!existsSync(rekeyCopyPath(dbPath))) return { outcome: 'none' };
  return settleWithCopy(dbPath, '', '', key);
}

/**
 * Finish or undo a rotation that a crash interrupted (of the CLI or of the daemon), using
 * only what is on disk. A `<db>.pre-rekey.partial` is a copy cut short before the rekey began
 * (the database is untouched): it is removed. A `<db>.pre-rekey` means the rekey may have
 * started and not been settled: see `settleWithCopy`. Otherwise, with `<keyFile>.new` present:
 * - the old key (the key file) is tried first: when it opens the database, the rekey never
 *   committed, and the pending key is renamed aside as `<keyFile>.new.unused-<time>`;
 * - otherwise, when the pending key opens it, the rekey committed and the pending key
 *   replaces the key file (atomic rename);
 * - when neither opens it, nothing is touched and the start stops with one line.
 * No key is ever deleted. A missing or empty database is no evidence either way: then
 * nothing is done (the open that follows refuses or creates it). `readonly` probes without
 * writing (beside a running daemon, which holds the database): then the copy is left alone
 * (the daemon may be in the middle of its rotation), and a hot journal means "not now".
 */
export function recoverPendingRotation(dbPath: string, keyFile: string, { readonly = false } = {}): RecoveryResult {
  const pending = `${keyFile}.new`;
  if (!readonly && existsSync(partialCopyPath(dbPath))) {
    rmSync(partialCopyPath(dbPath), { force: true });
    syncDir(dbPath);
  }
  if (!readonly && existsSync(rekeyCopyPath(dbPath))) return settleWithCopy(dbPath, keyFile, pending);
  if (!existsSync(pending)) return { outcome: 'none' };
  if (!existsSync(dbPath) || statSync(dbPath).size === 0) return { outcome: 'none' };
  if (readonly && existsSync(`${dbPath}-journal`)) return { outcome: 'none' };
  const candidate = readKeyOrUndefined(pending);
  const oldKey = existsSync(keyFile) ? readKeyOrUndefined(keyFile) : undefined;
  if (candidate === undefined) {
    // Not a key (a write cut short before its fsync): it cannot have been used for a rekey.
    return { outcome: 'undone', asidePath: setAside(pending, 'invalid') };
  }
  if (oldKey !== undefined && keyOpens(dbPath, oldKey, readonly)) {
    return { outcome: 'undone', asidePath: setAside(pending, 'unused') };
  }
  if (keyOpens(dbPath, candidate, readonly)) {
    renameSync(pending, keyFile);
    syncDir(keyFile);
    return { outcome: 'finished' };
  }
  throw new CuspError('key_invalid', `neither the key file ${keyFile} nor the pending key ${pending} of an interrupted key rotation opens database ${dbPath} — both were left as they are; restore the database from a backup (cusp restore FILE) or the key from your key escrow`);
}
