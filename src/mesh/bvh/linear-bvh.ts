/**
 * A linear BVH: the triangles sorted along a Morton (Z-order) curve of their centres, and a
 * tree whose every split is a bit of that curve. It is built for the self-intersection test,
 * which walks the tree against itself once and needs no finer tree than that.
 *
 * three-mesh-bvh's CENTER build sorts the triangles into place level by level and measures
 * each node's box over its triangles' boxes at every level: ~460 ms at 1M triangles. Here
 * each triangle's centre is quantised to a 1024³ grid once, the 30-bit codes are radix
 * sorted (three passes of 10 bits), and the tree falls out of the sorted codes: a node's
 * triangles all share the code's leading bits down to the first bit where its first and
 * last triangles differ, which is where it splits (a binary search finds the place). The
 * boxes come last: a leaf's from its triangles', then each inner node's from its children's,
 * in one pass from the last node to the first. The sort and the splits borrow the memory
 * of arrays written only after them, so a build takes no memory beyond what it returns
 * (41 bytes a triangle and the nodes).
 *
 * The nodes are written in three-mesh-bvh's packed layout (see `self-traverse.ts`: 32 bytes
 * per node, six float32 bounds, then a leaf's uint32 offset, uint16 count and 0xFFFF flag,
 * or an inner node's uint32 distance to its right child and uint32 split axis), so the same
 * walks run over either tree. "BVH order" here is Morton order; ties (triangles whose centres
 * fall in one grid cell) keep their order in the mesh, so the same mesh always gives the
 * same tree.
 */
import { positionBounds, type IndexedMesh } from '../mesh.js';
import { scratchFloat32, scratchUint32, scratchUint8 } from '../report/scratch.js';

/** A linear BVH and, per triangle in its order, what the self-intersection test reads. */
export interface LinearBvh {
  /**
   * Packed nodes in three-mesh-bvh's layout, root first (empty for a mesh without
   * triangles); the buffer may hold more after the last node (room for more, or, built in
   * an arena, the arrays below), which no walk from the root reaches.
   */
  nodes: ArrayBufferLike;
  /** BVH order → triangle index in the mesh. */
  order: Uint32Array;
  /** Per triangle in BVH order, its box: min xyz, max xyz. */
  boxes: Float32Array;
  /** Per triangle in BVH order, its three vertex indices. */
  verts: Uint32Array;
  /** Per triangle in BVH order, 1 when it has no area (its edge vectors' cross product is zero). */
  flat: Uint8Array;
  /** Built in an arena: the part of it the tree left unused, for the caller. */
  spare?: Uint8Array;
}

/**
 * Where `buildLinearBvh` puts the per-triangle arrays: the checks' reused scratch buffers
 * (`../report/scratch.ts`, valid until the next build in this thread), fresh
 * SharedArrayBuffers that another thread can read ('shared'), or a SharedArrayBuffer whose
 * contents are no longer needed (an arena: the arrays are cut from it, as far as it reaches,
 * so memory already in use is used again instead of new pages).
 */
export type LinearBvhMemory = 'scratch' | 'shared' | SharedArrayBuffer;

const NODE_BYTES = 32;
const NODE = 8; // uint32 per node
const LEAF_FLAG = 0xffff;
const BITS = 10; // per axis: codes of 30 bits
const CELLS = 1 << BITS;

// Spreads 10 bits apart by two zero bits each: spread[x] | spread[y] << 1 | spread[z] << 2.
const spread = new Uint32Array(CELLS);
for (let x = 0; x < CELLS; x++) {
  let s = 0;
  for (let b = 0; b < BITS; b++) s |= ((x >> b) & 1) << (3 * b);
  spread[x] = s;
}

// Build state (one tree at a time, never re-entered; the recursion allocates nothing).
let codes: Uint32Array = new Uint32Array(0);
let boxes: Float32Array = new Float32Array(0);
let f32: Float32Array = new Float32Array(0);
let u32: Uint32Array = new Uint32Array(0);
let u16: Uint16Array = new Uint16Array(0);
let capacity = 0; // nodes there is room for
let used = 0; // nodes written
let leafSize = 0;
let sharedNodes = false; // nodes in a SharedArrayBuffer

