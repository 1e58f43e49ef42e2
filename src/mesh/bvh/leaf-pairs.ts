/**
 * The narrow phase of the self-intersection test: given one BVH leaf, or two leaves whose
 * boxes overlap, find the pairs of their triangles that really intersect.
 *
 * Leaves are named by their node (the index of the node's first 32-bit word in the packed
 * nodes, see `self-traverse.ts`), which holds the leaf's triangle range and its box. Every
 * leaf box must hold its triangles' boxes (the linear BVH's leaf box is exactly their union).
 *
 * Within one leaf every pair's boxes are compared, on boxes quantized into one 32-bit word
 * per corner, so that one comparison covers three axes (see `GUARDS`). Between two leaves,
 * most triangles lie outside the other leaf's box: the second leaf is first narrowed to the
 * triangles that reach into the first one's box, the first to those that reach into theirs
 * (listed without a branch per triangle: 198–207 against 208–226 ms for the pairs between
 * leaves at 1M), and every pair of what is left is compared (about seven a side on a scan:
 * fewer comparisons than sorting them for a sweep costs; with the sweep those pairs took
 * 254–294 ms). Of the pairs whose boxes overlap,
 * neighbours (a shared vertex) and zero-area triangles are skipped, and the rest go to the
 * exact test.
 *
 * The triangle data lives in module state set by `setTriangles` (one mesh at a time, never
 * re-entered), so the hot loops allocate nothing.
 */
import { leafCount, leafOffset } from './self-traverse.js';
import { trianglesIntersect } from './triangle-intersection.js';

let nodeF32: Float32Array = new Float32Array(0);
let nodeU32: Uint32Array = new Uint32Array(0);
let nodeU16: Uint16Array = new Uint16Array(0);
let boxes: Float32Array = new Float32Array(0);
let verts: Uint32Array = new Uint32Array(0);
let flat: Uint8Array = new Uint8Array(0);
let positions: Float32Array = new Float32Array(0);
let found = 0;
let examples: Uint32Array = new Uint32Array(0);

// Per call: the candidates of each side (triangle ids), and quantized boxes.
let listA = new Uint32Array(64);
let listB = new Uint32Array(64);
let qLow = new Int32Array(64);
let qHigh = new Int32Array(64);
const coords = new Float64Array(18);
// The box of the second side's candidates (min xyz, max xyz).
const near = new Float64Array(6);

/**
 * Start a mesh: its tree's packed `nodes` and, per triangle in BVH order, `triangleBoxes`
 * (min xyz, max xyz), `triangleVerts` (three vertex indices), `triangleFlat` (1 for zero
 * area). `pairs` receives the first pairs found, two BVH-order triangle ids each.
 */
export function setTriangles(nodes: ArrayBufferLike, triangleBoxes: Float32Array, triangleVerts: Uint32Array, triangleFlat: Uint8Array, meshPositions: Float32Array, pairs: Uint32Array): void {
  // The views stop at the last whole word: nodes built in an arena share its buffer.
  nodeF32 = new Float32Array(nodes, 0, nodes.byteLength >> 2);
  nodeU32 = new Uint32Array(nodes, 0, nodes.byteLength >> 2);
  nodeU16 = new Uint16Array(nodes, 0, nodes.byteLength >> 1);
  boxes = triangleBoxes;
  verts = triangleVerts;
  flat = triangleFlat;
  positions = meshPositions;
  examples = pairs;
  found = 0;
}

/** Intersecting pairs found since `setTriangles`. */
export function pairsFound(): number {
  return found;
}

// Quantized boxes: 9 bits per axis at bits 0, 10 and 20 of one word per corner, each with a
// guard bit above it (bits 9, 19 and 29) that the max corner keeps set. Then
// `((high1 - low2) & GUARDS) === GUARDS` holds exactly when high1 >= low2 on all three axes
// at once: a field that comes up short borrows only from its own guard bit. The
// quantization is one non-decreasing function of the coordinate, so boxes that overlap
// still overlap quantized; a few that do not pass too, and the exact test turns them away.
const GUARDS = (1 << 9) | (1 << 19) | (1 << 29);
const LEVELS = 511;

