/**
 * The store: the encrypted database, migrated, with its repositories. The composition root
 * opens one Store and hands its parts to the services that need them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnotationRepository } from './annotations.js';
import { ArtifactRepository } from './artifacts.js';
import { AuditEventRepository } from './audit-events.js';
import { BlobStore, type BlobArea, type WriteRoom } from './blobs.js';
import { ChangeRepository } from './changes.js';
import { openDatabase, truncateWal, type Db } from './database.js';
import { FolderRepository } from './folders.js';
import { attachHandle } from './handle.js';
import { IdentityRepository } from './identity.js';
import { ImageRepository } from './images.js';
import { JobRepository } from './jobs.js';
import { MetaRepository } from './meta.js';
import { migrate, pendingMigrations } from './migrate.js';
import { PatientRepository } from './patients.js';
import { PrincipalRepository } from './principals.js';
import { BlobReferenceRepository } from './references.js';
import { rekeyDatabase } from './rekey.js';
import { ReportRepository } from './reports.js';
import { RetentionRepository } from './retention.js';
import { ScanTimelineRepository } from './scan-timeline.js';
import { ScanRepository } from './scans.js';
import { VisitRepository } from './visits.js';

/**
 * The database's one door: repositories that own every statement. The handle itself is not
 * part of it (src/store/handle.ts keeps it for this folder's own modules).
 */
export interface Store {
  readonly path: string;
  readonly meta: MetaRepository;
  /** The storage area: bytes by their id (SHA-256); the index is in the repositories. */
  readonly blobs: BlobArea;
  readonly patients: PatientRepository;
  /** Where each scan's identity came from, and the identity review queue. */
  readonly identity: IdentityRepository;
  readonly scans: ScanRepository;
  /** A patient's scans in time (previous, next, the visit's other jaw). */
  readonly timeline: ScanTimelineRepository;
  readonly images: ImageRepository;
  readonly visits: VisitRepository;
  readonly reports: ReportRepository;
  readonly artifacts: ArtifactRepository;
  readonly annotations: AnnotationRepository;
  readonly jobs: JobRepository;
  readonly principals: PrincipalRepository;
  readonly changes: ChangeRepository;
  readonly retention: RetentionRepository;
  /** The audit trail's rows (the chain's rules are src/audit's). */
  readonly auditEvents: AuditEventRepository;
  /** Drop folders added at runtime. */
  readonly folders: FolderRepository;
  /** Which rows name a blob. */
  readonly references: BlobReferenceRepository;
  /** Migrations applied by this open (empty when the schema was current). */
  readonly migrated: number[];
  /** Run `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
  /**
   * Run `fn` once the transaction open now (through `transaction`) has committed — at once
   * when none is open; never when it rolls back (a nested one that throws drops its own).
   * For what must not be seen before the data is: the bus events of src/events/record.ts.
   */
  afterCommit(fn: () => void): void;
  /** Throws when the database no longer answers a trivial query (health). */
  ping(): void;
  /** False once closed (a timer outliving the daemon's store checks it before writing). */
  isOpen(): boolean;
  /** The database file's size in bytes (its pages; the WAL is not counted). */
  databaseBytes(): number;
  /**
   * Copy the WAL into the database and empty it (after an erasure: old frames may hold
   * erased data); true when it was emptied within `waitMs` (see database.ts truncateWal).
   */
  truncateWal(waitMs?: number): Promise<boolean>;
  /**
   * Remove chunks no stored bytes name (a crash between writing them ahead and naming
   * them, or while freeing them); at start, before anything writes. Returns how many.
   */
  sweepOrphanChunks(): number;
  /** Let blob writes wait for room in the WAL the checkpointer keeps (wal-checkpointer.ts). */
  paceWrites(room: WriteRoom): void;
  /** Re-encrypt the open database under `newKey` (see rekey.ts rekeyDatabase). */
  rekey(newKey: Buffer): void;
  close(): void;
}

