/**
 * Exact vertex welding: vertices whose three coordinates are bit-identical become one.
 *
 * STL stores every triangle with its own three corners, so a closed scan of 1M triangles
 * arrives as 3M vertices of which ~500k are distinct. Topology checks need shared vertices,
 * and only *exact* duplicates may be merged: welding by a tolerance would close real gaps
 * and hide the holes the checks are meant to find.
 *
 * The table is an open-addressing hash over the float bits in one Int32Array (three.js's
 * `mergeVertices` builds string keys and is ~12x slower at this size).
 */
import type { IndexedMesh } from './mesh.js';
import { scratchFloat32, scratchInt32, scratchUint32 } from './report/scratch.js';

/** What `weldExact` returns. */
export interface WeldResult {
  /**
   * The welded mesh: one vertex per distinct position, in order of first occurrence;
   * indices rewritten; groups and materials kept. Per-vertex normals, colours and uvs are
   * taken from each position's first occurrence. When nothing was merged this is the
   * input mesh itself.
   */
  mesh: IndexedMesh;
  /** For each input vertex, the index of its welded vertex. */
  remap: Uint32Array;
  /** Number of input vertices merged away (input vertices minus welded vertices). */
  merged: number;
}

/**
 * Merge the vertices of `mesh` whose positions are bit-identical (+0 and -0 count as equal,
 * as they compare equal). Runs in one pass over the vertices with no per-vertex allocation.
 */
export function weldExact(mesh: IndexedMesh): WeldResult {
  const n = mesh.positions.length / 3;
  const remap = new Uint32Array(n);
  if (distinct.has(mesh.positions)) {
    for (let i = 0; i < n; i++) remap[i] = i;
    return { mesh, remap, merged: 0 };
  }
  const unique = weldInto(mesh.positions, remap);
  if (unique === n) return { mesh, remap, merged: 0 };

  const firsts = scratchUint32('weld.firsts', n);
  const indices = new Uint32Array(mesh.indices.length);
  const src = mesh.indices;
  for (let k = 0; k < src.length; k++) indices[k] = remap[src[k]];
  const welded: IndexedMesh = {
    positions: gather(mesh.positions, 3, firsts, unique) as Float32Array,
    indices,
  };
  if (mesh.normals) welded.normals = gather(mesh.normals, 3, firsts, unique) as Float32Array;
  if (mesh.colors) welded.colors = gather(mesh.colors, 4, firsts, unique) as Uint8Array;
  if (mesh.uvs) welded.uvs = gather(mesh.uvs, 2, firsts, unique) as Float32Array;
  if (mesh.groups) welded.groups = mesh.groups;
  if (mesh.materials) welded.materials = mesh.materials;
  return { mesh: welded, remap, merged: n - unique };
}

/**
 * `weldExact` for the checks: positions and indices only, in reused buffers (see
 * `./report/scratch.ts`), valid until the next call. For an STL soup (indices 0, 1, 2, …)
 * the remap *is* the welded index array, so no copy is made at all.
 */
export function weldForChecks(mesh: IndexedMesh): IndexedMesh {
  if (distinct.has(mesh.positions)) return { positions: mesh.positions, indices: mesh.indices };
  const n = mesh.positions.length / 3;
  const remap = scratchUint32('weld.remap', n);
  const unique = weldInto(mesh.positions, remap);
  if (unique === n) return { positions: mesh.positions, indices: mesh.indices };
  const src = mesh.indices;
  let identity = src.length === n;
  for (let k = 0; identity && k < src.length; k++) identity = src[k] === k;
  let indices = remap;
  if (!identity) {
    indices = scratchUint32('weld.indices', src.length);
    for (let k = 0; k < src.length; k++) indices[k] = remap[src[k]];
  }
  const firsts = scratchUint32('weld.firsts', n);
  const positions = scratchFloat32('weld.positions', unique * 3);
  const p = mesh.positions;
  for (let k = 0; k < unique; k++) {
    const from = 3 * firsts[k];
    positions[3 * k] = p[from];
    positions[3 * k + 1] = p[from + 1];
    positions[3 * k + 2] = p[from + 2];
  }
  return { positions, indices };
}

/** Position arrays whose vertices are known to be pairwise different (see `markWelded`). */
const distinct = new WeakSet<Float32Array>();

/**
 * Record that no two vertices of `positions` have bit-identical coordinates (±0 equal), as a
 * reader that welded while reading guarantees, so the welds above return the mesh as it is
 * instead of hashing every vertex again. The array must not be changed afterwards.
 */
export function markWelded(positions: Float32Array): void {
  distinct.add(positions);
}

/**
 * Fill `remap` (one entry per vertex of `positions`) and the scratch list `weld.firsts`
 * (first input vertex of each distinct position); return the number of distinct positions.
 */
