/**
 * The one mesh type that travels through Cusp: flat typed arrays, no three.js.
 *
 * Readers return it, writers take it, checks and measurements work on it, and jobs
 * transfer its buffers between threads. Only `src/mesh/bvh/` turns it into three.js
 * objects.
 */

/** A named range of triangles sharing a material (an OBJ group, a glTF primitive, a PLY/STL solid). */
export interface MeshGroup {
  /** Group or object name as the file gave it ('' when none). */
  name: string;
  /** Index into `IndexedMesh.materials`, or -1 for none. */
  material: number;
  /** First triangle of the range. */
  start: number;
  /** Number of triangles in the range. */
  count: number;
}

/** The part of a material a scan viewer or converter needs; textures are referenced by name. */
export interface MeshMaterial {
  name: string;
  /** Linear RGBA, 0..1. */
  color: [number, number, number, number];
  /** Texture file or image name, when the material has one. */
  texture?: string;
}

export interface IndexedMesh {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  indices: Uint32Array;
  /** Optional xyz per vertex. */
  normals?: Float32Array;
  /** Optional RGBA per vertex, 0..255, sRGB-encoded as scanners, PLY and OBJ store it (glTF I/O converts to and from linear). */
  colors?: Uint8Array;
  /** Optional uv per vertex. */
  uvs?: Float32Array;
  /** Triangle ranges, in order, covering all triangles when present. */
  groups?: MeshGroup[];
  materials?: MeshMaterial[];
}

/** Formats Cusp reads and writes. */
export type MeshFormat = 'stl' | 'ply' | 'obj' | 'gltf' | 'glb';

/** Number of triangles in a mesh. */
export function triangleCount(mesh: IndexedMesh): number {
  return mesh.indices.length / 3;
}

/** Number of vertices in a mesh. */
export function vertexCount(mesh: IndexedMesh): number {
  return mesh.positions.length / 3;
}

/**
 * The box of all vertices, [minX, minY, minZ, maxX, maxY, maxZ]; Infinity and -Infinity when
 * there are none. Every vertex counts, referenced or not, unless `referenced` is given: then
 * only the vertices it marks (non-zero).
 */
export function positionBounds(positions: Float32Array, referenced?: Uint8Array): Float64Array {
  const box = Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity);
  // A block of vertices per call (see `growBox`).
  for (let from = 0; from < positions.length; from += 3 * BOUNDS_BLOCK) growBox(positions, referenced, from, Math.min(from + 3 * BOUNDS_BLOCK, positions.length), box);
  return box;
}

/** Vertices measured by one call of `growBox`. */
const BOUNDS_BLOCK = 16384;

/**
 * `box` grown by the vertices whose coordinates are `from .. to`. The bounds live in `box`
 * itself, not in locals: V8 compiles a long loop while it runs (on-stack replacement), and
 * that code kept doubles carried from one iteration to the next boxed, a heap allocation
 * whenever a bound moved; and stores left for after the loop had not run when it compiled,
 * so it gave up there (a deoptimisation in most blocks of a 1M-triangle `cusp inspect`).
 * Called per block of vertices, so that the code compiled for the whole function soon runs.
 */
function growBox(positions: Float32Array, referenced: Uint8Array | undefined, from: number, to: number, box: Float64Array): void {
  for (let i = from, v = from / 3; i < to; i += 3, v++) {
    if (referenced !== undefined && referenced[v] === 0) continue;
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    if (x < box[0]) box[0] = x;
    if (x > box[3]) box[3] = x;
    if (y < box[1]) box[1] = y;
    if (y > box[4]) box[4] = y;
    if (z < box[2]) box[2] = z;
    if (z > box[5]) box[5] = z;
  }
}