export interface OpenStoreOptions {
  /** How long a statement waits for another process's write lock (default 5 s). */
  busyTimeoutMs?: number;
  /** Called before pending migrations run, with their versions and the database's size. */
  beforeMigrating?: (versions: number[], databaseBytes: number) => void;
  /**
   * Set when the data folder shows that this installation had a database (its audit
   * checkpoints outside it): then a missing, empty (0 bytes) or schema-less database is
   * refused with the error `refuse` makes instead of being created in its place, and
   * `check` inspects the opened database before any migration writes to it.
   */
  existing?: {
    refuse(state: 'missing' | 'empty', bytes: number): Error;
    check(trail: AuditEventRepository): void;
  };
}

/** Open the encrypted database at `path` with `key`, migrate it, and build the repositories. */
export function openStore(path: string, key: Buffer, options: OpenStoreOptions = {}): Store {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { existing } = options;
  if (existing) {
    if (!existsSync(path)) throw existing.refuse('missing', 0);
    const bytes = statSync(path).size;
    if (bytes === 0) throw existing.refuse('empty', 0);
  }
  const db = openDatabase(path, key, { busyTimeoutMs: options.busyTimeoutMs });
  let migrated: number[];
  try {
    if (existing) {
      if (db.pragma('user_version', { simple: true }) === 0) throw existing.refuse('empty', statSync(path).size);
      existing.check(new AuditEventRepository(db));
    }
    const pending = pendingMigrations(db);
    if (pending.length > 0) options.beforeMigrating?.(pending, existsSync(path) ? statSync(path).size : 0);
    migrated = migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const meta = new MetaRepository(db);
  if (!meta.get('instance_id')) meta.set('instance_id', randomUUID());
  const commits = afterCommits(db);
  const blobs = new BlobStore(db);
  const store: Store = {
    path,
    meta,
    blobs,
    patients: new PatientRepository(db),
    identity: new IdentityRepository(db),
    scans: new ScanRepository(db),
    timeline: new ScanTimelineRepository(db),
    images: new ImageRepository(db),
    visits: new VisitRepository(db),
    reports: new ReportRepository(db),
    artifacts: new ArtifactRepository(db),
    annotations: new AnnotationRepository(db),
    jobs: new JobRepository(db),
    principals: new PrincipalRepository(db),
    changes: new ChangeRepository(db),
    retention: new RetentionRepository(db),
    auditEvents: new AuditEventRepository(db),
    folders: new FolderRepository(db),
    references: new BlobReferenceRepository(db),
    migrated,
    transaction: commits.transaction,
    afterCommit: commits.afterCommit,
    ping: () => {
      db.prepare('SELECT 1').get();
    },
    isOpen: () => db.open,
    databaseBytes: () => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number),
    truncateWal: (waitMs?: number) => truncateWal(db, waitMs),
    rekey: (newKey: Buffer) => rekeyDatabase(db, newKey),
    sweepOrphanChunks: () => blobs.sweepOrphanChunks(),
    paceWrites: (room: WriteRoom) => blobs.paceWrites(room),
    close: () => {
      if (db.open) db.close();
    },
  };
  attachHandle(store, db);
  return store;
}

/**
 * Transactions that know when they commit: better-sqlite3's are synchronous, so the outermost
 * `transaction` call returning is the commit. Work queued meanwhile runs then, in order; a
 * transaction (or nested savepoint) that throws drops what was queued inside it.
 */
function afterCommits(db: Db): Pick<Store, 'transaction' | 'afterCommit'> {
  let depth = 0;
  let queued: Array<() => void> = [];
  return {
    transaction: <T>(fn: () => T): T => {
      const mark = queued.length;
      depth++;
      let result: T;
      try {
        result = db.transaction(fn)();
      } catch (err) {
        queued.length = mark;
        throw err;
      } finally {
        depth--;
      }
      if (depth === 0 && queued.length > 0) {
        const run = queued;
        queued = [];
        // Each runs even when one before it throws (a listener's fault); the first error is the caller's.
        let failure: unknown;
        for (const f of run) {
          try {
            f();
          } catch (err) {
            failure ??= err;
          }
        }
        if (failure !== undefined) throw failure;
      }
      return result;
    },
    afterCommit: (fn: () => void): void => {
      if (depth === 0) fn();
      else queued.push(fn);
    },
  };
}