function weldInto(positions: Float32Array, remap: Uint32Array): number {
  const n = positions.length / 3;
  const bits = new Uint32Array(positions.buffer, positions.byteOffset, n * 3);
  // Sized for a triangle soup (about one distinct position in six) so the table stays small
  // enough for the CPU cache; it doubles whenever it gets half full.
  let capacity = 1024;
  while (capacity < n / 3) capacity *= 2;
  let mask = capacity - 1;
  // Slot holds (first input vertex with that position) + 1; 0 means empty.
  let table = scratchInt32('weld.table', capacity, true);
  const firsts = scratchUint32('weld.firsts', n);
  let unique = 0;

  for (let i = 0, k = 0; i < n; i++, k += 3) {
    const x = canonical(bits[k]);
    const y = canonical(bits[k + 1]);
    const z = canonical(bits[k + 2]);
    let slot = hash(x, y, z) & mask;
    while (true) {
      const entry = table[slot];
      if (entry === 0) {
        table[slot] = i + 1;
        remap[i] = unique;
        firsts[unique++] = i;
        if (2 * unique > capacity) {
          capacity *= 2;
          mask = capacity - 1;
          table = rehash(bits, firsts, unique, capacity);
        }
        break;
      }
      const j = 3 * (entry - 1);
      if (same(bits[j], bits[j + 1], bits[j + 2], x, y, z)) {
        remap[i] = remap[entry - 1];
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return unique;
}

const NEGATIVE_ZERO = 0x80000000;

/** -0 and +0 are the same point; every other bit pattern is compared as is. */
export function canonical(bits: number): number {
  return bits === NEGATIVE_ZERO ? 0 : bits;
}

/** Stored bits (a, b, c) against canonical (x, y, z): raw first, -0 only when present. */
export function same(a: number, b: number, c: number, x: number, y: number, z: number): boolean {
  if (a === x && b === y && c === z) return true;
  if (a !== NEGATIVE_ZERO && b !== NEGATIVE_ZERO && c !== NEGATIVE_ZERO) return false;
  return canonical(a) === x && canonical(b) === y && canonical(c) === z;
}

/** Two multiplies and a shift: enough mixing for float bit patterns, measured faster than murmur's finaliser. */
export function hash(x: number, y: number, z: number): number {
  const h = Math.imul(x ^ Math.imul(y, 0x9e3779b1) ^ Math.imul(z, 0x85ebca77), 0xc2b2ae3d);
  return h ^ (h >>> 15);
}

/** A table of `capacity` slots holding the first `unique` distinct vertices. */
function rehash(bits: Uint32Array, firsts: Uint32Array, unique: number, capacity: number): Int32Array {
  const table = scratchInt32('weld.table', capacity, true);
  const mask = capacity - 1;
  for (let k = 0; k < unique; k++) {
    const i = firsts[k];
    let slot = hash(canonical(bits[3 * i]), canonical(bits[3 * i + 1]), canonical(bits[3 * i + 2])) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  return table;
}

/** Copy `count` items of `width` components, item k taken from input item `firsts[k]`. */
function gather(src: Float32Array | Uint8Array, width: number, firsts: Uint32Array, count: number): Float32Array | Uint8Array {
  const out = src instanceof Float32Array ? new Float32Array(count * width) : new Uint8Array(count * width);
  for (let k = 0; k < count; k++) {
    const from = firsts[k] * width;
    const to = k * width;
    for (let c = 0; c < width; c++) out[to + c] = src[from + c];
  }
  return out;
}

/**
 * Weld for files a person opens elsewhere: vertices with bit-identical positions become one
 * unless their normals, colours or uvs differ — there the seam stays, as two vertices, so a
 * hard edge, a colour boundary or a texture seam survives. A converted STL (a soup: three
 * vertices per triangle, no attributes) comes out with about one vertex per two triangles.
 */
export function weldKeepingSeams(mesh: IndexedMesh): WeldResult {
  const n = mesh.positions.length / 3;
  const byPosition = new Uint32Array(n);
  const classes = weldInto(mesh.positions, byPosition);
  const { normals, colors, uvs } = mesh;
  if (!normals && !colors && !uvs) return weldExact(mesh);
  const nb = normals ? new Uint32Array(normals.buffer, normals.byteOffset, normals.length) : null;
  const ub = uvs ? new Uint32Array(uvs.buffer, uvs.byteOffset, uvs.length) : null;
  const sameAttributes = (i: number, j: number): boolean => {
    if (nb && (nb[3 * i] !== nb[3 * j] || nb[3 * i + 1] !== nb[3 * j + 1] || nb[3 * i + 2] !== nb[3 * j + 2])) return false;
    if (ub && (ub[2 * i] !== ub[2 * j] || ub[2 * i + 1] !== ub[2 * j + 1])) return false;
    if (colors) for (let c = 0; c < 4; c++) if (colors[4 * i + c] !== colors[4 * j + c]) return false;
    return true;
  };
  // Per position class, a chain of the output vertices that share the position.
  const head = new Int32Array(classes).fill(-1);
  const chain = new Int32Array(n);
  const firsts = new Uint32Array(n);
  const remap = new Uint32Array(n);
  let unique = 0;
  for (let i = 0; i < n; i++) {
    const p = byPosition[i];
    let k = head[p];
    while (k >= 0 && !sameAttributes(i, firsts[k])) k = chain[k];
    if (k < 0) {
      k = unique++;
      firsts[k] = i;
      chain[k] = head[p];
      head[p] = k;
    }
    remap[i] = k;
  }
  if (unique === n) return { mesh, remap, merged: 0 };
  const indices = new Uint32Array(mesh.indices.length);
  for (let k = 0; k < indices.length; k++) indices[k] = remap[mesh.indices[k]];
  const welded: IndexedMesh = { positions: gather(mesh.positions, 3, firsts, unique) as Float32Array, indices };
  if (normals) welded.normals = gather(normals, 3, firsts, unique) as Float32Array;
  if (colors) welded.colors = gather(colors, 4, firsts, unique) as Uint8Array;
  if (uvs) welded.uvs = gather(uvs, 2, firsts, unique) as Float32Array;
  if (mesh.groups) welded.groups = mesh.groups;
  if (mesh.materials) welded.materials = mesh.materials;
  return { mesh: welded, remap, merged: n - unique };
}
