/**
 * The analysis jobs around their workers — `derive` (thumbnail, preview), `compare` (with
 * the patient's previous scan of the same jaw), `analyse` (thickness, bite) — and the rule
 * that queues them once a scan is validated. A scan is `analysed` when none of them is
 * left to run.
 */
import type { AuditLog } from '../../audit/audit-log.js';
import { CuspError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { busEvent, record } from '../../events/record.js';
import type { StagedBlob } from '../../store/blobs.js';
import type { Scan } from '../../store/scans.js';
import type { Store } from '../../store/store.js';
import type { AnalysisResult } from '../artifact-result.js';
import type { JobHandler } from '../job-handler.js';
import type { OptionsOf } from '../kinds.js';
import { meshInput } from '../mesh-input.js';
import type { MeshInput } from '../protocol.js';

/** Bumped when a report's shape changes. */
export const ANALYSIS_REPORT_VERSION = 1;
export const ANALYSIS_KINDS = ['derive', 'compare', 'analyse'] as const;

interface Deps {
  store: Store;
  audit: AuditLog;
  bus: EventBus;
}

function scanOf(store: Store, scanId: number | null): Scan {
  const scan = scanId === null ? undefined : store.scans.get(scanId);
  if (!scan) throw new CuspError('not_found', `scan ${scanId} no longer exists`);
  return scan;
}

/**
 * The patient's latest earlier validated scan of the same jaw, if any (by capture date, else
 * arrival); never the version this scan re-exports.
 */
export function previousScan(store: Store, scan: Scan): Scan | undefined {
  if (scan.patientId === null || scan.jaw === 'other') return undefined;
  const when = scan.capturedAt ?? scan.receivedAt;
  const id = store.timeline.previousId({ id: scan.id, patientId: scan.patientId, jaw: scan.jaw, when }, scan.supersedes);
  return id === undefined ? undefined : store.scans.get(id);
}

/** The other jaw of the same visit, when it is validated too. */
export function opposingScan(store: Store, scan: Scan): Scan | undefined {
  if (scan.visitId === null || (scan.jaw !== 'upper' && scan.jaw !== 'lower')) return undefined;
  const other = scan.jaw === 'upper' ? 'lower' : 'upper';
  const id = store.timeline.inVisit(scan.visitId, other);
  return id === undefined ? undefined : store.scans.get(id);
}

/**
 * Queue the analyses of a scan that was just validated: always its pictures; a comparison
 * when the patient has an earlier scan of this jaw; the bite when the visit's other jaw is
 * in (once per pair: on the scan that completes it); thickness for printable models.
 */
export function queueAnalyses(store: Store, scan: Scan, profile: 'scan' | 'solid'): number[] {
  const jobs = [store.jobs.enqueue('derive', scan.id).id];
  const previous = previousScan(store, scan);
  if (previous) jobs.push(store.jobs.enqueue('compare', scan.id, { payload: { previous: previous.id } }).id);
  const opposing = opposingScan(store, scan);
  if (opposing || profile === 'solid') {
    jobs.push(store.jobs.enqueue('analyse', scan.id, { payload: { opposing: opposing?.id ?? null, thickness: profile === 'solid' } }).id);
  }
  return jobs;
}

async function storeResult(deps: Deps, kind: string, scan: Scan, result: AnalysisResult, others: Record<string, Scan>): Promise<void> {
  const { store } = deps;
  // Heat maps, previews and BVH caches (tens of MB at 1M triangles) are written ahead, a
  // chunk per turn of the event loop; the transaction below only links them.
  const staged: StagedBlob[] = [];
  for (const a of result.artifacts) staged.push(await store.blobs.stage(new Uint8Array(a.bytes)));
  store.transaction(() => {
    for (const [reportKind, body] of Object.entries(result.reports)) store.reports.put(scan.id, reportKind, ANALYSIS_REPORT_VERSION, body);
    for (const [i, a] of result.artifacts.entries()) {
      // An artifact may belong to another scan of the job (a cache of the previous scan's BVH).
      const owner = typeof a.meta.forScan === 'string' ? others[a.meta.forScan] : scan;
      if (!owner) continue;
      const blob = store.blobs.put(new Uint8Array(a.bytes), undefined, staged[i]);
      store.artifacts.put(owner.id, a.kind, a.mediaType, blob.hash, { ...a.meta, size: a.bytes.byteLength, sha256: owner.sha256 });
    }
    const details = { reports: Object.keys(result.reports), artifacts: result.artifacts.map((a) => a.kind) };
    record(deps, {
      audit: { actor: 'system', action: `scan.${kind}`, object: `scan:${scan.uid}`, details },
      changes: [{ type: `scan.${kind}`, objectType: 'scan', objectId: scan.uid, data: details }],
    });
  });
}

/** After an analysis job ends: a scan with nothing left to run is `analysed`. */
function settleStatus(deps: Deps, scan: Scan, currentJobId: number): void {
  const { store } = deps;
  const pending = store.jobs.forScan(scan.id).some((j) => j.id !== currentJobId && (ANALYSIS_KINDS as readonly string[]).includes(j.kind) && (j.state === 'queued' || j.state === 'running'));
  const fresh = store.scans.get(scan.id);
  if (pending || !fresh || fresh.status !== 'validated') return;
  store.transaction(() => {
    store.scans.setStatus(scan.id, 'analysed', fresh.verdict, fresh.reason);
    record(deps, {
      changes: [{ type: 'scan.analysed', objectType: 'scan', objectId: scan.uid }],
      events: [busEvent('scan.analysed', { scanId: scan.id, uid: scan.uid, verdict: fresh.verdict, reports: store.reports.forScan(scan.id).map((r) => r.kind) })],
    });
  });
}

type AnalysisKind = (typeof ANALYSIS_KINDS)[number];
type Extra<K extends AnalysisKind> = { inputs?: Record<string, MeshInput>; buffers?: Record<string, ArrayBuffer>; options: OptionsOf<K> };

function handler<K extends AnalysisKind>(deps: Deps, kind: K, inputs: (scan: Scan, payload: Record<string, unknown>) => Extra<K> | Promise<Extra<K>>): JobHandler<K> {
  const { store } = deps;
  return {
    kind,
    async prepare(job) {
      const scan = scanOf(store, job.scanId);
      const extra = await inputs(scan, job.payload);
      return { ...(await meshInput(store, scan)), inputs: extra.inputs, buffers: extra.buffers, options: extra.options };
    },
    async complete(job, result: AnalysisResult) {
      const scan = scanOf(store, job.scanId);
      const previous = typeof job.payload.previous === 'number' ? store.scans.get(job.payload.previous) : undefined;
      await storeResult(deps, kind, scan, result, previous ? { previous } : {});
      settleStatus(deps, scan, job.id);
    },
    failed(job) {
      const scan = store.scans.get(job.scanId ?? -1);
      if (scan) settleStatus(deps, scan, job.id);
    },
  };
}

export function analysisHandlers(deps: Deps): [JobHandler<'derive'>, JobHandler<'compare'>, JobHandler<'analyse'>] {
  const { store } = deps;
  const other = (id: unknown, what: string): Scan => {
    const scan = typeof id === 'number' ? store.scans.get(id) : undefined;
    if (!scan) throw new CuspError('not_found', `the ${what} scan no longer exists`);
    return scan;
  };
  return [
    handler(deps, 'derive', () => ({ options: {} })),
    handler(deps, 'compare', async (_scan, payload) => {
      const previous = other(payload.previous, 'previous');
      const cache = store.artifacts.get(previous.id, 'cache:bvh');
      const tree = cache && cache.meta.sha256 === previous.sha256 ? await store.blobs.readArrayBuffer(cache.blobHash) : undefined;
      return { inputs: { previous: await meshInput(store, previous) }, buffers: tree ? { previousBvh: tree } : undefined, options: { previousUid: previous.uid } };
    }),
    handler(deps, 'analyse', async (scan, payload) => {
      const opposing = payload.opposing === null || payload.opposing === undefined ? undefined : other(payload.opposing, 'opposing');
      return {
        inputs: opposing ? { opposing: await meshInput(store, opposing) } : undefined,
        options: { thickness: payload.thickness === true, jaw: scan.jaw, opposingUid: opposing?.uid ?? null },
      };
    }),
  ];
}
