/**
 * Self-intersection: pairs of triangles of one mesh that cross or touch although they are
 * not neighbours. A scan that folds through itself has them; so does a model that was
 * merged from overlapping parts without a boolean union.
 *
 * A linear BVH of the mesh (`linear-bvh.ts`: Morton order, built in a fraction of
 * three-mesh-bvh's time) is walked against itself (`self-traverse.ts`, which visits each
 * overlapping leaf pair once). Each triangle's box, corners and area flag are laid out once
 * in BVH order, and `leaf-pairs.ts` narrows and tests the triangles of each leaf pair.
 *
 * Neighbours: every pair that shares a vertex (after exact welding) is skipped, as Open3D's
 * `is_self_intersecting` (the corpus's reference) and STACK-NOTES do — including a pair
 * that shares only one vertex and also crosses elsewhere. Such pairs always touch at the
 * shared vertex, so the closed-set test would report every neighbour; telling "touch at the
 * corner" from "fold through each other" needs a separate test of each triangle's far edge
 * against the other. Skipping keeps the count comparable with Open3D; the cost is that a
 * fold confined to one vertex's fan goes unseen here (its flipped triangles still show as
 * inconsistent winding), while a fold that reaches past the fan crosses non-neighbours and
 * is found. Zero-area triangles are skipped too (reported as degenerate; no plane to test).
 *
 * The test can also run in parts (`prepareSelfIntersections`, `listLeafPairs`,
 * `testLeafPairs`, `joinParts`), e.g. one part per thread: the parts, joined in the order
 * of the leaf-pair list, give exactly what the whole test gives. This module stays pure;
 * the threads live outside the mesh core (src/jobs/self-intersection-side.ts).
 */
import type { IndexedMesh } from '../mesh.js';
import { pairsBetween, pairsFound, pairsWithin, setTriangles } from './leaf-pairs.js';
import { buildLinearBvh, type LinearBvh, type LinearBvhMemory, type MortonOrder } from './linear-bvh.js';
import { forEachLeafPair, leafOffset } from './self-traverse.js';

/** What the self-intersection test finds. */
export interface SelfIntersections {
  /** Number of intersecting triangle pairs, each counted once. */
  count: number;
  /**
   * The first pairs found in BVH order (triangle indices of the input mesh, two per pair,
   * the lower first), at most `MAX_EXAMPLES` pairs.
   */
  examples: Uint32Array;
}

/** How many pairs are kept as examples (enough to show where; a broken file can have millions). */
export const MAX_EXAMPLES = 1000;

// Triangles per leaf. Measured on a 1M-triangle tooth (CPU time of build + walk + narrow
// phase, best of 3): 48 a leaf 564 ms, 32 587 ms, 24 638 ms (three-mesh-bvh's CENTER tree
// at 48: 757 ms, of which 299 ms building). With the narrow phase of today (quantized boxes
// within leaves, no sweep between them), medians of 7: 16, 24, 32 and 48 all within the
// noise of each other (490–670 ms).
const LEAF_SIZE = 48;

/**
 * What the narrow phase reads: the tree and, per triangle in BVH order, its box, its three
 * (welded) vertex indices and whether it has no area; and the mesh's positions. All plain
 * typed arrays, which another thread can read when they lie in SharedArrayBuffers.
 */
export interface SelfIntersectionTree extends LinearBvh {
  positions: Float32Array;
}

/**
 * Find the intersecting triangle pairs of a welded mesh (see `weldExact`: neighbours are
 * recognised by shared vertex indices). `onProgress` gets a fraction 0..1 now and then.
 */
export function findSelfIntersections(mesh: IndexedMesh, onProgress?: (fraction: number) => void): SelfIntersections {
  const triangleCount = mesh.indices.length / 3;
  if (triangleCount < 2) return { count: 0, examples: new Uint32Array(0) };
  const tree = prepareSelfIntersections(mesh);
  onProgress?.(0.2);

  const found = new Uint32Array(2 * MAX_EXAMPLES);
  setTriangles(tree.nodes, tree.boxes, tree.verts, tree.flat, tree.positions, found);
  const u32 = new Uint32Array(tree.nodes, 0, tree.nodes.byteLength >> 2);
  let leaves = 0;
  forEachLeafPair(
    tree.nodes,
    (node) => {
      pairsWithin(node);
      if (onProgress && (++leaves & 0x3fff) === 0) onProgress(0.2 + (0.8 * leafOffset(u32, node)) / triangleCount);
    },
    pairsBetween,
  );
  onProgress?.(1);
  return examplesOf(tree.order, pairsFound(), found);
}

