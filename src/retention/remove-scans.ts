/**
 * Removing scans for good — for the retention purge and for a GDPR erasure: the scan rows
 * (reports, artifacts, jobs, arrivals and notes on the scan go with them by cascade), then
 * every blob no remaining row names (scans, artifacts, images). A chunk shared with a blob that stays is kept
 * (BlobStore.freeChunks). With `secure_delete` on, the freed pages are overwritten.
 */
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';

export interface RemovedCounts {
  scans: number;
  blobs: number;
  artifacts: number;
  reports: number;
  annotations: number;
  jobs: number;
}

/**
 * Remove `scans` and their derived data. Call inside a transaction; after it commits, pass
 * the returned `chunks` to `store.blobs.freeChunks` (the bytes are overwritten and freed a
 * chunk per turn of the event loop, so the API keeps answering during a large erasure).
 */
export function removeScans(store: Store, scans: Scan[]): { counts: RemovedCounts; chunks: string[] } {
  const counts: RemovedCounts = { scans: 0, blobs: 0, artifacts: 0, reports: 0, annotations: 0, jobs: 0 };
  const hashes = new Set<string>();
  for (const scan of scans) {
    hashes.add(scan.sha256);
    for (const a of store.artifacts.forScan(scan.id)) hashes.add(a.blobHash);
    const dependents = store.scans.dependents(scan.id);
    counts.artifacts += dependents.artifacts;
    counts.reports += dependents.reports;
    counts.annotations += dependents.annotations;
    counts.jobs += dependents.jobs;
    counts.scans += store.scans.remove(scan.id);
  }
  const chunks = new Set<string>();
  for (const hash of hashes) {
    if (blobIsNamed(store, hash) || !store.blobs.exists(hash)) continue;
    for (const chunk of store.blobs.remove(hash)) chunks.add(chunk);
    counts.blobs++;
  }
  return { counts, chunks: [...chunks] };
}

/**
 * Whether any row still names the blob: a scan, an artifact, or an image (its original,
 * thumbnail or served copy) — a gallery photo is both a scan's source file and an image.
 */
export function blobIsNamed(store: Store, hash: string): boolean {
  return store.references.namesBlob(hash);
}
