/**
 * The facts of the overview, each fetched on its own so that one missing or failing source
 * shows as one line with its reason while the rest stay live. The event stream drives the
 * refreshes; the timers are a slow safety net, because every list read of scans, jobs or
 * audit events is itself an audit event and a console left open must not flood the trail.
 */
import type { CuspClient } from '../../src/api/client.js';
import type { JobDto } from '../../src/api/schemas/job.js';
import { dayAndWeekStart } from '../format.js';
import { certificateExpiry, diskSpace } from '../local-probes.js';
import type { Site } from '../site.js';
import { useApi, type ApiState } from './use-api.js';
import { useRefreshOn } from './use-events.js';
import { useHealth, type Health } from './use-health.js';

export interface ScanCounts {
  today: number;
  week: number;
  unassigned: number;
  /** True when a count hit the page limit (shown as "500+"). */
  capped: boolean;
  /** Photos received today, and how many of them have a quality finding or cannot be decoded. */
  photos: { today: number; toCheck: number } | null;
}

const COUNT_LIMIT = 500;

async function countScans(c: CuspClient): Promise<ScanCounts> {
  const { day, week } = dayAndWeekStart();
  const [t, w, u] = await Promise.all([
    c.listScans({ from: day, limit: COUNT_LIMIT }),
    c.listScans({ from: week, limit: COUNT_LIMIT }),
    c.listScans({ unassigned: 'true', limit: COUNT_LIMIT }),
  ]);
  // A daemon without the photo routes (older) shows scans alone.
  const photos = await c.call<{ total: number; toCheck: number; unreadable: number }>('GET', '/images/counts', { query: { from: day } })
    .then((p) => ({ today: p.total, toCheck: p.toCheck + p.unreadable }), () => null);
  return { today: t.scans.length, week: w.scans.length, unassigned: u.scans.length, capped: [t, w, u].some((p) => p.next !== null), photos };
}

export interface JobSummary {
  running: JobDto[];
  queued: number;
  failed: JobDto[];
  capped: boolean;
}

async function summariseJobs(c: CuspClient): Promise<JobSummary> {
  const page = (state: string, limit: number) => c.call<{ jobs: JobDto[]; next: string | null }>('GET', '/jobs', { query: { state, limit } });
  // One after the other, newest state last (see fetchJobs on the jobs screen).
  const running = await page('running', 100);
  const queued = await page('queued', 100);
  const failed = await page('failed', 5);
  running.jobs = running.jobs.filter((j) => !failed.jobs.some((f) => f.id === j.id) && !queued.jobs.some((q) => q.id === j.id));
  return { running: running.jobs, queued: queued.jobs.length, failed: failed.jobs, capped: queued.next !== null };
}

export interface FolderRow {
  name: string;
  path: string;
  state: string;
  message?: string | null;
}

export interface QuarantinedFile {
  folder: string;
  file: string;
  reason: string | null;
  quarantinedAt: string;
}

/** Every folder's quarantine (file names may carry patient names: each read is audited). */
async function quarantines(c: CuspClient, folders: string[]): Promise<QuarantinedFile[]> {
  const all: QuarantinedFile[] = [];
  for (const folder of folders) {
    const q = await c.call<{ files: Array<{ file: string; reason: string | null; quarantinedAt: string }> }>('GET', `/folders/${encodeURIComponent(folder)}/quarantine`);
    all.push(...q.files.map((f) => ({ folder, ...f })));
  }
  return all;
}

export interface Overview {
  health: ApiState<Health>;
  scans: ApiState<ScanCounts>;
  jobs: ApiState<JobSummary>;
  folders: ApiState<FolderRow[]>;
  quarantine: ApiState<QuarantinedFile[]>;
  audit: ApiState<AuditStatus>;
  cert: ApiState<{ expiresAt: string; subject: string }>;
  disk: ApiState<{ freeBytes: number; totalBytes: number }>;
}

export interface AuditStatus {
  lastVerification: { at: string; ok: boolean; events: number | null; by: string } | null;
  lastCheckpoint: { seq: number; at: string } | null;
  head: number | null;
}

async function auditStatus(c: CuspClient): Promise<AuditStatus> {
  const s = await c.auditStatus();
  return {
    head: s.head?.seq ?? null,
    lastCheckpoint: s.lastCheckpoint ? { seq: s.lastCheckpoint.seq, at: s.lastCheckpoint.time } : null,
    lastVerification: s.lastVerification ? { at: s.lastVerification.time, ok: s.lastVerification.ok, events: s.lastVerification.events, by: s.lastVerification.actor } : null,
  };
}

/** Free space: from the daemon (works for a remote box too), else measured here on its machine. */
async function disk(c: CuspClient, site: Site): Promise<{ freeBytes: number; totalBytes: number }> {
  try {
    return (await c.storage()).dataDir;
  } catch (err) {
    if (site.dataDir) return diskSpace(site.dataDir);
    throw err;
  }
}

export function useOverview(site: Site): Overview {
  const health = useHealth();
  const scans = useApi(countScans, [], { intervalMs: 60_000 });
  const jobs = useApi(summariseJobs, [], { intervalMs: 30_000 });
  const folders = useApi((c) => c.call<{ folders: FolderRow[] }>('GET', '/folders').then((r) => r.folders), [], { intervalMs: 10_000 });
  const names = (folders.data ?? []).map((f) => f.name);
  const quarantine = useApi((c) => quarantines(c, names), [names.join('\u0000')], { intervalMs: 300_000, enabled: folders.data !== undefined });
  const audit = useApi(auditStatus, [], { intervalMs: 300_000 });
  const cert = useApi(() => (site.tls ? certificateExpiry(site.tls.host, site.tls.port) : Promise.reject(new Error('no API address known'))), [site.tls?.host, site.tls?.port], { intervalMs: 3_600_000 });
  const space = useApi((c) => disk(c, site), [site.dataDir], { intervalMs: 60_000 });
  useRefreshOn(['scan.received', 'scan.validated', 'image.stored', 'image.measured'], scans.refresh, 5000);
  useRefreshOn(['job.queued', 'job.started', 'job.finished'], jobs.refresh);
  useRefreshOn(['folder.'], folders.refresh);
  useRefreshOn(['scan.quarantined'], quarantine.refresh, 5000);
  useRefreshOn(['audit.verify'], audit.refresh, 2000);
  return { health, scans, jobs, folders, quarantine, audit, cert, disk: space };
}
