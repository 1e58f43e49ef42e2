/**
 * Caching a FlatBvh: a scan's tree is stored once (by the scan's content hash) and later
 * comparisons against that scan skip the build. Only what cannot be recomputed cheaply is
 * kept — the node buffer and the BVH order of the triangles, about 8 MB at 1M triangles;
 * the corners are copied again from the welded mesh (exact welding is deterministic, so
 * the same bytes give the same mesh and the same triangle numbers).
 *
 * Layout: "CBVH" magic, u32 version, u32 triangle count, u32 node-buffer bytes, then the
 * node buffer, then the triangle order (u32 each). Little-endian, as the node buffer is.
 */
import { CuspError } from '../../errors.js';
import type { IndexedMesh } from '../mesh.js';
import type { FlatBvh } from './flat-bvh.js';

const MAGIC = 0x48564243; // 'CBVH' read as a little-endian u32
const VERSION = 1;
const HEADER = 16;

export function serializeFlatBvh(bvh: FlatBvh): Uint8Array {
  const count = bvh.triangles.length;
  const out = new Uint8Array(HEADER + bvh.nodes.byteLength + 4 * count);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, bvh.nodes.byteLength, true);
  out.set(new Uint8Array(bvh.nodes), HEADER);
  out.set(new Uint8Array(bvh.triangles.buffer, bvh.triangles.byteOffset, bvh.triangles.byteLength), HEADER + bvh.nodes.byteLength);
  return out;
}

/**
 * The cached tree for `mesh`, or undefined when the cache is of another version or does
 * not fit the mesh (then the caller builds anew).
 */
export function restoreFlatBvh(bytes: Uint8Array, mesh: IndexedMesh): FlatBvh | undefined {
  if (bytes.length < HEADER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return undefined;
  const count = view.getUint32(8, true);
  const nodeBytes = view.getUint32(12, true);
  if (count !== mesh.indices.length / 3 || bytes.length !== HEADER + nodeBytes + 4 * count || nodeBytes % 32 !== 0) return undefined;
  const nodes = bytes.slice(HEADER, HEADER + nodeBytes).buffer;
  const triangles = new Uint32Array(bytes.slice(HEADER + nodeBytes).buffer);
  const corners = new Float32Array(9 * count);
  const { positions, indices } = mesh;
  for (let i = 0; i < count; i++) {
    const t = triangles[i];
    if (t >= count) throw new CuspError('invalid_input', 'the cached BVH names a triangle the mesh does not have');
    for (let k = 0; k < 3; k++) {
      const v = 3 * indices[3 * t + k];
      corners[9 * i + 3 * k] = positions[v];
      corners[9 * i + 3 * k + 1] = positions[v + 1];
      corners[9 * i + 3 * k + 2] = positions[v + 2];
    }
  }
  return { nodes, corners, triangles };
}
