/**
 * PLY, ASCII and binary of both byte orders, with any property layout and any element
 * order (faces may come before vertices). Keeps positions, per-vertex normals, colours
 * (uchar, ushort or float → RGBA bytes) and texture coordinates. Polygons are
 * fan-triangulated; `tristrips` are unrolled with alternating winding and -1 restarts.
 *
 * Counts in the header are checked against the bytes present before anything is
 * allocated, so a header claiming a billion vertices costs nothing.
 */
import type { IndexedMesh } from '../mesh.js';
import { IndexList } from './growable.js';
import { AsciiPlyBody, BinaryPlyBody, type PlyBody } from './ply-body.js';
import { readPlyHeader, type PlyElement, type PlyHeader, type PlyScalar } from './ply-header.js';
import { meshRejected } from './rejection.js';

export interface PlyParse {
  mesh: IndexedMesh;
  variant: string;
  warnings: string[];
}

// Where a vertex property goes.
const SKIP = 0, X = 1, Y = 2, Z = 3, NX = 4, NY = 5, NZ = 6, R = 7, G = 8, B = 9, A = 10, U = 11, V = 12;
const SINKS: Record<string, number> = {
  x: X, y: Y, z: Z, nx: NX, ny: NY, nz: NZ,
  red: R, green: G, blue: B, alpha: A, r: R, g: G, b: B, a: A,
  diffuse_red: R, diffuse_green: G, diffuse_blue: B, diffuse_alpha: A,
  s: U, t: V, u: U, v: V, texture_u: U, texture_v: V, texture_s: U, texture_t: V,
};

interface Vertices {
  count: number;
  positions: Float32Array;
  normals?: Float32Array;
  colors?: Uint8Array;
  uvs?: Float32Array;
}

/** Read a PLY file; `name` is used in messages. */
export function readPly(bytes: Uint8Array, name: string): PlyParse {
  const header = readPlyHeader(bytes, name);
  if (header.elements.length === 0) {
    throw meshRejected('ply', 'no_triangles', `${name}: the PLY header declares no elements (no vertices, no faces) — export the scan again`);
  }
  const body: PlyBody =
    header.encoding === 'ascii'
      ? new AsciiPlyBody(bytes, header.bodyStart, name)
      : new BinaryPlyBody(bytes, header.bodyStart, header.encoding === 'binary_little_endian');
  checkClaimedSizes(header, body, name);

  const warnings: string[] = [];
  const indices = new IndexList(1024);
  let vertices: Vertices | undefined;
  let maxIndex = -1;
  let hasFaces = false;
  for (const element of header.elements) {
    if (element.name === 'vertex' && !vertices) {
      vertices = readVertices(element, body, name);
    } else if ((element.name === 'face' || element.name === 'tristrips') && indexProperty(element) >= 0) {
      hasFaces = true;
      const max = readFaces(element, body, indices, name);
      maxIndex = Math.max(maxIndex, max);
      const dropped = element.properties.filter((p, i) => i !== indexProperty(element)).map((p) => p.name);
      if (dropped.length > 0) warnings.push(`per-${element.name} properties not kept: ${dropped.join(', ')}`);
    } else {
      skipElement(element, body, name);
    }
  }
  const trailing = body.trailing();
  if (trailing > 0) warnings.push(`${trailing} bytes after the last element were ignored (more data than the header declares)`);

  if (!vertices) throw meshRejected('ply', 'invalid_structure', `${name} has no 'vertex' element — export the scan again`);
  if (!hasFaces || indices.length === 0) {
    throw meshRejected(
      'ply',
      'no_triangles',
      `${name} has ${vertices.count} vertices but no faces — a point cloud, not a surface mesh; export the scan as a mesh`,
    );
  }
  if (maxIndex >= vertices.count) {
    throw meshRejected(
      'ply',
      'index_out_of_range',
      `${name}: a face uses vertex ${maxIndex}, but only ${vertices.count} vertices are defined — the file is inconsistent; export the scan again`,
    );
  }
  const mesh: IndexedMesh = { positions: vertices.positions, indices: indices.toArray() };
  if (vertices.normals) mesh.normals = vertices.normals;
  if (vertices.colors) mesh.colors = vertices.colors;
  if (vertices.uvs) mesh.uvs = vertices.uvs;
  return { mesh, variant: header.encoding, warnings };
}

/** Refuse counts the body cannot possibly hold, before allocating for them. */
function checkClaimedSizes(header: PlyHeader, body: PlyBody, name: string): void {
  let need = 0;
  for (const element of header.elements) {
    need += Math.max(0, body.minimumBytes(element));
    if (need > body.remaining()) {
      throw meshRejected(
        'ply',
        'count_mismatch',
        `${name}: the header declares ${element.count} ${element.name} elements, more than the ${body.remaining()} bytes of data can hold ` +
          `— the file is cut short or its header is wrong; export the scan again`,
      );
    }
  }
}

function ranOut(element: PlyElement, i: number, name: string): never {
  throw meshRejected(
    'ply',
    'truncated',
    `${name}: the data ends in ${element.name} ${i + 1} of ${element.count} — the header declares more elements than the file holds, ` +
      `or the file is cut short; export the scan again`,
  );
}

