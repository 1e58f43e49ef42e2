/**
 * The composition root: `cusp daemon` wires config → logging → key → store → audit → TLS →
 * API, starts them in that order and stops them in reverse. Nothing else in Cusp builds
 * services; everything receives what it needs from here.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createApp } from '../src/api/app.js';
import { folderRoots } from '../src/config/folder-roots.js';
import type { HealthReport } from '../src/api/routes/health.js';
import { listenHttps, listenSocket, type RunningServer } from '../src/api/server.js';
import type { ApiServices } from '../src/api/services.js';
import type { AuditLog } from '../src/audit/audit-log.js';
import { SyslogForwarder } from '../src/audit/syslog.js';
import type { LoadedConfig } from '../src/config/index.js';
import { safe, type Logger, type Logging } from '../src/log/index.js';
import { defaultSubjectAltNames, ensureTls, type TlsMaterial } from '../src/security/tls.js';
import type { Store } from '../src/store/store.js';
import type { RecoveryResult } from '../src/store/rekey.js';
import { startCheckpointThread, type WalCheckpointer } from '../src/store/wal-checkpointer.js';
import { DiskMonitor, isDiskFull, minFreeBytes } from '../src/store/disk-space.js';
import { CuspError } from '../src/errors.js';
import { IntegrityChecker } from '../src/store/integrity.js';
import { EventBus } from '../src/events/bus.js';
import { FolderManager } from '../src/ingest/folder-manager.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { PhotoService } from '../src/images/photo-service.js';
import { removeUploadLeftovers } from '../src/ingest/upload-spool.js';
import { JobDispatcher } from '../src/jobs/dispatcher.js';
import { analysisHandlers } from '../src/jobs/handlers/analysis.js';
import { imageHandler } from '../src/jobs/handlers/image.js';
import { validateHandler } from '../src/jobs/handlers/validate.js';
import { niceHelperThreads, WORKER_NICE } from '../src/os/thread-priority.js';
import { PeriodicWork } from '../src/jobs/periodic.js';
import { defaultWorkerDir } from '../src/jobs/worker-path.js';
import { cuspVersion } from './commands/version.js';
import { keyFor, openAuditFor, openStoreFor } from './context.js';
import { claimDataFolder, pidPath } from './pid-file.js';
import { freeBytes, Reserve, reservePath, START_NEEDS } from '../src/store/reserve.js';
// Backups and systemd readiness/watchdog (installers piece).
import { removeLeftovers } from '../src/backup/leftovers.js';
import { BackupScheduler } from '../src/backup/scheduler.js';
import { retentionPurgeTask } from '../src/retention/purge.js';
import { BackupService } from '../src/backup/service.js';
import { SystemdNotifier } from '../src/systemd/notify.js';

export interface DaemonOptions {
  loaded: LoadedConfig;
  logging: Logging;
  env: NodeJS.ProcessEnv;
  /** Where the compiled `*.worker.js` are (default: beside the jobs module, or dist/). */
  workerDir?: string;
}

export class Daemon {
  readonly #options: DaemonOptions;
  readonly #log: Logger;
  #status: HealthReport['status'] = 'starting';
  #startedAt = Date.now();
  #store?: Store;
  #audit?: AuditLog;
  #syslog?: SyslogForwarder;
  #server?: RunningServer;
  #socket?: { close(): Promise<void> };
  #tls?: TlsMaterial;
  #releasePid?: () => void;
  /** The periodic work (backups, retention purge, audit checkpoints, integrity check), timed by bree. */
  #periodic?: PeriodicWork;
  #dispatcher?: JobDispatcher;
  #folders?: FolderManager;
  readonly bus = new EventBus();
  #stopping?: Promise<void>;
  #backups?: BackupService;
  #backupScheduler?: BackupScheduler;
  #checkpointer?: WalCheckpointer;
  #disk?: DiskMonitor;
  /** The last checkpoint of the timer failed for lack of space (said once until one succeeds). */
  #checkpointWaitsForRoom = false;
  #reserve?: Reserve;
  #integrity?: IntegrityChecker;
  readonly #notifier: SystemdNotifier;

