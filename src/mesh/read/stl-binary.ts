/**
 * Binary STL: an 80-byte header, a little-endian uint32 triangle count, then 50 bytes per
 * triangle (normal, three vertices, a 16-bit attribute word). The size must be exactly
 * 84 + 50·count: anything else is a truncated or lying file and is refused before any
 * allocation.
 *
 * The output is a triangle soup (vertex i·3+k is corner k of triangle i); welding is
 * `weld.ts`'s job. Facet normals are not kept: exporters often write zeros or stale values,
 * and per-vertex normals of a soup would only repeat them.
 */
import type { IndexedMesh } from '../mesh.js';
import { meshRejected } from './rejection.js';
import { firstNonFinite, markFinite } from './sound-mesh.js';
import { indexOfAscii } from './text-scanner.js';

export const STL_HEADER_BYTES = 84;
export const STL_RECORD_BYTES = 50;

/** What a binary STL reader returns before format bookkeeping. */
export interface StlParse {
  mesh: IndexedMesh;
  warnings: string[];
}

/** Read a binary STL; `name` is used in messages. */
export function readStlBinary(bytes: Uint8Array, name: string): StlParse {
  if (bytes.length < STL_HEADER_BYTES) {
    throw meshRejected(
      'stl',
      bytes.length === 0 ? 'empty' : 'truncated',
      bytes.length === 0
        ? `${name} is empty (0 bytes) — the export did not finish; export the scan again`
        : `${name} is too short to be an STL (${bytes.length} bytes; a binary STL has an 84-byte header) — export the scan again`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(80, true);
  const expected = STL_HEADER_BYTES + STL_RECORD_BYTES * count;
  const fit = Math.floor((bytes.length - STL_HEADER_BYTES) / STL_RECORD_BYTES);
  if (bytes.length < expected) {
    const whole = (bytes.length - STL_HEADER_BYTES) % STL_RECORD_BYTES === 0;
    throw meshRejected(
      'stl',
      whole ? 'count_mismatch' : 'truncated',
      whole
        ? `${name}: header says ${count} triangles (${expected} bytes), but the file has ${bytes.length} bytes, ` +
            `exactly ${fit} triangle${fit === 1 ? '' : 's'} — the header count is wrong or the file was cut short; re-export from the scanner`
        : `${name} is truncated: header says ${count} triangles (${expected} bytes), file has ${bytes.length} bytes ` +
            `(room for ${fit}) — re-export from the scanner or copy the file again`,
    );
  }
  const warnings: string[] = [];
  if (bytes.length > expected) {
    const extra = bytes.length - expected;
    if (extra >= STL_RECORD_BYTES) {
      throw meshRejected(
        'stl',
        'count_mismatch',
        `${name}: header says ${count} triangles (${expected} bytes), but the file has ${bytes.length} bytes ` +
          `(room for ${fit}) — the triangle count is wrong; re-export from the scanner`,
      );
    }
    warnings.push(`${extra} trailing bytes after the last triangle were ignored`);
  }
  if (count === 0) {
    throw meshRejected('stl', 'no_triangles', `${name} holds no triangles (header count 0) — export the scan again`);
  }

  const positions = new Float32Array(count * 9);
  const badAt = copyVertices(view, count, positions) ? firstNonFinite(positions) : -1;
  if (badAt >= 0) throw nonFiniteRejected(name, Math.floor(badAt / 9), count, positions[badAt]);
  const indices = soupIndices(count);

  const mesh: IndexedMesh = { positions, indices };
  const colors = readFacetColors(bytes, view, count);
  if (colors) mesh.colors = colors;
  return { mesh, warnings };
}

/** The rejection of a file whose triangle `triangle` (from 0) holds `value`, NaN or infinite. */
export function nonFiniteRejected(name: string, triangle: number, count: number, value: number): Error {
  return meshRejected(
    'stl',
    'non_finite',
    `${name}: triangle ${triangle + 1} of ${count} has a non-finite coordinate (${value}) — the export is corrupt; re-export from the scanner`,
  );
}

/**
 * The 9 vertex floats of every record into `positions` (DataView measured fastest here);
 * true when one of them is NaN or infinite. Checking while copying spares a second pass
 * over 36 MB at 1M triangles, and marks the array checked for `assertSoundMesh`.
 */
function copyVertices(view: DataView, count: number, positions: Float32Array): boolean {
  let o = 0;
  let at = STL_HEADER_BYTES + 12;
  // Any NaN or ±Infinity makes the sum NaN (x - x is 0 for every finite x).
  let check = 0;
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 9; k++) {
      const v = view.getFloat32(at + 4 * k, true);
      positions[o++] = v;
      check += v - v;
    }
    at += STL_RECORD_BYTES;
  }
  if (check === 0) markFinite(positions);
  return check !== 0;
}

