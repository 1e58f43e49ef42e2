/**
 * A BVH as three plain typed arrays, for the distance and ray queries of the analyses.
 *
 * The tree is the linear BVH (`linear-bvh.ts`: Morton order, split at the code's bits) in
 * three-mesh-bvh's packed node layout (see `self-traverse.ts`: 32 bytes per node, six
 * float32 bounds, then a leaf's uint32 offset, uint16 count and 0xFFFF flag, or an inner
 * node's uint32 distance to its right child), and beside it the corners of every triangle
 * copied in BVH order, so a leaf's triangles are read from one contiguous run of memory
 * instead of through the index array. The queries (`closest-point.ts`, `raycast.ts`) walk
 * these arrays with no three.js object in the loop: measured (test/bench/analysis.bench.ts),
 * 6–10× faster per closest-point query than a loop of three-mesh-bvh's `closestPointToPoint`
 * and ~2.5× more rays a second than `raycastFirst`; and the arrays can be transferred to, or
 * shared with, a worker as they are. Any tree in that layout answers the same (a cache of
 * one built by three-mesh-bvh, as Cusp did before, still does: `flat-bvh-cache.ts`).
 */
import type { IndexedMesh } from '../mesh.js';
import { buildLinearBvh } from './linear-bvh.js';

/** The tree and the triangles in the order its leaves name them. All plain data. */
export interface FlatBvh {
  /** The packed node buffer of the one root (three-mesh-bvh's layout). */
  nodes: ArrayBuffer;
  /** Per triangle in BVH order, its corners a, b, c: nine floats. */
  corners: Float32Array;
  /** BVH order → triangle index in the mesh. */
  triangles: Uint32Array;
}

// Triangles per leaf. A query tests every triangle of each leaf it opens, so small leaves
// pay. Measured on a 1M-triangle tooth, 1M queries 0.01–0.03 mm off its surface (in one
// process, two rounds): three-mesh-bvh's CENTER tree at 8 a leaf built in 380–500 ms and
// answered in 750–820 ms; this tree at 4 a leaf builds in 200–240 ms and answers in
// 800–820 ms (at 8: 840–870 ms, at 12: 880–940 ms), every distance the same to the bit.
const LEAF_SIZE = 4;

/**
 * Build the tree of `mesh` and flatten it. `onProgress` gets 0 and 1 (the build is a few
 * tenths of a second). `shared` puts the three arrays in SharedArrayBuffers, for another
 * thread to query too: built there at once, since copying them afterwards (~60 MB at 1M
 * triangles) cost 0.2–0.4 s, mostly in first-touch page faults.
 */
export function buildFlatBvh(mesh: IndexedMesh, onProgress?: (fraction: number) => void, shared = false): FlatBvh {
  if (mesh.indices.length === 0) {
    return { nodes: new ArrayBuffer(0), corners: new Float32Array(0), triangles: new Uint32Array(0) };
  }
  onProgress?.(0);
  // The per-triangle arrays beside the nodes are the build's scratch; only the order is kept.
  const tree = buildLinearBvh(mesh, LEAF_SIZE, 'scratch', shared);
  const count = mesh.indices.length / 3;
  const memory = (bytes: number): ArrayBuffer => (shared ? new SharedArrayBuffer(bytes) as unknown as ArrayBuffer : new ArrayBuffer(bytes));
  const triangles = new Uint32Array(memory(4 * count));
  triangles.set(tree.order);
  const corners = new Float32Array(memory(36 * count));
  const { positions, indices } = mesh;
  for (let i = 0; i < count; i++) {
    const t = triangles[i];
    for (let k = 0; k < 3; k++) {
      const v = 3 * indices[3 * t + k];
      corners[9 * i + 3 * k] = positions[v];
      corners[9 * i + 3 * k + 1] = positions[v + 1];
      corners[9 * i + 3 * k + 2] = positions[v + 2];
    }
  }
  onProgress?.(1);
  return { nodes: tree.nodes as ArrayBuffer, corners, triangles };
}

/** The three-mesh-bvh node layout, shared by the walks over `FlatBvh.nodes`. */
export const NODE_WORDS = 8;
export const LEAF_FLAG = 0xffff;
