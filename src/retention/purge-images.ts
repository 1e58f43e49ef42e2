/**
 * The retention purge of photos: an image older than the policy allows goes like a scan
 * does — counted from its capture date (or its receipt, per the policy's basis), never
 * while its patient is on legal hold, each removal its own audit event and change.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { record } from '../events/record.js';
import type { RetentionPolicy } from '../store/retention.js';
import type { Store } from '../store/store.js';
import { removeImages } from './remove-images.js';

export interface ImagePurgeResult {
  purged: Array<{ uid: string; patient: string | null; date: string }>;
  held: number;
}

/** Purge (or, with `dryRun`, list) the images dated before `cutoff`. */
export async function purgeExpiredImages(
  deps: { store: Store; audit: AuditLog; cancelJob?: (jobId: number) => void },
  policy: RetentionPolicy, cutoff: string, options: { dryRun: boolean; actor: string; source?: string | null },
): Promise<ImagePurgeResult> {
  const { store } = deps;
  const expired = store.retention.expiredImages(policy.basis, cutoff);
  const result: ImagePurgeResult = { purged: [], held: 0 };
  for (const row of expired) {
    if (row.legal_hold === 1) {
      result.held++;
      continue;
    }
    if (options.dryRun) {
      result.purged.push({ uid: row.uid, patient: row.pseudo_id, date: row.date });
      continue;
    }
    const image = store.images.get(row.id);
    if (!image) continue;
    for (const job of store.images.jobs(image.id)) if (job.state === 'queued' || job.state === 'running') deps.cancelJob?.(job.id);
    let chunks: string[] = [];
    const removed = store.transaction(() => {
      // The hold is read again inside the transaction: one may have been placed meanwhile.
      const patient = image.patientId === null ? undefined : store.patients.get(image.patientId);
      if (patient?.legalHold) return false;
      const r = removeImages(store, [image]);
      chunks = r.chunks;
      record(deps, {
        audit: {
          actor: options.actor, action: 'image.purge', object: `image:${image.uid}`, source: options.source ?? null,
          details: { patient: row.pseudo_id, basis: policy.basis, date: row.date, retentionYears: policy.scansYears, blobs: r.counts.blobs },
        },
        changes: [{ type: 'image.purged', objectType: 'image', objectId: image.uid, data: { patient: row.pseudo_id } }],
      });
      return true;
    });
    await store.blobs.freeChunks(chunks);
    if (removed) result.purged.push({ uid: row.uid, patient: row.pseudo_id, date: row.date });
    else result.held++;
  }
  return result;
}