/**
 * The triangles sorted along the Morton curve as the build sorts them, made ahead of the
 * build (`sortMortonCodes`), e.g. by another thread from the file while it is welded.
 */
export interface MortonOrder {
  /** Sorted position → triangle index. */
  order: Uint32Array;
  /** The triangles' codes, sorted. */
  sorted: Uint32Array;
}

/**
 * Build a linear BVH over the triangles of `mesh` with at most `maxLeafSize` (1..65535)
 * triangles a leaf. The nodes are the caller's own (not scratch); built in an arena, they
 * lie at its start; otherwise they are in a SharedArrayBuffer when `memory` is 'shared' or
 * `shareNodes` says so (another thread walks them), else in an ArrayBuffer. `presorted`:
 * the mesh's triangles already in Morton order (used when it has one entry per triangle),
 * so the build starts at the splits. Made from the same coordinates, the tree is the same
 * to the bit; made from others, it is still a correct tree (every box is measured from
 * `mesh`), only a looser one.
 */
export function buildLinearBvh(mesh: IndexedMesh, maxLeafSize: number, memory: LinearBvhMemory = 'scratch', shareNodes = false, presorted?: MortonOrder): LinearBvh {
  const { positions, indices } = mesh;
  const count = indices.length / 3;
  leafSize = Math.max(1, Math.min(LEAF_FLAG, Math.floor(maxLeafSize)));
  sharedNodes = shareNodes || memory === 'shared';
  // A bit split never leaves a side empty, so there are at most 2·count − 1 nodes; most
  // trees need far fewer, so the buffer starts small and doubles when a build needs more.
  const reserve = count === 0 ? 0 : Math.min(2 * count - 1, 4 * Math.ceil(count / leafSize) + 64);
  const out = outputs(count, memory, reserve);
  if (count === 0) return { nodes: new ArrayBuffer(0), order: out.order, boxes: out.boxes, verts: out.verts, flat: out.flat };

  // The sort and the splits need no memory of their own: the codes and the sort's spare
  // ids live in `verts`, the sorted codes in `boxes`, both written only after the splits.
  const sorted = new Uint32Array(out.boxes.buffer, out.boxes.byteOffset, count);
  if (presorted && presorted.order.length === count) {
    out.order.set(presorted.order);
    sorted.set(presorted.sorted);
    codes = sorted;
  } else {
    codes = out.verts.subarray(0, count);
    mortonCodes(positions, indices, count);
    sortByCode(out.order, out.verts.subarray(count, 2 * count), sorted, count);
  }

  used = 0;
  if (out.nodes) useNodes(out.nodes, reserve);
  else allocate(reserve);
  split(0, count);
  boxes = out.boxes;
  layOut(positions, indices, out, count);
  bounds();
  // The nodes are handed out in the buffer they were built in (no copy); the space after
  // the last node is never reached, since every walk follows the links from the root.
  const nodes = f32.buffer;
  codes = new Uint32Array(0);
  boxes = new Float32Array(0);
  f32 = new Float32Array(0);
  u32 = new Uint32Array(0);
  u16 = new Uint16Array(0);
  return { nodes, order: out.order, boxes: out.boxes, verts: out.verts, flat: out.flat, ...(out.spare && { spare: out.spare }) };
}

/**
 * The per-triangle arrays; from an arena also the room for `reserve` nodes (at its start,
 * where the walks look for the root) and what is left.
 */