/**
 * Test the pairs within the leaf at `node`. A leaf is small (at most 48 triangles, about 30
 * on a scan) and its triangles mostly touch each other's boxes: every pair compared costs
 * less than sorting them for a sweep. Measured at 1M triangles (16M pairs within leaves,
 * 26% of them overlapping): the comparisons took 95 ms on float boxes with a branch per
 * axis, 55 ms quantized.
 */
export function pairsWithin(node: number): void {
  const offset = leafOffset(nodeU32, node);
  const count = leafCount(nodeU16, node);
  ensure(count);
  quantize(node, offset, count);
  // Module state read into locals: the compiler keeps them in registers across the loops.
  const fl = flat, vs = verts, lo = qLow, hi = qHigh;
  for (let k = 0; k < count; k++) {
    const i = offset + k;
    if (fl[i]) continue;
    const iLow = lo[k], iHigh = hi[k];
    const a = vs[3 * i], b = vs[3 * i + 1], c = vs[3 * i + 2];
    for (let m = k + 1; m < count; m++) {
      if (((iHigh - lo[m]) & (hi[m] - iLow) & GUARDS) !== GUARDS) continue;
      const j = offset + m;
      if (fl[j]) continue;
      const d = vs[3 * j], e = vs[3 * j + 1], f = vs[3 * j + 2];
      if (a === d || a === e || a === f || b === d || b === e || b === f || c === d || c === e || c === f) continue;
      exact(i, j, a, b, c, d, e, f);
    }
  }
}

/** Quantize the boxes of the `count` triangles from `offset` in the box of leaf `node` into qLow, qHigh. */
function quantize(node: number, offset: number, count: number): void {
  const nb = nodeF32, bx = boxes;
  const x0 = nb[node], y0 = nb[node + 1], z0 = nb[node + 2];
  const sx = scale(nb[node + 3] - x0), sy = scale(nb[node + 4] - y0), sz = scale(nb[node + 5] - z0);
  for (let k = 0; k < count; k++) {
    const i6 = 6 * (offset + k);
    qLow[k] = level(bx[i6] - x0, sx) | (level(bx[i6 + 1] - y0, sy) << 10) | (level(bx[i6 + 2] - z0, sz) << 20);
    qHigh[k] = level(bx[i6 + 3] - x0, sx) | (level(bx[i6 + 4] - y0, sy) << 10) | (level(bx[i6 + 5] - z0, sz) << 20) | GUARDS;
  }
}

function scale(extent: number): number {
  return extent > 0 ? LEVELS / extent : 0;
}

/** The level 0..511 of a coordinate `d` past the box's min (clamped: a box that does not hold its triangles only costs false candidates). */
function level(d: number, s: number): number {
  const q = (d * s) | 0;
  return q < 0 ? 0 : q > LEVELS ? LEVELS : q;
}

/** Test the pairs between the leaves at nodes `node1` and `node2`, whose boxes overlap. */
export function pairsBetween(node1: number, node2: number): void {
  const offset1 = leafOffset(nodeU32, node1), count1 = leafCount(nodeU16, node1);
  const offset2 = leafOffset(nodeU32, node2), count2 = leafCount(nodeU16, node2);
  ensure(Math.max(count1, count2));
  // The second leaf's triangles that reach into the first one's box, and their box.
  const nb = reachingInto(offset2, count2, node1);
  if (nb === 0) return;
  // The first leaf's triangles that reach into those.
  const na = reachingIntoNear(offset1, count1);
  if (na === 0) return;
  const bx = boxes, vs = verts, la = listA, lb = listB;
  for (let ka = 0; ka < na; ka++) {
    const i = la[ka];
    const i6 = 6 * i;
    const x0 = bx[i6], y0 = bx[i6 + 1], z0 = bx[i6 + 2], x1 = bx[i6 + 3], y1 = bx[i6 + 4], z1 = bx[i6 + 5];
    const a = vs[3 * i], b = vs[3 * i + 1], c = vs[3 * i + 2];
    for (let kb = 0; kb < nb; kb++) {
      const j = lb[kb];
      const j6 = 6 * j;
      // One branch for the six comparisons: whether boxes overlap is not predictable.
      if ((+(bx[j6] <= x1) & +(bx[j6 + 3] >= x0) & +(bx[j6 + 1] <= y1) & +(bx[j6 + 4] >= y0) & +(bx[j6 + 2] <= z1) & +(bx[j6 + 5] >= z0)) === 0) continue;
      const d = vs[3 * j], e = vs[3 * j + 1], f = vs[3 * j + 2];
      if (a === d || a === e || a === f || b === d || b === e || b === f || c === d || c === e || c === f) continue;
      exact(i, j, a, b, c, d, e, f);
    }
  }
}

