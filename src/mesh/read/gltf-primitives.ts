/**
 * glTF mesh primitives → one IndexedMesh. Each draw (a mesh at a world matrix) contributes
 * its triangle primitives with positions and normals transformed (winding flipped under a
 * mirroring transform), COLOR_0 converted to sRGB bytes, TEXCOORD_0, and one group per
 * primitive. Indices are checked against the POSITION count: a file whose indices run past
 * its vertices is refused, never quietly trimmed.
 */
import type { IndexedMesh, MeshGroup } from '../mesh.js';
import type { Accessor, AccessorReader } from './gltf-accessor.js';
import type { Json } from './gltf-container.js';
import type { Draw } from './gltf-scene.js';
import { determinant3, isIdentity, normalMatrix } from './mat4.js';
import { meshRejected } from './rejection.js';
import { firstIndexAtLeast } from './sound-mesh.js';
import { linearToSrgbByte } from './srgb.js';

/** Most triangles or vertices one file may expand to (instancing multiplies a small file). */
export const MAX_ELEMENTS = 1 << 25;

interface Primitive {
  positions: Accessor;
  triangles: Uint32Array;
  normals?: Accessor;
  colors?: Accessor;
  uvs?: Accessor;
  material: number;
  name: string;
}

interface Part {
  draw: Draw;
  primitive: Primitive;
  /** First output vertex of this part's vertex data. */
  base: number;
  /** False when an earlier part of the same draw already wrote the same vertex accessors. */
  writesVertices: boolean;
}

/** Read every triangle primitive of every draw and merge them. */
export function buildGltfMesh(
  json: Json,
  reader: AccessorReader,
  draws: Draw[],
  name: string,
  format: 'gltf' | 'glb',
): { mesh: IndexedMesh; skipped: number } {
  const invalid: (what: string) => never = (what) => {
    throw meshRejected(format, 'invalid_structure', `${name}: ${what} — the glTF is inconsistent; export it again`);
  };
  const cache = new Map<number, Primitive[]>();
  let skipped = 0;
  const parts: Part[] = [];
  let vertices = 0;
  let triangles = 0;
  const ids = new Map<Accessor | undefined, number>();
  const id = (a: Accessor | undefined): number => {
    if (!ids.has(a)) ids.set(a, ids.size);
    return ids.get(a) as number;
  };
  for (const draw of draws) {
    let prims = cache.get(draw.mesh);
    if (!prims) {
      const read = readMeshPrimitives(json, reader, draw.mesh, name, format, invalid);
      skipped += read.skipped;
      prims = read.primitives;
      cache.set(draw.mesh, prims);
    }
    // Primitives of one mesh often share their vertex accessors: write those vertices once.
    const bases = new Map<string, number>();
    for (const primitive of prims) {
      const p = primitive;
      const key = `${id(p.positions)}/${id(p.normals)}/${id(p.colors)}/${id(p.uvs)}`;
      const shared = bases.get(key);
      if (shared === undefined) bases.set(key, vertices);
      parts.push({ draw, primitive, base: shared ?? vertices, writesVertices: shared === undefined });
      if (shared === undefined) vertices += p.positions.count;
      triangles += p.triangles.length / 3;
    }
  }
  if (vertices > MAX_ELEMENTS || triangles > MAX_ELEMENTS) {
    throw meshRejected(
      format,
      'too_large',
      `${name} expands to ${triangles} triangles and ${vertices} vertices after node transforms and instancing, ` +
        `more than the ${MAX_ELEMENTS} Cusp accepts — export the scan without instancing or split it`,
    );
  }
  return { mesh: merge(parts, vertices, triangles), skipped };
}

