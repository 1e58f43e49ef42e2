/**
 * Cusp's metrics for Prometheus: what a clinic's monitoring wants to see — scans by
 * status, jobs by state, the queue, how long jobs and API requests take, the size of the
 * database and the audit chain's head. Durations come from the event bus and the HTTP
 * middleware as they happen; counts are read from the database at scrape time.
 */
import { statSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.js';
import type { EventBus } from '../events/bus.js';
import type { DiskStatus } from '../store/disk-space.js';
import type { IntegrityStatus } from '../store/integrity.js';
import type { Store } from '../store/store.js';
import { Counter, Gauge, Histogram, Registry } from './registry.js';

/** What is read at scrape time. */
export interface ScrapeSources {
  store: Store;
  audit: AuditLog;
  /** Jobs running now (the dispatcher), when there is one. */
  running?: () => number;
  /** Worker threads waiting warm for a job (the dispatcher). */
  idleWorkers?: () => number;
  /** The WAL checkpoint thread's view, when the daemon runs one. */
  checkpoints?: () => { running: boolean; wal: { lag: number } };
  /** Free space on the data folder's disk (the daemon's disk monitor). */
  disk?: () => DiskStatus;
  /** True while ingest holds found files back for lack of space. */
  ingestPaused?: () => boolean;
  /** The database integrity check. */
  integrity?: () => IntegrityStatus;
}

const JOB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

const byBus = new WeakMap<EventBus, CuspMetrics>();

export class CuspMetrics {
  readonly #registry = new Registry();
  readonly #started = new Map<number, { at: number; kind: string }>();
  readonly #startedAt = Date.now();
  readonly #offBus: Array<() => void>;
  readonly #g;
  readonly #jobDuration;
  readonly #httpDuration;
  readonly #received;
  readonly #quarantined;

  /** The one instance for a bus: the HTTPS app, the admin socket app and /metrics share it. */
  static forBus(bus: EventBus): CuspMetrics {
    let m = byBus.get(bus);
    if (!m) {
      m = new CuspMetrics(bus);
      byBus.set(bus, m);
    }
    return m;
  }

  constructor(bus: EventBus) {
    const r = this.#registry;
    this.#g = {
      scans: r.register(new Gauge('cusp_scans', 'Stored scans by status')),
      jobs: r.register(new Gauge('cusp_jobs', 'Jobs in the queue table by state')),
      queue: r.register(new Gauge('cusp_queue_depth', 'Jobs waiting to run')),
      running: r.register(new Gauge('cusp_jobs_running', 'Jobs running in worker threads now')),
      idleWorkers: r.register(new Gauge('cusp_job_workers_idle', 'Worker threads kept warm for the next job')),
      checkpointThread: r.register(new Gauge('cusp_wal_checkpoint_thread', '1 while WAL checkpoints run on their own thread, 0 when the API thread does them')),
      walPending: r.register(new Gauge('cusp_wal_pending_frames', 'WAL frames not yet copied into the database file by the checkpoint thread')),
      dbSize: r.register(new Gauge('cusp_database_size_bytes', 'Size of the encrypted database file and its write-ahead log')),
      auditHead: r.register(new Gauge('cusp_audit_head_seq', 'Sequence number of the newest audit event')),
      auditHeadInfo: r.register(new Gauge('cusp_audit_head_info', 'The newest audit event the daemon appended: its seq and chain hash as labels (keep a copy: cusp audit verify --against checks the trail with it)')),
      auditCheckpoint: r.register(new Gauge('cusp_audit_checkpoint_seq', 'Sequence number of the newest signed audit checkpoint')),
      auditCheckpointInfo: r.register(new Gauge('cusp_audit_checkpoint_info', 'The newest signed audit checkpoint: seq, chain hash and signing key id as labels')),
      auditTamper: r.register(new Gauge('cusp_audit_tamper_detected', '1 when the daemon saw an event it appended removed or rewritten in the table (see /health), else 0')),
      syslogQueued: r.register(new Gauge('cusp_audit_syslog_queued', 'Signed checkpoints waiting for the syslog collector (audit.syslog)')),
      syslogConnected: r.register(new Gauge('cusp_audit_syslog_connected', '1 while connected to the syslog collector, 0 otherwise')),
      syslogSent: r.register(new Gauge('cusp_audit_syslog_sent', 'Checkpoints handed to the syslog collector since the daemon started')),
      syslogDropped: r.register(new Gauge('cusp_audit_syslog_dropped', 'Checkpoints dropped from a full queue since the daemon started (they stay in the checkpoint file)')),
      diskFree: r.register(new Gauge('cusp_disk_free_bytes', 'Bytes free for the daemon on the data folder\'s disk')),
      diskFloor: r.register(new Gauge('cusp_disk_min_free_bytes', 'The free-space floor (store.minFreeMegabytes): below it ingest waits')),
      ingestPaused: r.register(new Gauge('cusp_ingest_paused', '1 while new files wait in their drop folders for disk space, 0 otherwise')),
      integrityOk: r.register(new Gauge('cusp_database_integrity_ok', '1 when the last integrity check found no damage and no read found corrupt bytes, 0 when damaged, -1 before the first check')),
      integrityAt: r.register(new Gauge('cusp_database_integrity_checked_timestamp_seconds', 'When the last database integrity check ended (Unix time), 0 before the first')),
      integrityDuration: r.register(new Gauge('cusp_database_integrity_check_seconds', 'How long the last database integrity check took')),
      corruptScans: r.register(new Gauge('cusp_scans_corrupt', 'Scans whose stored bytes a read found corrupt since the daemon started')),
      holds: r.register(new Gauge('cusp_legal_holds', 'Patients on legal hold')),
      uptime: r.register(new Gauge('cusp_uptime_seconds', 'Seconds since the metrics were first collected in this process')),
      rss: r.register(new Gauge('process_resident_memory_bytes', 'Resident memory of the daemon process')),
    };
    this.#received = r.register(new Counter('cusp_scans_received_total', 'Scans taken in since the daemon started'));
    this.#quarantined = r.register(new Counter('cusp_scans_quarantined_total', 'Files moved to quarantine since the daemon started'));
    this.#jobDuration = r.register(new Histogram('cusp_job_duration_seconds', 'Time from a job attempt starting to its end, by kind and outcome', JOB_BUCKETS));
    this.#httpDuration = r.register(new Histogram('cusp_http_request_duration_seconds', 'API request latency by method, route template and status', HTTP_BUCKETS));
    this.#offBus = [
      bus.on('job.started', (e) => this.#started.set(e.jobId, { at: performance.now(), kind: e.kind })),
      bus.on('job.finished', (e) => {
        const start = this.#started.get(e.jobId);
        if (!start) return;
        this.#started.delete(e.jobId);
        this.#jobDuration.observe({ kind: start.kind, outcome: e.state === 'queued' ? 'retry' : e.state }, (performance.now() - start.at) / 1000);
      }),
      bus.on('scan.received', (e) => this.#received.inc({ format: e.format })),
      bus.on('scan.quarantined', () => this.#quarantined.inc()),
    ];
  }

  /** Record one API request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.#httpDuration.observe({ method, route, status }, seconds);
  }

  /** Stop listening to the bus. */
  close(): void {
    this.#offBus.forEach((off) => off());
  }

  /** The metrics in Prometheus text format, counts read now. */
  render(src: ScrapeSources): string {
    const { store } = src;
    const scans = store.scans.countByStatus();
    const statusCounts = new Map<string, number>([['received', 0], ['validated', 0], ['rejected', 0], ['analysed', 0]]);
    for (const s of scans) statusCounts.set(s.status, s.n);
    this.#g.scans.setAll([...statusCounts].map(([status, value]) => ({ labels: { status }, value })));
    const jobs = store.jobs.counts();
    this.#g.jobs.setAll(Object.entries(jobs).map(([state, value]) => ({ labels: { state }, value })));
    this.#g.queue.set(jobs.queued);
    this.#g.running.set(src.running ? src.running() : jobs.running);
    this.#g.idleWorkers.set(src.idleWorkers?.() ?? 0);
    const checkpoints = src.checkpoints?.();
    this.#g.checkpointThread.set(checkpoints?.running ? 1 : 0);
    this.#g.walPending.set(checkpoints?.running ? checkpoints.wal.lag : 0);
    const pages = store.databaseBytes();
    const wal = statSync(`${store.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    this.#g.dbSize.set(pages + wal);
    this.#g.auditHead.set(src.audit.head()?.seq ?? 0);
    const appended = src.audit.appendedHead();
    this.#g.auditHeadInfo.setAll(appended ? [{ labels: { seq: String(appended.seq), hash: appended.hash }, value: 1 }] : []);
    const checkpoint = src.audit.lastCheckpoint();
    this.#g.auditCheckpoint.set(checkpoint?.seq ?? 0);
    this.#g.auditCheckpointInfo.setAll(checkpoint ? [{ labels: { seq: String(checkpoint.seq), hash: checkpoint.hash, key_id: checkpoint.keyId }, value: 1 }] : []);
    this.#g.auditTamper.set(src.audit.tamper ? 1 : 0);
    const syslog = src.audit.forwarding();
    if (syslog) {
      this.#g.syslogQueued.set(syslog.queued);
      this.#g.syslogConnected.set(syslog.state === 'connected' ? 1 : 0);
      this.#g.syslogSent.set(syslog.sent);
      this.#g.syslogDropped.set(syslog.dropped);
    }
    const disk = src.disk?.();
    if (disk) {
      this.#g.diskFree.set(Math.max(0, disk.freeBytes));
      this.#g.diskFloor.set(disk.floorBytes);
    }
    this.#g.ingestPaused.set(src.ingestPaused?.() ? 1 : 0);
    const integrity = src.integrity?.();
    if (integrity) {
      this.#g.integrityOk.set(integrity.state === 'unchecked' ? -1 : integrity.state === 'ok' ? 1 : 0);
      this.#g.integrityAt.set(integrity.checkedAt ? Math.round(Date.parse(integrity.checkedAt) / 1000) : 0);
      this.#g.integrityDuration.set(integrity.seconds ?? 0);
      this.#g.corruptScans.set(integrity.corruptScans.length);
    }
    this.#g.holds.set(store.retention.heldPatients());
    this.#g.uptime.set(Math.round((Date.now() - this.#startedAt) / 1000));
    this.#g.rss.set(process.memoryUsage.rss());
    return this.#registry.render();
  }
}
