/**
 * Opening Cusp's SQLCipher database. Everything stored — scan bytes included — is in this
 * one encrypted file (SQLCipher 4 format: AES-256-CBC, HMAC-SHA512, 4096-byte pages).
 *
 * The cipher is configured before anything else touches the file, then proven active:
 * better-sqlite3 without the cipher would silently ignore `PRAGMA key` and write plaintext.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { CuspError } from '../errors.js';

export type Db = Database.Database;

const PLAINTEXT_HEADER = 'SQLite format 3\0';

/** True when the file starts with SQLite's plaintext header (an unencrypted database). */
export function hasPlaintextHeader(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.toString('latin1') === PLAINTEXT_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** WAL size (pages) at which a commit checkpoints. */
export const WAL_AUTOCHECKPOINT_PAGES = 100;

/** WAL size (pages) at which a commit checkpoints while a checkpoint thread runs: a backstop. */
export const WAL_BACKSTOP_PAGES = 16_384;

/** Size a WAL file is truncated to after it was reset, in bytes. */
export const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** SQLite page cache of a connection, in KiB. */
export const PAGE_CACHE_KIB = 64 * 1024;

/** Key an open handle with SQLCipher 4 settings and a raw 256-bit key. */
export function applyKey(db: Db, key: Buffer): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${key.toString('hex')}'"`);
}

/**
 * Open (or create) the encrypted database at `path`.
 * Throws a CuspError with one clear sentence for a wrong key, an unencrypted file, or a
 * library without the cipher.
 */
export function openDatabase(path: string, key: Buffer, options: {
  readonly?: boolean;
  role?: 'main' | 'checkpointer';
  /** Read without a `-shm` (locking_mode EXCLUSIVE, writes refused): a full disk, no daemon running. */
  exclusive?: boolean;
  /** How long a statement waits for another process's write lock (default 5 s). */
  busyTimeoutMs?: number;
} = {}): Db {
  if (key.length !== 32) throw new CuspError('key_invalid', 'the database key must be 256 bits');
  if (hasPlaintextHeader(path)) {
    throw new CuspError('key_invalid', `database ${path} is not encrypted (plain SQLite file) — Cusp refuses to use it; move it away or restore an encrypted backup`);
  }
  let db: Db;
  try {
    // `exclusive` opens for writing (an fcntl write lock needs a writable descriptor) but
    // refuses every write (query_only): see below.
    const readonly = (options.readonly ?? false) && !options.exclusive;
    db = new Database(path, { readonly, fileMustExist: (options.readonly ?? false) || (options.exclusive ?? false) });
  } catch (err) {
    throw new CuspError('store_failed', `cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    applyKey(db, key);
    // Before the first read: with EXCLUSIVE locking SQLite keeps a WAL database's index in
    // heap memory and never creates the 32 KiB `-shm` that a shared open must allocate —
    // the read needs no free disk (`audit verify` on a full disk). It locks out every other
    // connection while open: only for when no daemon holds the database.
    if (options.exclusive) {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('query_only = ON');
    }
    const cipher = db.pragma('cipher', { simple: true });
    if (cipher !== 'sqlcipher') {
      throw new CuspError('key_invalid', `the SQLite library in use has no SQLCipher support (cipher=${String(cipher)}) — reinstall better-sqlite3-multiple-ciphers`);
    }
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new CuspError('key_invalid', `the key does not open database ${path} (wrong key, or not a Cusp database) — check store.keyFile or the cusp.key credential`);
      }
      throw err;
    }
    if (options.role === 'checkpointer') {
      // A connection that only checkpoints (wal-checkpointer.ts): it reads no table, so it
      // needs no cache, and it must never wait on a lock (PASSIVE checkpoints do not).
      db.pragma('cache_size = -256');
      return db;
    }
    if (!options.readonly && !options.exclusive) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before ingest deletes the scanner's original file.
      db.pragma('synchronous = FULL');
      // A checkpoint copies WAL pages into the database at about 7 ms per MB here, on the
      // thread that commits. SQLite's default (1000 pages, 4 MB) meant 30–40 ms pauses of
      // the API while a 50 MB scan went in; 100 pages keeps each pause near 3 ms.
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      // After a WAL grew (a checkpoint thread behind a burst of scans), shrink it back.
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // The daemon waits 5 s at most (the wait blocks its event loop); a CLI command beside a
    // busy daemon may wait longer (openStoreFor gives it 30 s).
    db.pragma(`busy_timeout = ${Math.round(options.busyTimeoutMs ?? 5000)}`);
    // Every page read from disk is decrypted and authenticated (AES-256 + HMAC-SHA512); the
    // default 2 MiB cache holds a tenth of the scans table at 100k scans, so list pages
    // decrypted the same rows again and again. 64 MiB keeps the metadata of a large
    // practice in memory (the unit allows the daemon 3–4 GiB).
    db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof CuspError) throw err;
    throw new CuspError('store_failed', `cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
}

const syncPragmas = new WeakMap<Db, { normal: Database.Statement; full: Database.Statement }>();

/**
 * Run `fn` with synchronous=NORMAL, then back to FULL: its commits go to the WAL without an
 * fsync of their own. In WAL mode that loses nothing on a crash of the process, and the next
 * FULL commit's fsync makes them durable too (the WAL is written in order). Only for writes
 * whose durability a later FULL commit gives (a scan's chunks before the commit that names
 * them) or whose loss in a power cut is harmless (a read's audit event; a freed chunk,
 * which would come back as an orphan and be swept at the next start). Inside a
 * transaction it just runs `fn`: the outer commit decides.
 */
export function withoutFsync<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  let sync = syncPragmas.get(db);
  if (!sync) {
    // Prepared once per connection: db.pragma() parses its statement on every call.
    sync = { normal: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
    syncPragmas.set(db, sync);
  }
  sync.normal.run();
  try {
    return fn();
  } finally {
    sync.full.run();
  }
}

/**
 * Copy the whole WAL into the database and empty it (after an erasure: old frames may still
 * hold erased data). A checkpoint already running on the checkpoint thread makes SQLite
 * answer "busy" at once rather than wait, so this tries again every 10 ms, between turns
 * of the event loop, for up to `waitMs`. True when the WAL was emptied.
 */
export async function truncateWal(db: Db, waitMs = 5000): Promise<boolean> {
  const until = Date.now() + waitMs;
  for (;;) {
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (row.busy === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The database library's versions, for `cusp version`: SQLite3 Multiple Ciphers (which
 * writes SQLCipher 4 files, see applyKey) and the SQLite it carries.
 */
export function cipherLibraryVersions(): { cipher: string; sqlite: string } {
  const db = new Database(':memory:');
  try {
    const row = db.prepare('SELECT sqlite3mc_version() AS cipher, sqlite_version() AS sqlite').get() as { cipher: string; sqlite: string };
    return row;
  } finally {
    db.close();
  }
}
