/**
 * A stored scan as a worker input: its bytes and the sibling files it came with (an OBJ's
 * material library and textures, a glTF's buffers), each in an ArrayBuffer of its own,
 * ready to transfer.
 */
import { CuspError } from '../errors.js';
import { corruptScanError } from '../store/blobs.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import type { MeshInput } from './protocol.js';

/**
 * Read a chunk per turn of the event loop: the API keeps answering while a 50 MB scan is
 * read. Every chunk is checked against its SHA-256 as it is read (BlobStore.stream): a
 * corrupt scan fails with storage_corrupt naming the scan, never reaches a worker.
 */
export async function meshInput(store: Store, scan: Scan): Promise<MeshInput> {
  try {
    return await readInput(store, scan);
  } catch (err) {
    throw corruptScanError(scan.uid, err);
  }
}

async function readInput(store: Store, scan: Scan): Promise<MeshInput> {
  const bytes = await store.blobs.readArrayBuffer(scan.sha256);
  if (!bytes) throw new CuspError('not_found', `the bytes of scan ${scan.uid} are missing from the store`);
  const siblings: Record<string, ArrayBuffer> = {};
  for (const artifact of store.artifacts.forScan(scan.id)) {
    if (!artifact.kind.startsWith('source:')) continue;
    const b = await store.blobs.readArrayBuffer(artifact.blobHash);
    if (b) siblings[artifact.kind.slice('source:'.length)] = b;
  }
  return { name: scan.originalName.slice(scan.originalName.lastIndexOf('/') + 1), bytes, siblings };
}