function readVertices(element: PlyElement, body: PlyBody, name: string): Vertices {
  const sinks = element.properties.map((p) => (p.countType ? SKIP : (SINKS[p.name] ?? SKIP)));
  for (const axis of [X, Y, Z]) {
    if (!sinks.includes(axis)) {
      throw meshRejected('ply', 'invalid_structure', `${name}: the vertex element has no x, y and z properties — export the scan again`);
    }
  }
  const n = element.count;
  const positions = new Float32Array(n * 3);
  const normals = sinks.some((s) => s >= NX && s <= NZ) ? new Float32Array(n * 3) : undefined;
  const colors = sinks.some((s) => s >= R && s <= B) ? new Uint8Array(n * 4).fill(255) : undefined;
  const uvs = sinks.some((s) => s === U || s === V) ? new Float32Array(n * 2) : undefined;
  const props = element.properties;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < props.length; k++) {
      const prop = props[k];
      if (prop.countType) {
        skipList(prop.countType, prop.type, body);
        continue;
      }
      const v = body.value(prop.type);
      const sink = sinks[k];
      if (sink === SKIP) continue;
      if (sink <= Z) {
        if (v - v !== 0) {
          throw meshRejected('ply', 'non_finite', `${name}: vertex ${i + 1} has a non-finite coordinate (${v}) — the export is corrupt; export the scan again`);
        }
        positions[i * 3 + sink - X] = v;
      } else if (sink <= NZ) (normals as Float32Array)[i * 3 + sink - NX] = v;
      else if (sink <= A) (colors as Uint8Array)[i * 4 + sink - R] = colorByte(v, prop.type);
      else (uvs as Float32Array)[i * 2 + sink - U] = v;
    }
    if (body.short) ranOut(element, i, name);
  }
  return { count: n, positions, normals, colors, uvs };
}

/** A colour component as a byte: uchar as is, ushort scaled, float from 0..1. */
function colorByte(v: number, type: PlyScalar): number {
  const byte = type === 'float32' || type === 'float64' ? v * 255 : type === 'uint16' ? v / 257 : v;
  return byte >= 255 ? 255 : byte > 0 ? Math.round(byte) : 0;
}

/** The index of the list property holding vertex indices, or -1. */
function indexProperty(element: PlyElement): number {
  const props = element.properties;
  const named = props.findIndex((p) => p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
  return named >= 0 ? named : props.findIndex((p) => p.countType !== undefined);
}

/** Read faces (fan-triangulated) or triangle strips into `out`; returns the largest index. */
function readFaces(element: PlyElement, body: PlyBody, out: IndexList, name: string): number {
  const strips = element.name === 'tristrips';
  const which = indexProperty(element);
  const props = element.properties;
  let max = -1;
  for (let i = 0; i < element.count; i++) {
    for (let k = 0; k < props.length; k++) {
      const prop = props[k];
      if (k !== which) {
        if (prop.countType) skipList(prop.countType, prop.type, body);
        else body.value(prop.type);
        continue;
      }
      const n = body.value(prop.countType as PlyScalar);
      if (body.short) ranOut(element, i, name);
      if (!Number.isInteger(n) || n < 0) badList(element, i, `a vertex count of ${n}`, name);
      if (!strips && n < 3) badList(element, i, `${n} vertices (a face needs at least 3)`, name);
      let a = -1;
      let b = -1;
      let parity = 0;
      for (let j = 0; j < n; j++) {
        const c = body.value(prop.type);
        if (body.short) ranOut(element, i, name);
        if (strips && c === -1) {
          a = b = -1;
          parity = 0;
          continue;
        }
        if (!Number.isInteger(c) || c < 0) badList(element, i, `vertex index ${c}`, name);
        if (c > max) max = c;
        if (strips) {
          // Strip triangle k is (s[k], s[k+1], s[k+2]); every other one is flipped to keep
          // the winding. Index-degenerate triangles only stitch strips together: drop them.
          if (a >= 0 && b >= 0 && a !== b && b !== c && a !== c) {
            if (parity === 0) out.push3(a, b, c);
            else out.push3(b, a, c);
          }
          if (a >= 0 && b >= 0) parity ^= 1;
          a = b;
          b = c;
        } else if (j === 0) a = c;
        else if (j === 1) b = c;
        else {
          out.push3(a, b, c);
          b = c;
        }
      }
    }
    if (body.short) ranOut(element, i, name);
  }
  return max;
}

function badList(element: PlyElement, i: number, what: string, name: string): never {
  throw meshRejected(
    'ply',
    'syntax',
    `${name}: ${element.name} ${i + 1} of ${element.count} has ${what} — the PLY data is malformed or the header's element ` +
      `counts are wrong (then everything after is misread); export the scan again`,
  );
}

function skipList(countType: PlyScalar, type: PlyScalar, body: PlyBody): void {
  const n = body.value(countType);
  if (!(n >= 0)) return;
  for (let j = 0; j < n && !body.short; j++) body.value(type);
}

function skipElement(element: PlyElement, body: PlyBody, name: string): void {
  // An element without properties takes no bytes, however many it claims.
  if (element.properties.length === 0) return;
  for (let i = 0; i < element.count; i++) {
    for (const prop of element.properties) {
      if (prop.countType) skipList(prop.countType, prop.type, body);
      else body.value(prop.type);
    }
    if (body.short) ranOut(element, i, name);
  }
}