function outputs(count: number, memory: LinearBvhMemory, reserve: number): Omit<LinearBvh, 'nodes'> & { nodes?: SharedArrayBuffer } {
  if (memory === 'scratch') {
    return {
      order: scratchUint32('lbvh.order', count),
      boxes: scratchFloat32('lbvh.boxes', 6 * count),
      verts: scratchUint32('lbvh.verts', 3 * count),
      flat: scratchUint8('lbvh.flat', count),
    };
  }
  // From the arena as far as it reaches (the nodes, the 4-byte arrays, the bytes), then fresh.
  const arena = memory === 'shared' ? undefined : memory;
  const nodesFit = arena !== undefined && reserve * NODE_BYTES <= arena.byteLength;
  let at = nodesFit ? reserve * NODE_BYTES : 0;
  const cut = <T>(kind: new (buffer: SharedArrayBuffer, offset: number, length: number) => T, bytesEach: number, length: number): T => {
    const bytes = bytesEach * length;
    if (arena && at + bytes <= arena.byteLength) {
      const a = new kind(arena, at, length);
      at += bytes;
      return a;
    }
    return new kind(new SharedArrayBuffer(bytes), 0, length);
  };
  const arrays = {
    order: cut(Uint32Array, 4, count),
    boxes: cut(Float32Array, 4, 6 * count),
    verts: cut(Uint32Array, 4, 3 * count),
    flat: cut(Uint8Array, 1, count),
  };
  if (!arena) return arrays;
  return { ...arrays, ...(nodesFit && { nodes: arena }), spare: new Uint8Array(arena, at) };
}

/** Each triangle's 30-bit Morton code of its centre, quantised in the box of all vertices. */
function mortonCodes(positions: Float32Array, indices: Uint32Array, count: number): void {
  const grid = mortonGrid(positionBounds(positions));
  for (let t = 0; t < count; t++) {
    const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
    codes[t] = mortonCode(grid, positions[a] + positions[b] + positions[c], positions[a + 1] + positions[b + 1] + positions[c + 1], positions[a + 2] + positions[b + 2] + positions[c + 2]);
  }
}

/** The grid the codes quantise centres to: per axis, the offset and scale of a sum of three corners. */
export interface MortonGrid {
  ox: number;
  oy: number;
  oz: number;
  sx: number;
  sy: number;
  sz: number;
}

/** The grid for vertices within `bounds` (min xyz, max xyz, as `positionBounds` gives them). */
export function mortonGrid(bounds: Float64Array): MortonGrid {
  const [minX, minY, minZ, maxX, maxY, maxZ] = bounds;
  // Centres are sums of three corners (the division by 3 goes into the scale).
  return { ox: 3 * minX, oy: 3 * minY, oz: 3 * minZ, sx: scale(minX, maxX), sy: scale(minY, maxY), sz: scale(minZ, maxZ) };
}

/** The code of a triangle whose three corners sum to (x, y, z), each sum taken in corner order, in doubles. */
export function mortonCode(grid: MortonGrid, x: number, y: number, z: number): number {
  return spread[cell((x - grid.ox) * grid.sx)] | (spread[cell((y - grid.oy) * grid.sy)] << 1) | (spread[cell((z - grid.oz) * grid.sz)] << 2);
}

/**
 * The triangles sorted by `triangleCodes` (one per triangle, in mesh order; overwritten) as
 * the build sorts them, in fresh SharedArrayBuffers: a `MortonOrder` for a build to come.
 */
export function sortMortonCodes(triangleCodes: Uint32Array): MortonOrder {
  const count = triangleCodes.length;
  const order = new Uint32Array(new SharedArrayBuffer(4 * count));
  const sorted = new Uint32Array(new SharedArrayBuffer(4 * count));
  codes = triangleCodes;
  sortByCode(order, new Uint32Array(count), sorted, count);
  codes = new Uint32Array(0);
  return { order, sorted };
}

/** Grid cells per unit of a sum of three coordinates in [min, max]; 0 for a flat or non-finite extent. */
function scale(min: number, max: number): number {
  const extent = 3 * (max - min);
  return extent > 0 && Number.isFinite(extent) ? CELLS / extent : 0;
}

/** The grid cell of a scaled coordinate, clamped (NaN lands in cell 0). */
function cell(q: number): number {
  return q > 0 ? (q < CELLS - 1 ? q | 0 : CELLS - 1) : 0;
}

