/**
 * The retention purge: scans (and photos) older than the policy allows are removed, except
 * those of patients on legal hold. Every removed scan is its own audit event (and change), written
 * in the transaction that removes it; the run itself is summed up in one more event. A dry
 * run lists what would go and removes nothing.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { parseSchedule, type Schedule } from '../config/schedule.js';
import { record } from '../events/record.js';
import type { PeriodicTask } from '../jobs/periodic.js';
import type { Logger } from '../log/index.js';
import type { RetentionPolicy } from '../store/retention.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { purgeExpiredImages, type ImagePurgeResult } from './purge-images.js';
import { removeScans } from './remove-scans.js';

export interface PurgeDeps {
  store: Store;
  audit: AuditLog;
  /** The config's `retention` section: the policy until an administrator sets one. */
  defaults: { scansYears: number };
  /** Cancel a queued or running job of a scan about to be removed. */
  cancelJob?: (jobId: number) => void;
}

export interface PurgeResult {
  dryRun: boolean;
  policy: RetentionPolicy;
  /** Scans whose date (per the policy's basis) is before this day are expired. */
  cutoff: string;
  /** Expired scans removed (or, in a dry run, that would be). */
  purged: Array<{ uid: string; patient: string | null; date: string }>;
  /** Expired scans kept because their patient is on legal hold. */
  held: number;
  /** Photos, by the same policy (src/retention/purge-images.ts). */
  images: ImagePurgeResult;
}

/** The day before which scans are expired, `years` before `now` (UTC). */
export function retentionCutoff(now: Date, years: number): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/** Run the purge now (or only look, with `dryRun`). */
export async function purgeExpiredScans(deps: PurgeDeps, options: { dryRun: boolean; actor: string; source?: string | null; now?: Date }): Promise<PurgeResult> {
  const { store, audit } = deps;
  const policy = store.retention.policy(deps.defaults);
  const cutoff = retentionCutoff(options.now ?? new Date(), policy.scansYears);
  const expired = store.retention.expiredScans(policy.basis, cutoff);
  const result: PurgeResult = { dryRun: options.dryRun, policy, cutoff, purged: [], held: 0, images: { purged: [], held: 0 } };
  for (const row of expired) {
    if (row.legal_hold === 1) {
      result.held++;
      continue;
    }
    if (options.dryRun) {
      result.purged.push({ uid: row.uid, patient: row.pseudo_id, date: row.date });
      continue;
    }
    const scan = store.scans.get(row.id) as Scan;
    for (const job of store.jobs.forScan(scan.id)) if (job.state === 'queued' || job.state === 'running') deps.cancelJob?.(job.id);
    let chunks: string[] = [];
    const removed = store.transaction(() => {
      // Read the hold again inside the transaction: one may have been placed meanwhile.
      const patient = scan.patientId === null ? undefined : store.patients.get(scan.patientId);
      if (patient?.legalHold) return false;
      const { counts, chunks: freed } = removeScans(store, [scan]);
      chunks = freed;
      record(deps, {
        audit: {
          actor: options.actor, action: 'scan.purge', object: `scan:${scan.uid}`, source: options.source ?? null,
          details: { patient: row.pseudo_id, basis: policy.basis, date: row.date, retentionYears: policy.scansYears, blobs: counts.blobs, artifacts: counts.artifacts },
        },
        changes: [{ type: 'scan.purged', objectType: 'scan', objectId: scan.uid, data: { patient: row.pseudo_id } }],
      });
      return true;
    });
    await store.blobs.freeChunks(chunks);
    if (removed) result.purged.push({ uid: row.uid, patient: row.pseudo_id, date: row.date });
    else result.held++;
  }
  result.images = await purgeExpiredImages(deps, policy, cutoff, options);
  audit.append({
    actor: options.actor, action: 'retention.purge', source: options.source ?? null,
    details: {
      dryRun: options.dryRun, cutoff, basis: policy.basis, retentionYears: policy.scansYears, purged: result.purged.length, held: result.held,
      imagesPurged: result.images.purged.length, imagesHeld: result.images.held,
    },
  });
  return result;
}

/** The purge's schedule: every day at `hour`:00 local time. */
export function purgeSchedule(hour: number): Extract<Schedule, { kind: 'cron' }> {
  const schedule = parseSchedule(`0 ${hour} * * *`);
  if (typeof schedule === 'string' || schedule.kind !== 'cron') throw new Error(`retention purge: no hour ${hour}: ${String(schedule)}`);
  return schedule;
}

/**
 * The purge as a task of the periodic work (src/jobs/periodic.ts): every day at `hour`:00
 * local time (default 03:00, when scanners are idle). Failures are logged and retried the
 * next day.
 */
export function retentionPurgeTask(deps: PurgeDeps & { log: Logger }, hour = 3): PeriodicTask {
  return {
    name: 'retention-purge',
    when: { cron: purgeSchedule(hour) },
    run: async () => {
      const result = await purgeExpiredScans(deps, { dryRun: false, actor: 'system' });
      deps.log.info(`retention purge: ${result.purged.length} scan(s) older than ${result.cutoff} removed, ${result.held} kept under legal hold`);
    },
    onError: (err) => deps.log.error(`retention purge failed; it runs again tomorrow: ${(err as Error).message}`),
  };
}
