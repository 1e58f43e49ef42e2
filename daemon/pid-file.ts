/**
 * One daemon per data folder. What decides is a lock the kernel holds for the process and
 * drops when it dies, however it dies: SQLite's own fcntl lock on a small plain database
 * `<dataDir>/cusp.lock`, taken exclusively and kept for the daemon's life (no native addon
 * beyond the SQLite Cusp already ships). A pid number decides nothing — after a SIGKILL the
 * dead process may linger unreaped, and a stale pid file may name any unrelated process.
 * The pid file is still written, for people and systemd, and named in the messages.
 */
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CuspError } from '../src/errors.js';

/** The lock file of a data folder. */
export function lockPath(dataDir: string): string {
  return join(dataDir, 'cusp.lock');
}

/** The pid file of a data folder (informative only). */
export function pidPath(dataDir: string): string {
  return join(dataDir, 'cusp.pid');
}

/** The pid written in `path`, or undefined (no file, or not a pid). */
export function recordedPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/**
 * True when a process holds the data folder's lock. Takes a shared lock for an instant
 * (a read-only open); a daemon starting at that instant waits it out (busy timeout).
 */
export function dataFolderLocked(dataDir: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(lockPath(dataDir), { readonly: true, fileMustExist: true });
  } catch (err) {
    if (!existsSync(lockPath(dataDir))) return false; // no daemon ever ran on this folder
    throw new CuspError('forbidden', `cannot tell whether the daemon runs: ${lockPath(dataDir)} cannot be read (${(err as Error).message}) — run this as root or as the service user (sudo -u cusp …)`);
  }
  try {
    db.pragma('busy_timeout = 0');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (err) {
    if (isBusy(err)) return true;
    throw new CuspError('store_failed', `cannot check the lock ${lockPath(dataDir)}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** The pid of the daemon holding `dataDir` (from its pid file; 0 when it wrote none yet), or undefined. */
export function lockingPid(dataDir: string): number | undefined {
  if (!dataFolderLocked(dataDir)) return undefined;
  return recordedPid(pidPath(dataDir)) ?? 0;
}

/** Root (a CLI run with sudo) must not leave the lock unopenable for the service user. */
function giveToFolderOwner(dataDir: string, paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dataDir);
  if (uid !== 0) for (const path of paths) chownSync(path, uid, gid);
}

/**
 * Claim the data folder for this process until the returned release is called (or the
 * process dies). Throws a conflict when another process holds it.
 */
export function claimDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(lockPath(dataDir));
  try {
    // A CLI's probe holds a shared lock for a moment: wait that out, not a running daemon.
    db.pragma('busy_timeout = 1500');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no cusp.lock-journal beside it
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (!isBusy(err)) throw new CuspError('store_failed', `cannot lock the data folder (${lockPath(dataDir)}): ${(err as Error).message}`);
    const pid = recordedPid(pidPath(dataDir));
    throw new CuspError('conflict', `another cusp daemon is running on this data folder${pid ? ` (pid ${pid} from the pid file)` : ''} — stop it first (systemctl stop cusp)`);
  }
  const pidFile = pidPath(dataDir);
  rmSync(pidFile, { force: true });
  // The pid file informs, the lock decides: on a full disk (ENOSPC) the start goes on
  // without it — an empty or partial pid file would only mislead, so none is left.
  if (writePidFile(pidFile)) giveToFolderOwner(dataDir, [lockPath(dataDir), pidFile]);
  else giveToFolderOwner(dataDir, [lockPath(dataDir)]);
  return () => {
    if (recordedPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
    if (db.open) db.close();
  };
}

/** Write this process's pid; false (and no file) when it cannot be written. */
function writePidFile(pidFile: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(pidFile, 'wx', 0o644);
    writeSync(fd, `${process.pid}\n`);
    return true;
  } catch {
    if (fd !== undefined) rmSync(pidFile, { force: true });
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
