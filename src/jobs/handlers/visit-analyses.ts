/**
 * The analyses a scan owes its patient's timeline once it is placed — assigned to a
 * patient, re-assigned with another jaw or date, or moved into another visit: the
 * comparison with the patient's previous scan of that jaw, the comparison of the next scan
 * of that jaw with this one (a late-assigned older scan slots into the timeline), and the
 * bite with the other jaw of its visit. Ingest queues the same jobs through
 * `queueAnalyses` when a scan is validated with its patient known; this uses the same rules
 * (`previousScan`, `opposingScan`) and the same payloads.
 */
import type { EventBus } from '../../events/bus.js';
import { busEvent, record, type RecordServices } from '../../events/record.js';
import type { Job } from '../../store/jobs.js';
import type { Scan } from '../../store/scans.js';
import type { Store } from '../../store/store.js';
import { opposingScan, previousScan } from './analysis.js';

const LIVE_OR_DONE = new Set(['queued', 'running', 'done']);

/** Whether `scan` has a job of `kind` whose payload names `key` = `otherId`, queued, running or done. */
function hasJob(store: Store, scan: Scan, kind: string, key: string, otherId: number): boolean {
  return store.jobs.forScan(scan.id).some((j) => j.kind === kind && j.payload[key] === otherId && LIVE_OR_DONE.has(j.state));
}

/** The patient's validated scan of the same jaw whose previous scan is now `scan`, if any. */
export function nextScan(store: Store, scan: Scan): Scan | undefined {
  if (scan.patientId === null || scan.jaw === 'other') return undefined;
  const when = scan.capturedAt ?? scan.receivedAt;
  const id = store.timeline.nextId({ id: scan.id, patientId: scan.patientId, jaw: scan.jaw, when });
  const next = id === undefined ? undefined : store.scans.get(id);
  return next && previousScan(store, next)?.id === scan.id ? next : undefined;
}

/**
 * Queue what `scan`'s place in its patient's timeline calls for and is not queued or done
 * yet; a scan not validated yet gets its analyses when validation ends (queueAnalyses).
 * Runs inside the caller's transaction; each job's `job.queued` event goes out after the
 * commit, and the caller notifies the dispatcher then.
 * A scan marked `analysed` goes back to `validated` until the new jobs end.
 */
export function queueVisitAnalyses(services: RecordServices & { bus: EventBus }, scan: Scan): Job[] {
  const { store } = services;
  if (scan.status !== 'validated' && scan.status !== 'analysed') return [];
  const queued: Job[] = [];
  const previous = previousScan(store, scan);
  if (previous && !hasJob(store, scan, 'compare', 'previous', previous.id)) {
    queued.push(store.jobs.enqueue('compare', scan.id, { payload: { previous: previous.id } }));
  }
  const next = nextScan(store, scan);
  if (next && !hasJob(store, next, 'compare', 'previous', scan.id)) {
    queued.push(store.jobs.enqueue('compare', next.id, { payload: { previous: scan.id } }));
  }
  const opposing = opposingScan(store, scan);
  if (opposing && !hasJob(store, scan, 'analyse', 'opposing', opposing.id) && !hasJob(store, opposing, 'analyse', 'opposing', scan.id)) {
    queued.push(store.jobs.enqueue('analyse', scan.id, { payload: { opposing: opposing.id, thickness: false } }));
  }
  for (const job of queued) {
    const owner = job.scanId === scan.id ? scan : store.scans.get(job.scanId!)!;
    if (owner.status === 'analysed') store.scans.setStatus(owner.id, 'validated', owner.verdict, owner.reason);
    record(services, {
      changes: [{ type: 'job.queued', objectType: 'job', objectId: job.id, data: { kind: job.kind, scan: owner.uid } }],
      events: [busEvent('job.queued', { jobId: job.id, kind: job.kind, scanId: job.scanId })],
    });
  }
  return queued;
}
