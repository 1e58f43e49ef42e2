/**
 * Removing images for good — for the retention purge, a GDPR erasure and `DELETE
 * /images/:id`: the image rows (their jobs go by cascade), then every blob no remaining
 * row names (the original, the thumbnail, the served copy). A photo's bytes that are also
 * a scan's source file stay while that scan does.
 */
import type { Image } from '../store/images.js';
import type { Store } from '../store/store.js';
import { blobIsNamed } from './remove-scans.js';

/**
 * Remove `images`. Call inside a transaction; after it commits, pass the returned `chunks`
 * to `store.blobs.freeChunks` (overwritten and freed a chunk per turn of the event loop).
 */
export function removeImages(store: Store, images: Image[]): { counts: { images: number; blobs: number }; chunks: string[] } {
  const counts = { images: 0, blobs: 0 };
  const hashes = new Set<string>();
  for (const image of images) {
    for (const h of [image.sha256, image.thumbnailHash, image.servedHash]) if (h) hashes.add(h);
    if (store.images.delete(image.id)) counts.images++;
  }
  const chunks = new Set<string>();
  for (const hash of hashes) {
    if (blobIsNamed(store, hash) || !store.blobs.exists(hash)) continue;
    for (const chunk of store.blobs.remove(hash)) chunks.add(chunk);
    counts.blobs++;
  }
  return { counts, chunks: [...chunks] };
}
