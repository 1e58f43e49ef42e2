/**
 * Walk a BVH against itself: every leaf once with itself, and every pair of different
 * leaves whose boxes overlap exactly once.
 *
 * three-mesh-bvh's `bvhcast(bvh, bvh)` does the same job but visits each leaf pair twice
 * (once per order), moves its boxes through a transform matrix at every swap and builds
 * Box3 objects on the way: at 1M triangles that is ~80 ms of the self-intersection test's
 * budget, and this walk takes a third of it. It reads the BVH's packed node buffer as
 * `MeshBVH.serialize` hands it out; the layout (three-mesh-bvh 0.9, `core/utils/
 * nodeBufferUtils.js`) is 32 bytes per node: six float32 bounds (min xyz, max xyz), then
 * for a leaf a uint32 triangle offset, a uint16 count and the uint16 flag 0xFFFF, and for
 * an inner node the uint32 distance to the right child in nodes (the left child follows
 * directly). test/mesh/bvh/self-traverse.test.ts checks the walk against `bvhcast`.
 */

const NODE = 8; // uint32 per node
const LEAF_FLAG = 0xffff;

let f32: Float32Array = new Float32Array(0);
let u32: Uint32Array = new Uint32Array(0);
let u16: Uint16Array = new Uint16Array(0);
let within: (node: number) => void = () => undefined;
let between: (node1: number, node2: number) => void = () => undefined;

/**
 * Call `leafWithin` for every leaf and `leafBetween` for every pair of leaves whose boxes
 * overlap (touching counts). A leaf is named by its node: the index of the node's first
 * 32-bit word in `root` (see `leafOffset`, `leafCount`).
 */
export function forEachLeafPair(root: ArrayBufferLike, leafWithin: (node: number) => void, leafBetween: (node1: number, node2: number) => void): void {
  // The views stop at the last whole word: nodes built in an arena share its buffer.
  f32 = new Float32Array(root, 0, root.byteLength >> 2);
  u32 = new Uint32Array(root, 0, root.byteLength >> 2);
  u16 = new Uint16Array(root, 0, root.byteLength >> 1);
  within = leafWithin;
  between = leafBetween;
  self(0);
}

/** The first triangle (in BVH order) of the leaf at `node` in the nodes `u32` (a Uint32Array view of them). */
export function leafOffset(u32: Uint32Array, node: number): number {
  return u32[node + 6];
}

/** The number of triangles of the leaf at `node` in the nodes `u16` (a Uint16Array view of them). */
export function leafCount(u16: Uint16Array, node: number): number {
  return u16[2 * node + 14];
}

function isLeaf(n: number): boolean {
  return u16[2 * n + 15] === LEAF_FLAG;
}

function right(n: number): number {
  return n + u32[n + 6] * NODE;
}

function overlap(a: number, b: number): boolean {
  return !(
    f32[a] > f32[b + 3] || f32[a + 3] < f32[b] ||
    f32[a + 1] > f32[b + 4] || f32[a + 4] < f32[b + 1] ||
    f32[a + 2] > f32[b + 5] || f32[a + 5] < f32[b + 2]
  );
}

function size(n: number): number {
  return f32[n + 3] - f32[n] + (f32[n + 4] - f32[n + 1]) + (f32[n + 5] - f32[n + 2]);
}

/** Pairs inside the subtree of node `n`. */
function self(n: number): void {
  if (isLeaf(n)) {
    within(n);
    return;
  }
  const l = n + NODE;
  const r = right(n);
  self(l);
  self(r);
  cross(l, r);
}

/** Pairs with one triangle under `a` and the other under `b` (disjoint subtrees). */
function cross(a: number, b: number): void {
  if (!overlap(a, b)) return;
  const leafA = isLeaf(a);
  const leafB = isLeaf(b);
  if (leafA && leafB) {
    between(a, b);
  } else if (leafB || (!leafA && size(a) >= size(b))) {
    cross(a + NODE, b);
    cross(right(a), b);
  } else {
    cross(a, b + NODE);
    cross(a, right(b));
  }
}