/**
 * Sort the triangles by code into `order`, the codes along with them: an LSD radix sort of
 * three 10-bit digits, stable, so equal codes stay in mesh order. The codes ping-pong
 * between `codes` and `sorted` and end in `sorted`; the ids between `order` and `spare`
 * (work space) and end in `order`.
 */
function sortByCode(order: Uint32Array, spare: Uint32Array, sorted: Uint32Array, count: number): void {
  const histograms = new Uint32Array(3 * CELLS);
  for (let t = 0; t < count; t++) {
    const c = codes[t];
    histograms[c & 0x3ff]++;
    histograms[CELLS + ((c >>> 10) & 0x3ff)]++;
    histograms[2 * CELLS + ((c >>> 20) & 0x3ff)]++;
  }
  for (let d = 0; d < 3; d++) {
    let sum = 0;
    for (let k = d * CELLS; k < (d + 1) * CELLS; k++) {
      const n = histograms[k];
      histograms[k] = sum;
      sum += n;
    }
  }
  for (let t = 0; t < count; t++) {
    const c = codes[t];
    const at = histograms[c & 0x3ff]++;
    sorted[at] = c;
    order[at] = t;
  }
  for (let k = 0; k < count; k++) {
    const c = sorted[k];
    const at = histograms[CELLS + ((c >>> 10) & 0x3ff)]++;
    codes[at] = c;
    spare[at] = order[k];
  }
  for (let k = 0; k < count; k++) {
    const c = codes[k];
    const at = histograms[2 * CELLS + ((c >>> 20) & 0x3ff)]++;
    sorted[at] = c;
    order[at] = spare[k];
  }
  codes = sorted;
}

/**
 * Each triangle's box, vertices and area flag, in BVH order: one pass, reading each triangle
 * once. In the mesh's order, each written to its place in the tree's: the reads then follow
 * the file (the vertices are numbered as they first appear in it), and only the writes jump,
 * which the CPU does not wait for; read in the tree's order, a triangle cost a cache miss or
 * two (the whole build of the 1M tooth: 104–108 against 113–120 ms; shuffled, 182–196
 * against 207–215). The same arrays to the bit.
 */
function layOut(positions: Float32Array, indices: Uint32Array, out: Omit<LinearBvh, 'nodes'>, count: number): void {
  const { order, verts, flat } = out;
  // The place of each triangle in BVH order.
  const rank = scratchUint32('lbvh.rank', count);
  for (let i = 0; i < count; i++) rank[order[i]] = i;
  for (let t = 0; t < count; t++) {
    const i = rank[t];
    const ia = indices[3 * t], ib = indices[3 * t + 1], ic = indices[3 * t + 2];
    verts[3 * i] = ia;
    verts[3 * i + 1] = ib;
    verts[3 * i + 2] = ic;
    const a = 3 * ia, b = 3 * ib, c = 3 * ic;
    const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
    const i6 = 6 * i;
    boxes[i6] = ax < bx ? (ax < cx ? ax : cx) : bx < cx ? bx : cx;
    boxes[i6 + 1] = ay < by ? (ay < cy ? ay : cy) : by < cy ? by : cy;
    boxes[i6 + 2] = az < bz ? (az < cz ? az : cz) : bz < cz ? bz : cz;
    boxes[i6 + 3] = ax > bx ? (ax > cx ? ax : cx) : bx > cx ? bx : cx;
    boxes[i6 + 4] = ay > by ? (ay > cy ? ay : cy) : by > cy ? by : cy;
    boxes[i6 + 5] = az > bz ? (az > cz ? az : cz) : bz > cz ? bz : cz;
    // Zero area: the cross product of two edges, in doubles, is exactly zero.
    const ux = bx - ax, uy = by - ay, uz = bz - az, vx = cx - ax, vy = cy - ay, vz = cz - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    flat[i] = nx === 0 && ny === 0 && nz === 0 ? 1 : 0;
  }
}

/**
 * Write the subtree of triangles `lo .. hi` (sorted) at the next free node, without its
 * bounds (see `bounds`), and return that node. The split is at the highest bit where the
 * first and the last code differ (all codes between agree above it, being sorted).
 */
