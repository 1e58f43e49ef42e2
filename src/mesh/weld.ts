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
  const bits = new Uint32Array(mesh.positions.buffer, mesh.positions.byteOffset, n * 3);
  // Load factor <= 2/3 even if every vertex is distinct; a power of two so `& mask` works.
  let capacity = 1024;
  while (capacity < n * 1.5) capacity *= 2;
  const mask = capacity - 1;
  // Slot holds (first input vertex with that position) + 1; 0 means empty.
  const table = new Int32Array(capacity);
  const remap = new Uint32Array(n);
  const firsts = new Uint32Array(n);
  let unique = 0;

  for (let i = 0; i < n; i++) {
    let x = bits[3 * i];
    let y = bits[3 * i + 1];
    let z = bits[3 * i + 2];
    // -0 and +0 are the same point; every other bit pattern is compared as is.
    if (x === 0x80000000) x = 0;
    if (y === 0x80000000) y = 0;
    if (z === 0x80000000) z = 0;
    let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (x >>> 15), 0x85ebca77) ^ Math.imul(z ^ (y >>> 13), 0xc2b2ae3d);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    let slot = h & mask;
    while (true) {
      const entry = table[slot];
      if (entry === 0) {
        table[slot] = i + 1;
        remap[i] = unique;
        firsts[unique++] = i;
        break;
      }
      const j = entry - 1;
      let jx = bits[3 * j];
      let jy = bits[3 * j + 1];
      let jz = bits[3 * j + 2];
      if (jx === 0x80000000) jx = 0;
      if (jy === 0x80000000) jy = 0;
      if (jz === 0x80000000) jz = 0;
      if (jx === x && jy === y && jz === z) {
        remap[i] = remap[j];
        break;
      }
      slot = (slot + 1) & mask;
    }
  }

  if (unique === n) return { mesh, remap, merged: 0 };

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