/**
 * Per-facet colours from the attribute words, expanded to the soup's vertices.
 *
 * Two conventions exist. Materialise Magics writes `COLOR=` + RGBA in the header and a
 * facet has its own colour when bit 15 is clear (red in bits 0–4). VisCAM/SolidView set
 * bit 15 on coloured facets (blue in bits 0–4). Many tools write attribute garbage instead
 * (Meshmixer writes 0xFFFF on every facet, which VisCAM would read as all-white), so
 * without the Materialise header colours are only taken when the words actually vary.
 */
function readFacetColors(bytes: Uint8Array, view: DataView, count: number): Uint8Array | undefined {
  const header = bytes.subarray(0, 80);
  const colorAt = materialiseColorAt(header);
  const materialise = colorAt >= 0;
  const attr = (t: number): number => view.getUint16(STL_HEADER_BYTES + t * STL_RECORD_BYTES + 48, true);
  if (!materialise) {
    const first = attr(0);
    let varies = false;
    let anyValid = false;
    for (let t = 0; t < count; t++) {
      const a = attr(t);
      if (a !== first) varies = true;
      if (a & 0x8000) anyValid = true;
    }
    if (!varies || !anyValid) return undefined;
  }
  const base = materialise
    ? [header[colorAt + 6], header[colorAt + 7], header[colorAt + 8], header[colorAt + 9]]
    : [255, 255, 255, 255];
  const colors = new Uint8Array(count * 12);
  for (let t = 0; t < count; t++) {
    const a = attr(t);
    let r = base[0];
    let g = base[1];
    let b = base[2];
    let alpha = base[3];
    const own = materialise ? (a & 0x8000) === 0 : (a & 0x8000) !== 0;
    if (own) {
      const lo = ((a & 0x1f) * 255) / 31;
      const mid = (((a >> 5) & 0x1f) * 255) / 31;
      const hi = (((a >> 10) & 0x1f) * 255) / 31;
      r = Math.round(materialise ? lo : hi);
      g = Math.round(mid);
      b = Math.round(materialise ? hi : lo);
      alpha = 255;
    }
    for (let k = 0; k < 3; k++) {
      const o = t * 12 + k * 4;
      colors[o] = r;
      colors[o + 1] = g;
      colors[o + 2] = b;
      colors[o + 3] = alpha;
    }
  }
  return colors;
}

/** Where a Materialise colour header's `COLOR=` + RGBA starts in the 80-byte header, or -1. */
export function materialiseColorAt(header: Uint8Array): number {
  const at = indexOfAscii(header.subarray(0, 80), 'COLOR=');
  return at >= 0 && at + 10 <= 80 ? at : -1;
}

/**
 * Indices 0, 1, 2, … for `triangles` triangles of their own three vertices each, as STL
 * stores them (welding comes later). A function of its own, so the reader around it is
 * not compiled for this loop alone and then discarded on the way out.
 */
export function soupIndices(triangles: number): Uint32Array {
  const indices = new Uint32Array(triangles * 3);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  return indices;
}
