/**
 * The PLY vertex element: positions, normals, colours (uchar, ushort or float → RGBA bytes)
 * and texture coordinates, whatever the property order and types. Binary elements without
 * list properties are read column by column at a fixed stride — one tight loop per
 * property instead of a type switch per value, several times faster on big scans.
 */
import { AsciiPlyBody, BinaryPlyBody, binaryValue, ranOut, skipList, type PlyBody } from './ply-body.js';
import { PLY_SIZE, type PlyElement, type PlyScalar } from './ply-header.js';
import { meshRejected } from './rejection.js';
import { firstNonFinite } from './sound-mesh.js';

// Where a vertex property goes.
const SKIP = 0, X = 1, Y = 2, Z = 3, NX = 4, NZ = 6, R = 7, B = 9, A = 10, U = 11, V = 12;
const SINKS: Record<string, number> = {
  x: X, y: Y, z: Z, nx: NX, ny: 5, nz: NZ,
  red: R, green: 8, blue: B, alpha: A, r: R, g: 8, b: B, a: A,
  diffuse_red: R, diffuse_green: 8, diffuse_blue: B, diffuse_alpha: A,
  s: U, t: V, u: U, v: V, texture_u: U, texture_v: V, texture_s: U, texture_t: V,
};

export interface Vertices {
  count: number;
  positions: Float32Array;
  normals?: Float32Array;
  colors?: Uint8Array;
  uvs?: Float32Array;
}

/** Read the vertex element. */
export function readVertices(element: PlyElement, body: PlyBody, name: string): Vertices {
  const props = element.properties;
  const sinks = props.map((p) => (p.countType ? SKIP : (SINKS[p.name] ?? SKIP)));
  for (const axis of [X, Y, Z]) {
    if (!sinks.includes(axis)) {
      throw meshRejected('ply', 'invalid_structure', `${name}: the vertex element has no x, y and z properties — export the scan again`);
    }
  }
  const n = element.count;
  const out: Vertices = {
    count: n,
    positions: new Float32Array(n * 3),
    normals: sinks.some((s) => s >= NX && s <= NZ) ? new Float32Array(n * 3) : undefined,
    colors: sinks.some((s) => s >= R && s <= A) ? new Uint8Array(n * 4).fill(255) : undefined,
    uvs: sinks.some((s) => s === U || s === V) ? new Float32Array(n * 2) : undefined,
  };
  if (body instanceof BinaryPlyBody && props.every((p) => !p.countType)) readColumns(element, sinks, body, out, name);
  else if (body instanceof AsciiPlyBody && props.every((p) => !p.countType)) readTextRows(element, sinks, body, out, name);
  else readRows(element, sinks, body, out, name);
  const bad = firstNonFinite(out.positions);
  if (bad >= 0) {
    throw meshRejected(
      'ply',
      'non_finite',
      `${name}: vertex ${Math.floor(bad / 3) + 1} has a non-finite coordinate (${out.positions[bad]}) — the export is corrupt; export the scan again`,
    );
  }
  return out;
}

/** Store value `v` of property type `type` into the array `sink` names. */
function store(out: Vertices, sink: number, i: number, v: number, type: PlyScalar): void {
  if (sink <= Z) out.positions[i * 3 + sink - X] = v;
  else if (sink <= NZ) (out.normals as Float32Array)[i * 3 + sink - NX] = v;
  else if (sink <= A) (out.colors as Uint8Array)[i * 4 + sink - R] = colorByte(v, type);
  else (out.uvs as Float32Array)[i * 2 + sink - U] = v;
}

function readRows(element: PlyElement, sinks: number[], body: PlyBody, out: Vertices, name: string): void {
  const props = element.properties;
  for (let i = 0; i < element.count; i++) {
    for (let k = 0; k < props.length; k++) {
      const prop = props[k];
      if (prop.countType) {
        skipList(prop.countType, prop.type, body);
        continue;
      }
      const v = body.value(prop.type);
      if (sinks[k] !== SKIP) store(out, sinks[k], i, v, prop.type);
    }
    if (body.short) ranOut(element, i, name);
  }
}

/** ASCII rows without lists: a row of numbers per call, coordinates stored without a call. */
function readTextRows(element: PlyElement, sinks: number[], body: AsciiPlyBody, out: Vertices, name: string): void {
  const props = element.properties;
  const row = new Float64Array(props.length);
  const positions = out.positions;
  for (let i = 0; i < element.count; i++) {
    if (!body.numbers(row, props.length)) ranOut(element, i, name);
    for (let k = 0; k < props.length; k++) {
      const sink = sinks[k];
      if (sink >= X && sink <= Z) positions[i * 3 + sink - X] = row[k];
      else if (sink !== SKIP) store(out, sink, i, row[k], props[k].type);
    }
  }
}

function readColumns(element: PlyElement, sinks: number[], body: BinaryPlyBody, out: Vertices, name: string): void {
  const props = element.properties;
  const stride = props.reduce((sum, p) => sum + PLY_SIZE[p.type], 0);
  const n = element.count;
  const start = body.pos;
  const available = body.view.byteLength - start;
  if (n * stride > available) ranOut(element, Math.floor(available / stride), name);
  const { view, le } = body;
  let offset = start;
  for (let k = 0; k < props.length; k++) {
    const sink = sinks[k];
    const type = props[k].type;
    if (sink >= X && sink <= Z && type === 'float32') {
      // The common case, kept free of calls: float32 coordinates.
      const dst = out.positions;
      for (let i = 0, at = offset, o = sink - X; i < n; i++, at += stride, o += 3) dst[o] = view.getFloat32(at, le);
    } else if (sink >= R && sink <= A && type === 'uint8') {
      const dst = out.colors as Uint8Array;
      for (let i = 0, at = offset, o = sink - R; i < n; i++, at += stride, o += 4) dst[o] = view.getUint8(at);
    } else if (sink !== SKIP) {
      for (let i = 0, at = offset; i < n; i++, at += stride) store(out, sink, i, binaryValue(view, at, type, le), type);
    }
    offset += PLY_SIZE[type];
  }
  body.pos = start + n * stride;
}

/** A colour component as a byte: uchar as is, ushort scaled, float from 0..1. */
function colorByte(v: number, type: PlyScalar): number {
  const byte = type === 'float32' || type === 'float64' ? v * 255 : type === 'uint16' ? v / 257 : v;
  return byte >= 255 ? 255 : byte > 0 ? Math.round(byte) : 0;
}
