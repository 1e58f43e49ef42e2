/**
 * The database part of a backup: a consistent, encrypted copy of a live database.
 *
 * `VACUUM INTO` runs in one read transaction, so the copy is one point in time even while
 * the daemon keeps writing (WAL lets readers and the writer proceed side by side), and the
 * multiple-ciphers library writes it encrypted under the source's key and cipher settings.
 * `db.backup()` would not: its target is a plain, unkeyed file. When the backup has its
 * own key, the copy is rekeyed before it leaves the staging folder.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { CuspError } from '../errors.js';
import { AuditEventRepository } from './audit-events.js';
import { applyKey, openDatabase, type Db } from './database.js';

/** A database copy opened for reading: what a backup's manifest and its check need of it. */
export interface DatabaseCopy {
  /** What a backup's manifest records about the copy. */
  facts(): CopyFacts;
  /** What `integrity_check` and `cipher_integrity_check` find (empty when sound; a failing read is itself a finding). */
  integrityProblems(): string[];
  /** The copy's audit trail, for verifying it. */
  readonly auditEvents: AuditEventRepository;
  close(): void;
}

/** Open a database copy (not the live one) to read: keyed and checked. */
export function openCopy(path: string, key: Buffer): DatabaseCopy {
  const db = openCopyHandle(path, key, { readonly: true });
  return {
    facts: () => copyFacts(db),
    integrityProblems: () => {
      try {
        const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).filter((r) => r !== 'ok');
        problems.push(...(db.pragma('cipher_integrity_check') as Array<Record<string, unknown>>).map((r) => JSON.stringify(r)));
        return problems;
      } catch (err) {
        return [(err as Error).message];
      }
    },
    auditEvents: new AuditEventRepository(db),
    close: () => db.close(),
  };
}

/** Open a database copy's handle: keyed, checked, rollback journal, no WAL files. */
function openCopyHandle(path: string, key: Buffer, options: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new CuspError('key_invalid', `the key does not open the database copy ${path} (wrong key, or damaged copy)`);
    }
    throw new CuspError('store_failed', `cannot open the database copy ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Change the key of a closed database copy from `from` to `to`. */
export function rekeyCopy(path: string, from: Buffer, to: Buffer): void {
  if (from.equals(to)) return;
  const db = openCopyHandle(path, from);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey="x'${to.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

/**
 * Write a consistent encrypted copy of the database at `dbPath` (key `dbKey`) to
 * `target`, re-encrypted under `copyKey`. Uses its own connection, so it works beside a
 * running daemon.
 */
export function snapshotDatabase(dbPath: string, dbKey: Buffer, target: string, copyKey: Buffer): void {
  const db = openDatabase(dbPath, dbKey);
  try {
    db.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
  } catch (err) {
    throw new CuspError('store_failed', `could not copy the database into ${target}: ${(err as Error).message} — check free space and permissions there`, { cause: err });
  } finally {
    db.close();
  }
  rekeyCopy(target, dbKey, copyKey);
}

export interface CopyFacts {
  schemaVersion: number;
  instanceId: string | null;
  events: number;
  head: { seq: number; hash: string } | undefined;
}

/** What a backup's manifest records about its database copy. */
function copyFacts(db: Db): CopyFacts {
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get();
  const events = (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
  const instance = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get();
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    instanceId: instance?.value ?? null,
    events,
    head,
  };
}
