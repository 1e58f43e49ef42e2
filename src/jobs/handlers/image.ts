/**
 * The `image` job around its worker: hand it a photo's stored bytes; store the thumbnail
 * (and, for HEIC, the JPEG copy to serve) as blobs and the EXIF facts, size and quality
 * check on the image — or mark the image unreadable with the reason (its bytes stay stored).
 */
import type { AuditLog } from '../../audit/audit-log.js';
import { CuspError } from '../../errors.js';
import { record } from '../../events/record.js';
import type { Image } from '../../store/images.js';
import type { Store } from '../../store/store.js';
import type { JobHandler } from '../job-handler.js';

function imageOf(store: Store, payload: Record<string, unknown>): Image {
  const id = Number(payload.imageId);
  const image = Number.isInteger(id) ? store.images.get(id) : undefined;
  if (!image) throw new CuspError('not_found', `image ${String(payload.imageId)} no longer exists`);
  return image;
}

export function imageHandler(deps: { store: Store; audit: AuditLog }): JobHandler<'image'> {
  const { store } = deps;
  return {
    kind: 'image',
    async prepare(job) {
      const image = imageOf(store, job.payload);
      const bytes = await store.blobs.readArrayBuffer(image.sha256);
      if (!bytes) throw new CuspError('not_found', `the stored bytes of image ${image.uid} are missing`);
      return { name: image.uid, bytes, siblings: {}, options: { mediaType: image.mediaType } };
    },
    async complete(job, result) {
      const image = imageOf(store, job.payload);
      const thumbnail = new Uint8Array(result.thumbnail);
      const served = result.served ? new Uint8Array(result.served) : undefined;
      // Staged ahead (a chunk per turn), linked in the transaction that names them.
      const stagedThumb = await store.blobs.stage(thumbnail);
      const stagedServed = served ? await store.blobs.stage(served) : undefined;
      store.transaction(() => {
        const thumb = store.blobs.put(thumbnail, undefined, stagedThumb);
        const copy = served ? store.blobs.put(served, undefined, stagedServed) : undefined;
        store.images.setMeasured(image.id, {
          width: result.width, height: result.height, capturedAt: result.exif.capturedAt, cameraMake: result.exif.make, cameraModel: result.exif.model,
          hadLocation: result.exif.hasLocation, quality: result.quality, thumbnailHash: thumb.hash, servedHash: copy?.hash ?? null,
        });
        record(deps, {
          audit: { actor: 'system', action: 'image.measure', object: `image:${image.uid}`, details: { verdict: result.quality.verdict, width: result.width, height: result.height } },
          changes: [{ type: 'image.measured', objectType: 'image', objectId: image.uid, data: { status: 'measured', verdict: result.quality.verdict } }],
        });
      });
    },
    failed(job, failure) {
      if (failure.code !== 'invalid_input') return; // a crash or time-out: the job shows the reason; the image stays 'received'
      const image = store.images.get(Number(job.payload.imageId));
      if (!image) return;
      store.transaction(() => {
        store.images.setUnreadable(image.id, failure.message);
        record(deps, {
          audit: { actor: 'system', action: 'image.measure', object: `image:${image.uid}`, outcome: 'failure', details: { unreadable: true } },
          changes: [{ type: 'image.measured', objectType: 'image', objectId: image.uid, data: { status: 'unreadable' } }],
        });
      });
    },
  };
}
