/**
 * Backups made by the running daemon: on request over the admin socket (`cusp backup`
 * while the daemon runs, the daemon holding the key) and on the configured schedule.
 * One backup at a time; each is recorded in the audit trail after it is complete, and the
 * automatically named ones are rotated to `backup.keep`.
 */
import { basename } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import type { CuspConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { createBackup, type BackupResult, type InstallationFiles } from './create.js';
import { autoBackupPath, pruneBackups } from './rotation.js';

/** The parts of an installation a backup holds, from its config. */
export function installationFiles(config: CuspConfig): InstallationFiles {
  return {
    dbPath: config.store.path,
    checkpointFile: config.audit.checkpointFile,
    signingKeyFile: config.audit.signingKeyFile,
    caFile: config.api.tls.caFile,
    caKeyFile: config.api.tls.caKeyFile,
  };
}

export interface BackupServiceOptions {
  config: CuspConfig;
  audit: AuditLog;
  log: Logger;
  /** The database key, read when a backup starts (from the key file or systemd credential). */
  dbKey: () => Buffer;
  cuspVersion: string;
  clock?: () => number;
}

export interface BackupRequest {
  /** Absolute path; default: a new automatically named file in backup.dir. */
  file?: string;
  /** A separate backup key; default: the database key. */
  backupKey?: Buffer;
  /** Who asked, for the audit trail. */
  actor: string;
  source?: string;
  reason: 'manual' | 'scheduled';
}

export interface ServiceBackupResult extends BackupResult {
  /** Older automatic backups removed by rotation. */
  pruned: string[];
}

export class BackupService {
  readonly #o: BackupServiceOptions;
  #queue: Promise<unknown> = Promise.resolve();
  /** The key after an online rotation: the systemd credential still holds the old one. */
  #rotatedKey?: Buffer;

  constructor(options: BackupServiceOptions) {
    this.#o = options;
  }

  /** Make one backup (after any backup already running). */
  backup(request: BackupRequest): Promise<ServiceBackupResult> {
    const next = this.#queue.then(() => this.#backup(request));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The database was rekeyed while running: later backups open it with `key`. */
  keyChanged(key: Buffer): void {
    this.#rotatedKey = Buffer.from(key);
  }

  /** Resolves when no backup is running. */
  idle(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  async #backup(request: BackupRequest): Promise<ServiceBackupResult> {
    const { config, audit, log } = this.#o;
    const clock = this.#o.clock ?? Date.now;
    const started = clock();
    const file = request.file ?? autoBackupPath(config.backup.dir, new Date(started));
    try {
      const result = await createBackup({
        ...installationFiles(config),
        file,
        dbKey: this.#rotatedKey ?? this.#o.dbKey(),
        backupKey: request.backupKey,
        cuspVersion: this.#o.cuspVersion,
        clock,
      });
      const pruned = request.file === undefined ? pruneBackups(config.backup.dir, config.backup.keep) : [];
      audit.append({
        actor: request.actor, action: 'backup.create', source: request.source,
        details: { file: basename(file), bytes: result.bytes, reason: request.reason, key: result.manifest.key.kind, auditHead: result.manifest.audit.headSeq, pruned: pruned.length },
      });
      log.info(`backup written to ${file} (${(result.bytes / 1048576).toFixed(1)} MiB, ${request.reason}, ${clock() - started} ms)${pruned.length > 0 ? `, ${pruned.length} old backup(s) removed` : ''}`);
      return { ...result, pruned };
    } catch (err) {
      audit.append({ actor: request.actor, action: 'backup.create', outcome: 'failure', source: request.source, details: { file: basename(file), reason: request.reason, error: (err as Error).message } });
      log.error(`backup to ${file} failed: ${(err as Error).message}`);
      throw err;
    }
  }
}