function split(lo: number, hi: number): number {
  if (used === capacity) allocate(2 * used);
  const node = used++;
  const n32 = node * NODE;
  if (hi - lo <= leafSize) {
    u32[n32 + 6] = lo;
    u16[2 * n32 + 14] = hi - lo;
    u16[2 * n32 + 15] = LEAF_FLAG;
    return node;
  }
  const differ = codes[lo] ^ codes[hi - 1];
  const bit = 31 - Math.clz32(differ);
  let mid: number;
  if (differ === 0) {
    // One grid cell holds more triangles than a leaf: halve them in mesh order.
    mid = (lo + hi) >>> 1;
  } else {
    const mask = 1 << bit;
    // The first triangle with the bit set.
    let a = lo + 1;
    let b = hi - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (codes[m] & mask) b = m;
      else a = m + 1;
    }
    mid = a;
  }
  split(lo, mid);
  const right = split(mid, hi);
  u32[n32 + 6] = right - node;
  // Bit b of the code is axis b mod 3 (x, y, z interleaved from bit 0); three-mesh-bvh
  // keeps the split axis here, and a midpoint split has none to speak of (0, as its x).
  // The flag half of the word stays 0: an inner node.
  u32[n32 + 7] = differ === 0 ? 0 : bit % 3;
  return node;
}

/**
 * Every node's box, from the last node to the first: children always come after their
 * parent, so theirs are known when the parent's is made.
 */
function bounds(): void {
  for (let node = used - 1; node >= 0; node--) {
    const n32 = node * NODE;
    if (u16[2 * n32 + 15] === LEAF_FLAG) {
      const lo = u32[n32 + 6];
      leafBounds(n32, lo, lo + u16[2 * n32 + 14]);
      continue;
    }
    const l32 = n32 + NODE;
    const r32 = n32 + u32[n32 + 6] * NODE;
    for (let k = 0; k < 3; k++) {
      f32[n32 + k] = Math.min(f32[l32 + k], f32[r32 + k]);
      f32[n32 + 3 + k] = Math.max(f32[l32 + 3 + k], f32[r32 + 3 + k]);
    }
  }
}

/** A leaf's box: the union of its triangles' boxes. */
function leafBounds(n32: number, lo: number, hi: number): void {
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let i6 = 6 * lo; i6 < 6 * hi; i6 += 6) {
    if (boxes[i6] < minX) minX = boxes[i6];
    if (boxes[i6 + 1] < minY) minY = boxes[i6 + 1];
    if (boxes[i6 + 2] < minZ) minZ = boxes[i6 + 2];
    if (boxes[i6 + 3] > maxX) maxX = boxes[i6 + 3];
    if (boxes[i6 + 4] > maxY) maxY = boxes[i6 + 4];
    if (boxes[i6 + 5] > maxZ) maxZ = boxes[i6 + 5];
  }
  f32[n32] = minX;
  f32[n32 + 1] = minY;
  f32[n32 + 2] = minZ;
  f32[n32 + 3] = maxX;
  f32[n32 + 4] = maxY;
  f32[n32 + 5] = maxZ;
}

/** Write the first `nodes` nodes into the start of `arena` (every word of a node is written, so stale bytes do no harm). */
function useNodes(arena: SharedArrayBuffer, nodes: number): void {
  f32 = new Float32Array(arena);
  u32 = new Uint32Array(arena);
  u16 = new Uint16Array(arena);
  capacity = nodes;
}

/** Room for `nodes` nodes, keeping what was written. */
function allocate(nodes: number): void {
  const buffer = sharedNodes ? new SharedArrayBuffer(nodes * NODE_BYTES) : new ArrayBuffer(nodes * NODE_BYTES);
  new Uint8Array(buffer).set(new Uint8Array(f32.buffer, 0, Math.min(used * NODE_BYTES, buffer.byteLength)));
  capacity = nodes;
  f32 = new Float32Array(buffer);
  u32 = new Uint32Array(buffer);
  u16 = new Uint16Array(buffer);
}
