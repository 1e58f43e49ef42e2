/**
 * Cusp's metrics for Prometheus: what a clinic's monitoring wants to see — scans by
 * status, jobs by state, the queue, how long jobs and API requests take, the size of the
 * database and the audit chain's head. Durations come from the event bus and the HTTP
 * middleware as they happen; counts are read from the database at scrape time. The names
 * and labels are a contract with the clinics' dashboards and alerts: test/api/metrics.test.ts
 * holds the list. prom-client keeps the registry and writes the text; the process's own
 * figures (memory, CPU, event-loop lag, GC) come after Cusp's.
 */
import { statSync } from 'node:fs';
import type { AuditLog } from '../audit/audit-log.js';
import type { EventBus } from '../events/bus.js';
import type { DiskStatus } from '../store/disk-space.js';
import type { IntegrityStatus } from '../store/integrity.js';
import type { Store } from '../store/store.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processMetrics } from './registry.js';

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

type Labels = Record<string, string | number>;

/** Replace every sample of a gauge (counts read at scrape time: a state gone is a series gone). */
function setAll(gauge: Gauge, values: Array<{ labels: Labels; value: number }>): void {
  gauge.reset();
  for (const v of values) gauge.set(v.labels, v.value);
}

const byBus = new WeakMap<EventBus, CuspMetrics>();