/** The triangles of `offset .. offset + count` with an area whose boxes touch the box of leaf `node`, into listB; their box into `near`. Returns how many. */
function reachingInto(offset: number, count: number, node: number): number {
  const nf = nodeF32, bx = boxes, fl = flat, list = listB;
  const aMinX = nf[node], aMinY = nf[node + 1], aMinZ = nf[node + 2], aMaxX = nf[node + 3], aMaxY = nf[node + 4], aMaxZ = nf[node + 5];
  let n = 0;
  // Without a branch per triangle: each is written at the end of the list, which grows only when it reaches in.
  for (let j = offset; j < offset + count; j++) {
    const j6 = 6 * j;
    list[n] = j;
    n += +(bx[j6] <= aMaxX) & +(bx[j6 + 3] >= aMinX) & +(bx[j6 + 1] <= aMaxY) & +(bx[j6 + 4] >= aMinY) & +(bx[j6 + 2] <= aMaxZ) & +(bx[j6 + 5] >= aMinZ) & (fl[j] ^ 1);
  }
  let bMinX = Infinity, bMinY = Infinity, bMinZ = Infinity, bMaxX = -Infinity, bMaxY = -Infinity, bMaxZ = -Infinity;
  for (let k = 0; k < n; k++) {
    const j6 = 6 * list[k];
    if (bx[j6] < bMinX) bMinX = bx[j6];
    if (bx[j6 + 1] < bMinY) bMinY = bx[j6 + 1];
    if (bx[j6 + 2] < bMinZ) bMinZ = bx[j6 + 2];
    if (bx[j6 + 3] > bMaxX) bMaxX = bx[j6 + 3];
    if (bx[j6 + 4] > bMaxY) bMaxY = bx[j6 + 4];
    if (bx[j6 + 5] > bMaxZ) bMaxZ = bx[j6 + 5];
  }
  near[0] = bMinX; near[1] = bMinY; near[2] = bMinZ; near[3] = bMaxX; near[4] = bMaxY; near[5] = bMaxZ;
  return n;
}

/** The triangles of `offset .. offset + count` with an area whose boxes touch `near`, into listA. Returns how many. */
function reachingIntoNear(offset: number, count: number): number {
  const bx = boxes, fl = flat, list = listA;
  const bMinX = near[0], bMinY = near[1], bMinZ = near[2], bMaxX = near[3], bMaxY = near[4], bMaxZ = near[5];
  let n = 0;
  for (let i = offset; i < offset + count; i++) {
    const i6 = 6 * i;
    list[n] = i;
    n += +(bx[i6] <= bMaxX) & +(bx[i6 + 3] >= bMinX) & +(bx[i6 + 1] <= bMaxY) & +(bx[i6 + 4] >= bMinY) & +(bx[i6 + 2] <= bMaxZ) & +(bx[i6 + 5] >= bMinZ) & (fl[i] ^ 1);
  }
  return n;
}

/** The exact test of triangles `i` and `j` (vertices a b c and d e f), which share no vertex and whose boxes overlap. */
function exact(i: number, j: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
  load(0, a);
  load(3, b);
  load(6, c);
  load(9, d);
  load(12, e);
  load(15, f);
  if (!trianglesIntersect(coords)) return;
  if (2 * found < examples.length) {
    examples[2 * found] = i;
    examples[2 * found + 1] = j;
  }
  found++;
}

function load(at: number, v: number): void {
  coords[at] = positions[3 * v];
  coords[at + 1] = positions[3 * v + 1];
  coords[at + 2] = positions[3 * v + 2];
}

/** Room for `count` triangles per side. */
function ensure(count: number): void {
  if (listA.length >= count) return;
  const size = 2 * count;
  listA = new Uint32Array(size);
  listB = new Uint32Array(size);
  qLow = new Int32Array(size);
  qHigh = new Int32Array(size);
}
