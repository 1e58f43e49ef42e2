/**
 * A BVH as three plain typed arrays, for the distance and ray queries of the analyses.
 *
 * three-mesh-bvh builds the tree; its packed node buffer is kept as it is (layout in
 * `self-traverse.ts`: 32 bytes per node, six float32 bounds, then a leaf's uint32 offset,
 * uint16 count and 0xFFFF flag, or an inner node's uint32 distance to its right child), and
 * beside it the corners of every triangle copied in BVH order, so a leaf's triangles are
 * read from one contiguous run of memory instead of through the index array. The queries
 * (`closest-point.ts`, `raycast.ts`) walk these arrays with no three.js object in the loop:
 * measured (test/bench/analysis.bench.ts), 6–10× faster per closest-point query than a loop
 * of `closestPointToPoint` and ~2.5× more rays a second than `raycastFirst`; and the arrays
 * can be transferred to, or shared with, a worker as they are.
 */
import { MeshBVH } from 'three-mesh-bvh';
import type { IndexedMesh } from '../mesh.js';
import { meshGeometry } from './build.js';

/** The tree and the triangles in the order its leaves name them. All plain data. */
export interface FlatBvh {
  /** three-mesh-bvh's packed node buffer of the one root. */
  nodes: ArrayBuffer;
  /** Per triangle in BVH order, its corners a, b, c: nine floats. */
  corners: Float32Array;
  /** BVH order → triangle index in the mesh. */
  triangles: Uint32Array;
}

// Triangles per leaf. A query tests every triangle of each leaf it opens, so small leaves
// pay. Measured on a 1M-triangle tooth (best of 5, Morton order): closest point 1.1 µs at 4
// and 8 triangles a leaf, 1.35 at 16, 2.3 at 48 (the self-intersection test's choice); an
// inward ray 2.4 µs at 4 and 8, 3.7 at 48. 8 builds a smaller tree than 4.
const LEAF_SIZE = 8;

/**
 * Build a BVH over `mesh` (CENTER split, built indirect so the mesh is untouched) and
 * flatten it. `onProgress` gets the build's fraction 0..1. `shared` puts the three arrays in
 * SharedArrayBuffers, for another thread to query too: built there at once, since copying
 * them afterwards (~60 MB at 1M triangles) cost 0.2–0.4 s, mostly in first-touch page faults.
 */
export function buildFlatBvh(mesh: IndexedMesh, onProgress?: (fraction: number) => void, shared = false): FlatBvh {
  if (mesh.indices.length === 0) {
    return { nodes: new ArrayBuffer(0), corners: new Float32Array(0), triangles: new Uint32Array(0) };
  }
  const bvh = new MeshBVH(meshGeometry(mesh), {
    indirect: true,
    targetLeafSize: LEAF_SIZE,
    verbose: false,
    useSharedArrayBuffer: shared,
    ...(onProgress ? { onProgress } : {}),
  });
  const data = MeshBVH.serialize(bvh, { cloneBuffers: false });
  const count = mesh.indices.length / 3;
  const memory = (bytes: number): ArrayBuffer => (shared ? new SharedArrayBuffer(bytes) as unknown as ArrayBuffer : new ArrayBuffer(bytes));
  const triangles = new Uint32Array(memory(4 * count));
  const corners = new Float32Array(memory(36 * count));
  const { positions, indices } = mesh;
  for (let i = 0; i < count; i++) {
    const t = bvh.resolveTriangleIndex(i);
    triangles[i] = t;
    for (let k = 0; k < 3; k++) {
      const v = 3 * indices[3 * t + k];
      corners[9 * i + 3 * k] = positions[v];
      corners[9 * i + 3 * k + 1] = positions[v + 1];
      corners[9 * i + 3 * k + 2] = positions[v + 2];
    }
  }
  return { nodes: data.roots[0], corners, triangles };
}

/** The three-mesh-bvh node layout, shared by the walks over `FlatBvh.nodes`. */
export const NODE_WORDS = 8;
export const LEAF_FLAG = 0xffff;