export class CuspMetrics {
  readonly #registry = new Registry();
  readonly #started = new Map<number, { at: number; kind: string }>();
  readonly #startedAt = Date.now();
  readonly #offBus: Array<() => void>;
  readonly #g;
  /** Gauges of parts a daemon may run without (syslog, disk monitor, integrity check): no samples until the part reports. */
  readonly #optional;
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
    const registers = [this.#registry];
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
    const optional = (name: string, help: string) => new Gauge({ name, help, registers: [] });
    this.#g = {
      scans: gauge('cusp_scans', 'Stored scans by status', ['status']),
      jobs: gauge('cusp_jobs', 'Jobs in the queue table by state', ['state']),
      queue: gauge('cusp_queue_depth', 'Jobs waiting to run'),
      running: gauge('cusp_jobs_running', 'Jobs running in worker threads now'),
      idleWorkers: gauge('cusp_job_workers_idle', 'Worker threads kept warm for the next job'),
      checkpointThread: gauge('cusp_wal_checkpoint_thread', '1 while WAL checkpoints run on their own thread, 0 when the API thread does them'),
      walPending: gauge('cusp_wal_pending_frames', 'WAL frames not yet copied into the database file by the checkpoint thread'),
      dbSize: gauge('cusp_database_size_bytes', 'Size of the encrypted database file and its write-ahead log'),
      auditHead: gauge('cusp_audit_head_seq', 'Sequence number of the newest audit event'),
      auditHeadInfo: gauge('cusp_audit_head_info', 'The newest audit event the daemon appended: its seq and chain hash as labels (keep a copy: cusp audit verify --against checks the trail with it)', ['seq', 'hash']),
      auditCheckpoint: gauge('cusp_audit_checkpoint_seq', 'Sequence number of the newest signed audit checkpoint'),
      auditCheckpointInfo: gauge('cusp_audit_checkpoint_info', 'The newest signed audit checkpoint: seq, chain hash and signing key id as labels', ['seq', 'hash', 'key_id']),
      auditTamper: gauge('cusp_audit_tamper_detected', '1 when the daemon saw an event it appended removed or rewritten in the table (see /health), else 0'),
      ingestPaused: gauge('cusp_ingest_paused', '1 while new files wait in their drop folders for disk space, 0 otherwise'),
      holds: gauge('cusp_legal_holds', 'Patients on legal hold'),
      uptime: gauge('cusp_uptime_seconds', 'Seconds since the metrics were first collected in this process'),
    };
    this.#optional = {
      syslog: {
        queued: optional('cusp_audit_syslog_queued', 'Signed checkpoints waiting for the syslog collector (audit.syslog)'),
        connected: optional('cusp_audit_syslog_connected', '1 while connected to the syslog collector, 0 otherwise'),
        sent: optional('cusp_audit_syslog_sent', 'Checkpoints handed to the syslog collector since the daemon started'),
        dropped: optional('cusp_audit_syslog_dropped', 'Checkpoints dropped from a full queue since the daemon started (they stay in the checkpoint file)'),
      },
      disk: {
        free: optional('cusp_disk_free_bytes', 'Bytes free for the daemon on the data folder\'s disk'),
        floor: optional('cusp_disk_min_free_bytes', 'The free-space floor (store.minFreeMegabytes): below it ingest waits'),
      },
      integrity: {
        ok: optional('cusp_database_integrity_ok', '1 when the last integrity check found no damage and no read found corrupt bytes, 0 when damaged, -1 before the first check'),
        at: optional('cusp_database_integrity_checked_timestamp_seconds', 'When the last database integrity check ended (Unix time), 0 before the first'),
        duration: optional('cusp_database_integrity_check_seconds', 'How long the last database integrity check took'),
        corrupt: optional('cusp_scans_corrupt', 'Scans whose stored bytes a read found corrupt since the daemon started'),
      },
    };
    this.#received = new Counter({ name: 'cusp_scans_received_total', help: 'Scans taken in since the daemon started', labelNames: ['format'], registers });
    this.#quarantined = new Counter({ name: 'cusp_scans_quarantined_total', help: 'Files moved to quarantine since the daemon started', registers });
    this.#jobDuration = new Histogram({ name: 'cusp_job_duration_seconds', help: 'Time from a job attempt starting to its end, by kind and outcome', labelNames: ['kind', 'outcome'], buckets: JOB_BUCKETS, registers });
    this.#httpDuration = new Histogram({ name: 'cusp_http_request_duration_seconds', help: 'API request latency by method, route template and status', labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers });
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
    processMetrics();
  }

  /** Record one API request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.#httpDuration.observe({ method, route, status }, seconds);
  }

  /** Stop listening to the bus. */
  close(): void {
    this.#offBus.forEach((off) => off());
  }

  /** Start exporting the gauges of a part that has reported (once: its series stay from then on). */
  #report(gauges: Record<string, Gauge>): void {
    for (const g of Object.values(gauges)) {
      const name = (g as unknown as { name: string }).name;
      if (!this.#registry.getSingleMetric(name)) this.#registry.registerMetric(g);
    }
  }

  /** The metrics in Prometheus text format, counts read now, then the process's own. */
  async render(src: ScrapeSources): Promise<string> {
    this.#setStore(src);
    this.#setAudit(src);
    this.#setOptional(src);
    this.#g.ingestPaused.set(src.ingestPaused?.() ? 1 : 0);
    this.#g.holds.set(src.store.retention.heldPatients());
    this.#g.uptime.set(Math.round((Date.now() - this.#startedAt) / 1000));
    return `${await this.#registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  /** Scans by status, jobs by state, the workers, the checkpoint thread and the database's size. */
  #setStore(src: ScrapeSources): void {
    const { store } = src;
    const scans = store.scans.countByStatus();
    const statusCounts = new Map<string, number>([['received', 0], ['validated', 0], ['rejected', 0], ['analysed', 0]]);
    for (const s of scans) statusCounts.set(s.status, s.n);
    setAll(this.#g.scans, [...statusCounts].map(([status, value]) => ({ labels: { status }, value })));
    const jobs = store.jobs.counts();
    setAll(this.#g.jobs, Object.entries(jobs).map(([state, value]) => ({ labels: { state }, value })));
    this.#g.queue.set(jobs.queued);
    this.#g.running.set(src.running ? src.running() : jobs.running);
    this.#g.idleWorkers.set(src.idleWorkers?.() ?? 0);
    const checkpoints = src.checkpoints?.();
    this.#g.checkpointThread.set(checkpoints?.running ? 1 : 0);
    this.#g.walPending.set(checkpoints?.running ? checkpoints.wal.lag : 0);
    const pages = store.databaseBytes();
    const wal = statSync(`${store.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    this.#g.dbSize.set(pages + wal);
  }

  /** The audit chain's head, its last signed checkpoint and the tamper flag. */
  #setAudit(src: ScrapeSources): void {
    this.#g.auditHead.set(src.audit.head()?.seq ?? 0);
    const appended = src.audit.appendedHead();
    setAll(this.#g.auditHeadInfo, appended ? [{ labels: { seq: String(appended.seq), hash: appended.hash }, value: 1 }] : []);
    const checkpoint = src.audit.lastCheckpoint();
    this.#g.auditCheckpoint.set(checkpoint?.seq ?? 0);
    setAll(this.#g.auditCheckpointInfo, checkpoint ? [{ labels: { seq: String(checkpoint.seq), hash: checkpoint.hash, key_id: checkpoint.keyId }, value: 1 }] : []);
    this.#g.auditTamper.set(src.audit.tamper ? 1 : 0);
  }

  /** The parts that are there only when configured: syslog forwarding, the disk floor, integrity checks. */
  #setOptional(src: ScrapeSources): void {
    const syslog = src.audit.forwarding();
    if (syslog) {
      const g = this.#optional.syslog;
      this.#report(g);
      g.queued.set(syslog.queued);
      g.connected.set(syslog.state === 'connected' ? 1 : 0);
      g.sent.set(syslog.sent);
      g.dropped.set(syslog.dropped);
    }
    const disk = src.disk?.();
    if (disk) {
      this.#report(this.#optional.disk);
      this.#optional.disk.free.set(Math.max(0, disk.freeBytes));
      this.#optional.disk.floor.set(disk.floorBytes);
    }
    const integrity = src.integrity?.();
    if (integrity) {
      const g = this.#optional.integrity;
      this.#report(g);
      g.ok.set(integrity.state === 'unchecked' ? -1 : integrity.state === 'ok' ? 1 : 0);
      g.at.set(integrity.checkedAt ? Math.round(Date.parse(integrity.checkedAt) / 1000) : 0);
      g.duration.set(integrity.seconds ?? 0);
      g.corrupt.set(integrity.corruptScans.length);
    }
  }
}