function readMeshPrimitives(
  json: Json,
  reader: AccessorReader,
  meshIndex: number,
  name: string,
  format: 'gltf' | 'glb',
  invalid: (what: string) => never,
): { primitives: Primitive[]; skipped: number } {
  const mesh = reader.def('meshes', meshIndex, `a node`);
  const list = Array.isArray(mesh.primitives) ? (mesh.primitives as Json[]) : invalid(`mesh ${meshIndex} has no primitives`);
  const primitives: Primitive[] = [];
  let skipped = 0;
  list.forEach((prim, k) => {
    const where = `mesh ${meshIndex} primitive ${k}`;
    const mode = prim.mode === undefined ? 4 : prim.mode;
    if (mode === 0 || mode === 1 || mode === 2 || mode === 3) {
      skipped++;
      return;
    }
    if (mode !== 4 && mode !== 5 && mode !== 6) invalid(`${where} has unknown mode ${String(mode)}`);
    const ext = prim.extensions as Json | undefined;
    if (ext?.KHR_draco_mesh_compression) {
      throw meshRejected(format, 'unsupported', `${name}: ${where} is Draco-compressed and this reader has no Draco decoder — read it with readMesh`);
    }
    const attrs = (prim.attributes ?? {}) as Json;
    if (attrs.POSITION === undefined) invalid(`${where} has no POSITION attribute`);
    const positions = reader.read(attrs.POSITION, 'float', `${where} POSITION`);
    if (positions.size !== 3) invalid(`${where} POSITION is not VEC3`);
    const attribute = (key: string, sizes: number[]): Accessor | undefined => {
      if (attrs[key] === undefined) return undefined;
      const a = reader.read(attrs[key], 'float', `${where} ${key}`);
      if (!sizes.includes(a.size) || a.count !== positions.count) invalid(`${where} ${key} does not match POSITION in type or count`);
      return a;
    };
    const elements = prim.indices === undefined ? sequence(positions.count) : readIndices(reader, prim.indices, where, invalid);
    const bad = firstIndexAtLeast(elements, positions.count);
    if (bad >= 0) {
      throw meshRejected(
        format,
        'index_out_of_range',
        `${name}: ${where} uses vertex ${elements[bad]}, but its POSITION accessor has only ${positions.count} vertices — the glTF is inconsistent; export it again`,
      );
    }
    primitives.push({
      positions,
      triangles: triangulate(mode as number, elements, where, invalid),
      normals: attribute('NORMAL', [3]),
      colors: attribute('COLOR_0', [3, 4]),
      uvs: attribute('TEXCOORD_0', [2]),
      material: typeof prim.material === 'number' ? prim.material : -1,
      name: typeof mesh.name === 'string' ? mesh.name : '',
    });
  });
  return { primitives, skipped };
}

function readIndices(reader: AccessorReader, index: unknown, where: string, invalid: (what: string) => never): Uint32Array {
  const def = reader.def('accessors', index, `${where} indices`);
  if (def.componentType !== 5121 && def.componentType !== 5123 && def.componentType !== 5125) {
    invalid(`${where} indices are not unsigned integers`);
  }
  const a = reader.read(index, 'uint', `${where} indices`);
  if (a.size !== 1) invalid(`${where} indices are not SCALAR`);
  return a.values as Uint32Array;
}

function sequence(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Triangle list from a triangles, strip or fan primitive (glTF spec winding). */
function triangulate(mode: number, e: Uint32Array, where: string, invalid: (what: string) => never): Uint32Array {
  const n = e.length;
  if (mode === 4) {
    if (n % 3 !== 0) invalid(`${where} has ${n} indices, not a multiple of 3`);
    return e;
  }
  const count = Math.max(0, n - 2);
  const out = new Uint32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const odd = i % 2;
    out[i * 3] = mode === 5 ? e[i] : e[0];
    out[i * 3 + 1] = mode === 5 ? e[i + 1 + odd] : e[i + 1];
    out[i * 3 + 2] = mode === 5 ? e[i + 2 - odd] : e[i + 2];
  }
  return out;
}