  constructor(options: DaemonOptions) {
    this.#options = options;
    this.#log = options.logging.logger('daemon');
    this.#notifier = new SystemdNotifier({
      env: options.env,
      // Degraded (disk full, corruption) still feeds the watchdog: a restart mends neither,
      // and a daemon restarted in a loop would stop answering the API that says why.
      healthy: () => { const { status } = this.health(); return status === 'ready' || status === 'degraded'; },
      onError: (message) => this.#log.warn(`cannot notify systemd: ${message}`),
    });
  }

  get port(): number | undefined {
    return this.#server?.port;
  }

  get caFingerprint(): string | undefined {
    return this.#tls?.caFingerprint;
  }

  async start(): Promise<void> {
    const { loaded, env, logging } = this.#options;
    const { config } = loaded;
    this.#startedAt = Date.now();
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    this.#releasePid = claimDataFolder(config.dataDir);
    try {
      const storeLog = logging.logger('store');
      this.#reserve = this.#releaseReserveIfFull(storeLog);
      const leftovers = removeLeftovers(config.backup.dir, dirname(config.store.path));
      if (leftovers.length > 0) storeLog.info(`removed ${leftovers.length} leftover(s) of a killed backup or restore: ${leftovers.map((p) => basename(p)).join(', ')}`);
      const { store, key, rotation } = openStoreFor(loaded, env, {
        busyTimeoutMs: 5000, // the wait would block the event loop: the API must keep answering
        beforeMigrating: (versions, bytes) => {
          // A migration may rewrite every stored scan (004 did): at a cautious 10 MB/s.
          const seconds = 120 + bytes / 10e6;
          if (bytes >= 64 * 1048576) storeLog.info(`applying database migration(s) ${versions.join(', ')} to ${(bytes / 1048576).toFixed(0)} MiB — a large database may take minutes; systemd is asked to wait up to ${Math.round(seconds)} s`);
          this.#notifier.extendStart(seconds, `applying database migrations ${versions.join(', ')}`);
        },
      });
      this.#store = store;
      logging.addSecret(key.bytes.toString('hex'));
      logRotationOutcome(storeLog, rotation);
      if (key.source === 'generated') {
        storeLog.warn(`generated a new database key at ${key.origin} (mode 0600) — for production, keep the key in a file outside the data folder or pass it as the systemd credential '${config.store.credentialName}'`);
      }
      storeLog.info(`database open (key from ${key.source === 'credential' ? 'the systemd credential' : 'the key file'})`, { path: safe(store.path), migrated: store.migrated });
      const checkpointer = await startCheckpointThread(store, key.bytes, storeLog);
      this.#checkpointer = checkpointer;
      const orphans = store.sweepOrphanChunks();
      if (orphans > 0) storeLog.info(`removed ${orphans} stored chunk(s) that a stop in the middle of storing or deleting a file left behind`);
      const uploadLeftovers = removeUploadLeftovers(config.dataDir);
      if (uploadLeftovers > 0) logging.logger('api').info(`removed ${uploadLeftovers} temp file(s) of uploads a stop interrupted`);
      const { audit, signingKey } = openAuditFor(store, config);
      this.#audit = audit;
      logging.logger('audit').info(`audit log open at event ${audit.head()?.seq ?? 0}, checkpoints signed by ${signingKey.keyId}`);
      audit.onTamper((reason) => logging.logger('audit').error(`the audit trail was changed under the running daemon: ${reason}`));
      this.#logLateReads(audit, logging.logger('audit'));
      const syslog = config.audit.syslog;
      if (syslog?.host) {
        this.#syslog = new SyslogForwarder({ ...syslog, host: syslog.host }, { log: logging.logger('audit'), instanceId: store.meta.get('instance_id') });
        audit.forwardTo(this.#syslog);
        this.#syslog.start();
        logging.logger('audit').info(`audit checkpoints go to the syslog collector ${this.#syslog.target} (TLS)`);
      }
      for (const folder of config.folders) mkdirSync(folder.path, { recursive: true, mode: 0o700 });
      const periodic = new PeriodicWork({ workerDir: this.#options.workerDir ?? defaultWorkerDir(), log: logging.logger('daemon') });
      this.#periodic = periodic;
      const { disk, integrity } = await this.#storeWatch(store, periodic);

      const dispatcher = new JobDispatcher({
        store, bus: this.bus, log: logging.logger('jobs'),
        handlers: [validateHandler({ store, audit, bus: this.bus }), ...analysisHandlers({ store, audit, bus: this.bus }), imageHandler({ store, audit })],
        workerDir: this.#options.workerDir ?? defaultWorkerDir(),
        concurrency: config.jobs.concurrency,
        timeoutMs: config.jobs.timeoutSeconds * 1000,
        retryBackoffMs: config.jobs.retryBackoffSeconds * 1000,
        priority: config.jobs.priority,
        onDiskFull: (err) => disk.noteError(err),
        mayRun: () => disk.status.state === 'ok',
      });
      this.#dispatcher = dispatcher;
      const photos: PhotoService = new PhotoService({
        store, audit, log: logging.logger('ingest'), onStored: () => dispatcher.notify(),
        quarantine: (folder, path, relativePath, reason) => ingest.quarantine(folder, path, relativePath, reason),
      });
      const ingest: IngestService = new IngestService({
        store, audit, bus: this.bus, log: logging.logger('ingest'),
        probe: (input) => dispatcher.runOnce('probe', { ...input, options: {} }, 120_000),
        onStored: () => dispatcher.notify(),
        photos,
      });
      photos.adoptMissed();
      this.#folders = new FolderManager({
        folders: config.folders, dataDir: config.dataDir, roots: folderRoots(config), store, audit, bus: this.bus, log: logging.logger('ingest'), ingest,
        onWatch: (folder) => logging.addScanDir(folder.path),
        mayIngest: () => disk.check().state === 'ok',
      });
      // Certificates first: what can fail on a bad config fails before any scan is taken in.
      this.#tls = ensureTls(config.api.tls, defaultSubjectAltNames(config.api.host));
      logTls(logging.logger('api'), this.#tls);
      const clientCa = config.api.tls.clientCaFile ? readFileSync(config.api.tls.clientCaFile, 'utf8') : undefined;
      dispatcher.start();
      await this.#folders.start();

      const backups = new BackupService({ config, audit, log: storeLog, dbKey: () => keyFor(loaded, env).bytes, cuspVersion: cuspVersion() });
      this.#backups = backups;
      const services: ApiServices = {
        config, store, audit, bus: this.bus, log: logging.logger('api'), version: cuspVersion(), health: () => this.health(),
        folders: this.#folders, ingest, photos, dispatcher, backups, checkpointer, databaseKey: key.bytes, recentLogs: (n) => logging.recent(n),
        disk, integrity,
      };
      this.#socket = await listenSocket(createApp(services, { via: 'socket' }).app, config.api.adminSocket);
      this.#server = await listenHttps(createApp(services, { via: 'tls' }).app, { ...this.#tls, clientCa }, config.api.host, config.api.port, {
        limits: config.api,
        onSlowBody: (address, rate) => logging.logger('api').warn(`cut a request from ${address}: its body arrived at ${rate} B/s, below api.minUploadBytesPerSecond`),
      });
      await periodic.add(retentionPurgeTask({ store, audit, defaults: config.retention, cancelJob: (id) => dispatcher.cancel(id), log: logging.logger('store') }));

      audit.append({ actor: 'system', action: 'daemon.start', details: { version: cuspVersion(), configSource: loaded.source } });
      audit.maybeCheckpoint();
      const lowered = niceHelperThreads();
      if (lowered > 0) this.#log.info(`${lowered} helper threads (garbage collection, I/O pool) run at nice ${WORKER_NICE}; the API's thread keeps its priority`);
      await periodic.add({ name: 'audit-checkpoint', when: { everyMs: 30_000 }, run: () => this.#tick(), onError: (err) => this.#log.error('periodic housekeeping failed', { error: err }) });
      this.#status = 'ready';
      this.#log.info(`listening on https://${config.api.host}:${this.#server.port} — CA fingerprint (SHA-256) ${this.#tls.caFingerprint}`);
      this.#backupScheduler = new BackupScheduler({ schedule: config.backup.schedule, log: storeLog, periodic, run: () => backups.backup({ actor: 'system', reason: 'scheduled' }) });
      await this.#backupScheduler.start();
      await periodic.start();
      if (this.#backupScheduler.nextRunAt) storeLog.info(`scheduled backups (${config.backup.schedule}) into ${config.backup.dir}, keeping ${config.backup.keep}; next at ${this.#backupScheduler.nextRunAt.toISOString()}`);
      await this.#notifier.ready(`serving on https://${config.api.host}:${this.#server.port}`);
    } catch (err) {
      await this.#teardown();
      // Full with no reserve to release (it was never set aside, or already spent): say so.
      if (isDiskFull(err) || isDiskFull((err as { cause?: unknown }).cause)) {
        throw new CuspError('disk_full', `cannot start: the data folder's disk is full and there is no reserve (${basename(reservePath(config.dataDir))}) left to start from (${(err as Error).message}) — free some space on that disk and start again`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Free space on the data folder's disk (ingest waits below the floor or after a write
   * failed for lack of space, and resumes by itself) and the periodic integrity check.
   */
  async #storeWatch(store: Store, periodic: PeriodicWork): Promise<{ disk: DiskMonitor; integrity: IntegrityChecker }> {
    const { loaded, env, logging } = this.#options;
    const { config } = loaded;
    const log = logging.logger('store');
    const reserve = this.#reserve;
    const floorBytes = minFreeBytes(config.store.minFreeMegabytes, dirname(store.path));
    const disk = new DiskMonitor({
      path: dirname(store.path), log, floorBytes,
      heldBack: reserve && (() => reserve.heldBack()),
      onChange: (status) => {
        if (status.state === 'ok') {
          this.#writeLateReads();
          this.#keepReserve(floorBytes);
          this.#folders?.wake();
          this.#dispatcher?.notify();
        } else if (status.state === 'full' && reserve?.release()) {
          // A write failed for lack of space, or the disk is all but full: the reserve's
          // room goes to the audit trail and the API (ingest and jobs do not spend it).
          log.warn(`released the reserve (${Math.round(reserve.size / 1048576)} MiB, ${reserve.path}) so the audit trail and the API keep working while the disk is full`);
        }
      },
    });
    this.#keepReserve(floorBytes);
    disk.start();
    this.#disk = disk;
    const intervalMs = config.store.integrityCheckHours * 3_600_000;
    const firstAfterMs = config.store.integrityCheckDelayMinutes * 60_000;
    const integrity = new IntegrityChecker({ path: store.path, key: () => keyFor(loaded, env).bytes, log, intervalMs, firstAfterMs });
    // Timed by the periodic work: first after the delay, then every interval (0: only that one).
    if (intervalMs > 0 || firstAfterMs > 0) {
      await periodic.add({ name: 'integrity-check', when: { everyMs: intervalMs, firstAfterMs }, run: () => integrity.runNow(), onError: (err) => log.error('the integrity check failed to run', { error: err }) });
    }
    this.#integrity = integrity;
    return { disk, integrity };
  }

  /**
   * A start on a (nearly) completely full disk: release the reserve before anything is
   * written, so the store opens (its `-shm`), the start is recorded in the audit trail and
   * the daemon runs degraded — the DiskMonitor keeps ingest and jobs waiting, since the
   * released reserve does not count as free space, and they resume when space returns.
   */
  #releaseReserveIfFull(log: Logger): Reserve {
    const reserve = new Reserve(this.#options.loaded.config.dataDir);
    let free = Infinity;
    try {
      free = freeBytes(reserve.dataDir);
    } catch {
      // unknown: nothing to release for
    }
    if (free < START_NEEDS && reserve.release()) {
      log.warn(`the data folder's disk is full (${Math.round(free / 1024)} KiB free): released the reserve (${Math.round(reserve.size / 1048576)} MiB) to start — new scans wait in their drop folders and jobs wait until space is freed`);
    }
    if (!existsSync(pidPath(reserve.dataDir))) log.warn(`no pid file was written (${pidPath(reserve.dataDir)}): the disk was full; the lock in cusp.lock still keeps a second daemon out`);
    return reserve;
  }

  /** Re-create the reserve when it is missing and the disk has room for it beyond the floor. */
  #keepReserve(floorBytes: number): void {
    if (this.#disk && this.#disk.status.state !== 'ok') return;
    try {
      if (this.#reserve?.ensure(floorBytes)) this.#log.info(`set aside the reserve (${Math.round(this.#reserve.size / 1048576)} MiB, ${this.#reserve.path}) for a start or audit trail on a full disk`);
    } catch (err) {
      this.#log.warn(`cannot create the reserve ${this.#reserve?.path}: ${(err as Error).message}`);
    }
  }

  /**
   * Reads answered on a full disk whose audit events wait in memory (AuditLog.appendRead):
   * said once when the first has to wait and once when they are written, never per read.
   */
  #logLateReads(audit: AuditLog, log: Logger): void {
    audit.onLateReads((waiting, written) => {
      if (written === 0 && waiting === 1) log.warn('the audit trail cannot be written (disk full): reads are still answered, their events held in memory and written once there is room');
      else if (written > 0 && waiting === 0) log.info(`wrote the audit events of ${written} read(s) answered while the disk was full`);
    });
  }

  /** Write the events of reads held on a full disk; true when none waits (or no trail is open). */
  #writeLateReads(): boolean {
    try {
      return this.#audit?.writeLateReads() ?? true;
    } catch (err) {
      this.#log.error('could not write the audit events of reads answered while the disk was full', { error: err });
      return false;
    }
  }

  #tick(): void {
    niceHelperThreads(); // threads started since (libuv's pool grows on first use)
    if (this.#disk) this.#keepReserve(this.#disk.status.floorBytes);
    try {
      this.#audit?.writeLateReads();
      this.#audit?.maybeCheckpoint();
      this.#audit?.forwardStored();
      this.#checkpointWaitsForRoom = false;
    } catch (err) {
      // On a full disk once, not every 30 s: the disk monitor already says why.
      if (!isDiskFull(err)) this.#log.error('audit checkpoint failed', { error: err });
      else if (!this.#checkpointWaitsForRoom) this.#log.warn(`the audit checkpoint waits for room on the disk: ${(err as Error).message}`);
      this.#checkpointWaitsForRoom = isDiskFull(err);
    }
  }

  /**
   * `ready`, or `degraded` with the reasons while the daemon serves but something needs a
   * person: the database is damaged (the integrity check or a read found it), or the disk
   * is full or below store.minFreeMegabytes (ingest waits). Degraded answers 200 and
   * feeds the systemd watchdog; only a database that stops answering is `stopping`.
   */
  health(): HealthReport {
    let database = 'ok';
    try {
      this.#store?.ping();
    } catch {
      database = 'failing';
    }
    const integrity = this.#integrity?.status;
    const disk = this.#disk?.status;
    const audit = this.#auditHealth();
    const problems = [integrity?.reason, disk?.reason, ...audit.problems].filter((r): r is string => r !== undefined);
    if (database === 'ok' && integrity?.state === 'corrupt') database = 'corrupt';
    const checks: Record<string, string> = { database };
    if (disk) checks.disk = disk.state;
    if (integrity) checks.integrity = integrity.state;
    const status = database === 'failing' ? 'stopping' : this.#status === 'ready' && problems.length > 0 ? 'degraded' : this.#status;
    return {
      status,
      version: cuspVersion(),
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      checks,
      ...(audit.report ? { audit: audit.report } : {}),
      ...(problems.length > 0 ? { problems } : {}),
    };
  }

  /**
   * The trail's head as this daemon appended it and its newest signed checkpoint, for any
   * monitoring system to keep a copy of; problems: a table changed under the daemon, or
   * checkpoints that cannot reach the syslog collector.
   */
  #auditHealth(): { report?: Record<string, unknown>; problems: string[] } {
    const audit = this.#audit;
    if (!audit) return { problems: [] };
    const problems: string[] = [];
    if (audit.tamper) problems.push(audit.tamper);
    if (audit.lateReads > 0) problems.push(`the audit events of ${audit.lateReads} read(s) wait in memory until the disk has room`);
    let report: Record<string, unknown> | undefined;
    try {
      const head = audit.appendedHead();
      const cp = audit.lastCheckpoint();
      const syslog = audit.forwarding();
      report = {
        headSeq: head?.seq ?? 0, headHash: head?.hash ?? '',
        checkpoint: cp ? { seq: cp.seq, hash: cp.hash, time: cp.time, keyId: cp.keyId } : null,
        ...(syslog ? { syslog: { state: syslog.state, queued: syslog.queued, dropped: syslog.dropped } } : {}),
      };
      if (syslog && syslog.state !== 'connected' && syslog.queued > 0) {
        problems.push(`${syslog.queued} audit checkpoint(s) wait for the syslog collector ${syslog.target}${syslog.lastError ? ` (${syslog.lastError})` : ''}: check the collector and audit.syslog`);
      }
    } catch {
      // the database check above reports a store that does not answer
    }
    return { report, problems };
  }

  /** Stop: refuse new work, close the API, record the stop, checkpoint, close the store. */
  stop(reason = 'requested'): Promise<void> {
    this.#stopping ??= (async () => {
      this.#status = 'stopping';
      this.#log.info(`stopping (${reason})`);
      await this.#notifier.stopping(`stopping (${reason})`);
      await this.#teardown(reason);
      this.#log.info('stopped');
    })();
    return this.#stopping;
  }

  /** The watched folders (for the API and tests). */
  get folders(): FolderManager | undefined {
    return this.#folders;
  }

  async #teardown(reason?: string): Promise<void> {
    // No periodic task starts from here on; one under way is waited for below.
    await this.#periodic?.stop();
    this.#disk?.stop();
    await this.#integrity?.stop();
    if (this.#server) await this.#server.close(2000);
    await this.#socket?.close();
    await this.#folders?.stop();
    await this.#dispatcher?.stop();
    await this.#periodic?.idle();
    await this.#backups?.idle();
    if (this.#audit && !this.#writeLateReads()) {
      this.#log.error(`stopping with the audit events of ${this.#audit.lateReads} read(s) unwritten: the disk is still full — they are named in no trail`);
    }
    if (this.#audit && reason !== undefined) {
      try {
        this.#audit.append({ actor: 'system', action: 'daemon.stop', details: { reason } });
        this.#audit.checkpoint();
      } catch (err) {
        this.#log.error('could not record the stop in the audit log', { error: err });
      }
    }
    await this.#syslog?.close();
    await this.#checkpointer?.stop();
    this.#store?.close();
    this.#releasePid?.();
  }
}

/** Say what finishing or undoing a key rotation a stop interrupted did (nothing when there was none). */
function logRotationOutcome(storeLog: Logger, rotation: RecoveryResult): void {
  if (rotation.outcome === 'finished') storeLog.warn('finished a key rotation that a stop interrupted after the database was re-encrypted: the new key is now the key file');
  if (rotation.outcome === 'restored') storeLog.warn(`a key rotation was killed while the database was being re-encrypted: the database was restored from the copy taken before it, under the old key (the key file); the interrupted file was moved aside as ${basename(rotation.brokenPath!)}${rotation.asidePath ? `, the unused new key as ${basename(rotation.asidePath)}` : ''}`);
  if (rotation.outcome === 'undone') storeLog.warn(`a key rotation was interrupted before the database was re-encrypted: the old key stays in force; the unused new key was set aside as ${basename(rotation.asidePath!)}`);
}

/** Say which certificates were made and what the CA's name constraints leave out. */
function logTls(apiLog: Logger, tls: TlsMaterial): void {
  if (tls.created !== 'none') {
    apiLog.info(`created ${tls.created === 'ca+server' ? 'a local CA and a server certificate' : 'a new server certificate'}`, { validDays: Math.round((tls.serverExpiresAt.getTime() - Date.now()) / 86_400_000) });
  }
  if (tls.outsideCa.length) apiLog.warn(`the local CA may not sign ${tls.outsideCa.join(', ')} (its name constraints): the server certificate leaves them out — to cover them, move the CA files aside and restart (clients then pin the new CA)`);
  else if (!tls.caNameConstraints) apiLog.info('the CA carries no name constraints (made before Cusp added them, or your own): kept as it is');
}
