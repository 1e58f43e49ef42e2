/**
 * The store: the encrypted database, migrated, with its repositories. The composition root
 * opens one Store and hands its parts to the services that need them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnotationRepository } from './annotations.js';
import { ArtifactRepository } from './artifacts.js';
import { BlobStore } from './blobs.js';
import { ChangeRepository } from './changes.js';
import { openDatabase, type Db } from './database.js';
import { IdentityRepository } from './identity.js';
import { ImageRepository } from './images.js';
import { JobRepository } from './jobs.js';
import { MetaRepository } from './meta.js';
import { migrate, pendingMigrations } from './migrate.js';
import { PatientRepository } from './patients.js';
import { PrincipalRepository } from './principals.js';
import { ReportRepository } from './reports.js';
import { RetentionRepository } from './retention.js';
import { ScanRepository } from './scans.js';
import { VisitRepository } from './visits.js';

export interface Store {
  readonly path: string;
  readonly db: Db;
  readonly meta: MetaRepository;
  readonly blobs: BlobStore;
  readonly patients: PatientRepository;
  /** Where each scan's identity came from, and the identity review queue. */
  readonly identity: IdentityRepository;
  readonly scans: ScanRepository;
  readonly images: ImageRepository;
  readonly visits: VisitRepository;
  readonly reports: ReportRepository;
  readonly artifacts: ArtifactRepository;
  readonly annotations: AnnotationRepository;
  readonly jobs: JobRepository;
  readonly principals: PrincipalRepository;
  readonly changes: ChangeRepository;
  readonly retention: RetentionRepository;
  /** Migrations applied by this open (empty when the schema was current). */
  readonly migrated: number[];
  /** Run `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
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
    check(db: Db): void;
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
      existing.check(db);
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
  return {
    path,
    db,
    meta,
    blobs: new BlobStore(db),
    patients: new PatientRepository(db),
    identity: new IdentityRepository(db),
    scans: new ScanRepository(db),
    images: new ImageRepository(db),
    visits: new VisitRepository(db),
    reports: new ReportRepository(db),
    artifacts: new ArtifactRepository(db),
    annotations: new AnnotationRepository(db),
    jobs: new JobRepository(db),
    principals: new PrincipalRepository(db),
    changes: new ChangeRepository(db),
    retention: new RetentionRepository(db),
    migrated,
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