function merge(parts: Part[], vertexTotal: number, triangleTotal: number): IndexedMesh {
  const positions = new Float32Array(vertexTotal * 3);
  const indices = new Uint32Array(triangleTotal * 3);
  const withNormals = parts.length > 0 && parts.every((p) => p.primitive.normals);
  const normals = withNormals ? new Float32Array(vertexTotal * 3) : undefined;
  const colors = parts.some((p) => p.primitive.colors) ? new Uint8Array(vertexTotal * 4).fill(255) : undefined;
  const uvs = parts.some((p) => p.primitive.uvs) ? new Float32Array(vertexTotal * 2) : undefined;
  const groups: MeshGroup[] = [];
  let t0 = 0;
  for (const { draw, primitive: p, base: v0, writesVertices } of parts) {
    const m = draw.matrix;
    const plain = isIdentity(m);
    const count = copyTriangles(p.triangles, indices, t0, v0, !plain && determinant3(m) < 0);
    if (count > 0) groups.push({ name: p.name || draw.node, material: p.material, start: t0, count });
    t0 += count;
    if (!writesVertices) continue;
    copyPositions(p.positions.values, p.positions.count, positions, v0, plain ? undefined : m);
    if (normals && p.normals) transformNormals(p.normals.values, normals, v0, plain ? undefined : normalMatrix(m));
    if (colors && p.colors) copyColors(p.colors.values, p.colors.size, p.colors.count, colors, v0);
    if (uvs && p.uvs) uvs.set(p.uvs.values, v0 * 2);
  }
  const mesh: IndexedMesh = { positions, indices, groups };
  if (normals) mesh.normals = normals;
  if (colors) mesh.colors = colors;
  if (uvs) mesh.uvs = uvs;
  return mesh;
}

/** A primitive's triangles into `out` from triangle `t0`, its vertices from `v0`; `flip` reverses the winding (a mirroring matrix). Returns the triangle count. */
function copyTriangles(tris: Uint32Array, out: Uint32Array, t0: number, v0: number, flip: boolean): number {
  for (let i = 0; i < tris.length; i += 3) {
    const o = t0 * 3 + i;
    out[o] = v0 + tris[i];
    out[o + 1] = v0 + tris[flip ? i + 2 : i + 1];
    out[o + 2] = v0 + tris[flip ? i + 1 : i + 2];
  }
  return tris.length / 3;
}

/** `count` positions into `out` from vertex `v0`, moved by the node's matrix `m` unless it is the identity (undefined). */
function copyPositions(src: Float32Array | Uint32Array, count: number, out: Float32Array, v0: number, m: Float64Array | undefined): void {
  for (let i = 0; i < count; i++) {
    const x = src[i * 3];
    const y = src[i * 3 + 1];
    const z = src[i * 3 + 2];
    const o = (v0 + i) * 3;
    out[o] = m ? m[0] * x + m[4] * y + m[8] * z + m[12] : x;
    out[o + 1] = m ? m[1] * x + m[5] * y + m[9] * z + m[13] : y;
    out[o + 2] = m ? m[2] * x + m[6] * y + m[10] * z + m[14] : z;
  }
}

/** Linear 0..1 colours of `size` channels into sRGB bytes from vertex `v0` (alpha kept linear). */
function copyColors(c: Float32Array | Uint32Array, size: number, count: number, out: Uint8Array, v0: number): void {
  for (let i = 0; i < count; i++) {
    const o = (v0 + i) * 4;
    for (let k = 0; k < 3; k++) out[o + k] = linearToSrgbByte(c[i * size + k]);
    if (size === 4) out[o + 3] = Math.round(Math.min(1, Math.max(0, c[i * 4 + 3])) * 255);
  }
}

function transformNormals(src: Float32Array | Uint32Array, out: Float32Array, v0: number, n?: Float64Array): void {
  const count = src.length / 3;
  for (let i = 0; i < count; i++) {
    let x = src[i * 3];
    let y = src[i * 3 + 1];
    let z = src[i * 3 + 2];
    if (n) {
      const tx = n[0] * x + n[3] * y + n[6] * z;
      const ty = n[1] * x + n[4] * y + n[7] * z;
      const tz = n[2] * x + n[5] * y + n[8] * z;
      const len = Math.hypot(tx, ty, tz) || 1;
      x = tx / len;
      y = ty / len;
      z = tz / len;
    }
    const o = (v0 + i) * 3;
    out[o] = x;
    out[o + 1] = y;
    out[o + 2] = z;
  }
}