/**
 * Build the tree of a welded mesh and lay out its triangles in BVH order: in the checks'
 * scratch buffers (valid until the next call in this thread), or in SharedArrayBuffers for
 * another thread to read too. `presorted`: its triangles' Morton order, made ahead (see
 * `buildLinearBvh`).
 */
export function prepareSelfIntersections(mesh: IndexedMesh, memory: LinearBvhMemory = 'scratch', presorted?: MortonOrder): SelfIntersectionTree {
  return { ...buildLinearBvh(mesh, LEAF_SIZE, memory, memory !== 'scratch', presorted), positions: mesh.positions };
}

/**
 * The leaf pairs the whole test visits, in its order: two numbers each, the nodes of the two
 * leaves (see `forEachLeafPair`), the same node twice for the pairs within one leaf. With
 * `shared`, the list is in a SharedArrayBuffer: in what the tree left of its arena when it
 * fits there. One walk fills it, in room guessed from the triangle count (a pair for every
 * four triangles; a scan needs about one for every six) that doubles when a tree needs more.
 */
export function listLeafPairs(tree: SelfIntersectionTree, shared = false): Uint32Array {
  if (tree.nodes.byteLength === 0) return new Uint32Array(0);
  const guess = 2 * Math.ceil(tree.order.length / 4) + 64;
  let list = shared ? sharedList(tree.spare, guess) : new Uint32Array(guess);
  let n = 0;
  const push = (node1: number, node2: number): void => {
    if (n === list.length) {
      const bigger = shared ? new Uint32Array(new SharedArrayBuffer(8 * list.length)) : new Uint32Array(2 * list.length);
      bigger.set(list);
      list = bigger;
    }
    list[n] = node1;
    list[n + 1] = node2;
    n += 2;
  };
  forEachLeafPair(tree.nodes, (node) => push(node, node), push);
  return list.subarray(0, n);
}

/** The number of leaf pairs in a list from `listLeafPairs`. */
export function leafPairCount(pairs: Uint32Array): number {
  return pairs.length / 2;
}

/** At least `length` numbers (an even count) in `spare` (4-byte aligned) as far as it reaches, else in a new SharedArrayBuffer. */
function sharedList(spare: Uint8Array | undefined, length: number): Uint32Array {
  if (spare) {
    const at = Math.ceil(spare.byteOffset / 4) * 4;
    const room = Math.floor((spare.byteLength - (at - spare.byteOffset)) / 8) * 2;
    if (room >= length) return new Uint32Array(spare.buffer, at, room);
  }
  return new Uint32Array(new SharedArrayBuffer(4 * length));
}

/** A part of the test: its count and its first examples, as `SelfIntersections`. */
export type SelfIntersectionPart = SelfIntersections;

/**
 * Test leaf pairs `from .. to` (indices into `listLeafPairs`' list, not into its numbers: `leafPairCount` of them),
 * keeping the first `keep` pairs found as examples.
 */
export function testLeafPairs(tree: SelfIntersectionTree, pairs: Uint32Array, from: number, to: number, keep = MAX_EXAMPLES): SelfIntersectionPart {
  const found = new Uint32Array(2 * keep);
  setTriangles(tree.nodes, tree.boxes, tree.verts, tree.flat, tree.positions, found);
  for (let p = 2 * from; p < 2 * to; p += 2) {
    const node1 = pairs[p], node2 = pairs[p + 1];
    if (node1 === node2) pairsWithin(node1);
    else pairsBetween(node1, node2);
  }
  return examplesOf(tree.order, pairsFound(), found, keep);
}

/** The whole test's result from its parts, given in the order of the leaf-pair list. */
export function joinParts(parts: readonly SelfIntersectionPart[]): SelfIntersections {
  let count = 0;
  for (const part of parts) count += part.count;
  const examples = new Uint32Array(2 * Math.min(count, MAX_EXAMPLES));
  let at = 0;
  for (const part of parts) {
    if (at === examples.length) break;
    const take = Math.min(part.examples.length, examples.length - at);
    examples.set(part.examples.subarray(0, take), at);
    at += take;
  }
  return { count, examples };
}

/** The result from `count` pairs found and the first of them in `found` (BVH order ids). */
function examplesOf(order: Uint32Array, count: number, found: Uint32Array, keep = MAX_EXAMPLES): SelfIntersections {
  const kept = Math.min(count, keep);
  const examples = new Uint32Array(2 * kept);
  for (let k = 0; k < kept; k++) {
    const t1 = order[found[2 * k]];
    const t2 = order[found[2 * k + 1]];
    examples[2 * k] = Math.min(t1, t2);
    examples[2 * k + 1] = Math.max(t1, t2);
  }
  return { count, examples };
}
