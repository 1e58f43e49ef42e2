/**
 * Measurements: bounding box, surface area, signed volume and degenerate triangles, in one
 * pass over the triangles in double precision.
 */
import { positionBounds } from '../mesh.js';

/** Axis-aligned bounding box; `min`/`max` are 0 for an empty mesh. */
export interface BoundingBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** What the measuring pass finds. */
export interface Measurements {
  bbox: BoundingBox;
  area: number;
  /** Sum of the signed tetrahedron volumes (divergence theorem): positive when a closed mesh faces outwards. */
  signedVolume: number;
  /** Triangles of zero area (a repeated vertex, or three points on a line). */
  degenerateTriangles: number;
}

/**
 * Measure a mesh. The bounding box covers the vertices that triangles use (`referenced`
 * marks them): a stray unused vertex in a file is not part of the surface. Tetrahedra are taken from the origin: for an open surface the signed
 * volume depends on that choice, and the origin is the convention of every other tool.
 */
export function measure(positions: Float32Array, indices: Uint32Array, referenced: Uint8Array): Measurements {
  let [minX, minY, minZ, maxX, maxY, maxZ] = positionBounds(positions, referenced);
  if (minX > maxX) minX = minY = minZ = maxX = maxY = maxZ = 0;

  // The triangles in blocks, each summed by a call of its own (see `sumBlock`).
  const sums = new Float64Array(2);
  let degenerate = 0;
  for (let from = 0; from < indices.length; from += BLOCK) {
    degenerate += sumBlock(positions, indices, from, Math.min(from + BLOCK, indices.length), sums);
  }
  const [area, volume6] = sums;
  return {
    bbox: { min: [minX, minY, minZ], max: [maxX, maxY, maxZ] },
    area: area / 2,
    signedVolume: volume6 / 6,
    degenerateTriangles: degenerate,
  };
}

/** Corners (three per triangle) summed by one call of `sumBlock`. */
const BLOCK = 3 * 16384;

/**
 * Add twice the area and six times the signed volume of the triangles whose corners are
 * `from .. to` to `sums` [0] and [1], in triangle order; the number of zero-area ones. The
 * sums are added in `sums` itself, not in locals: V8 compiles a long loop while it runs
 * (on-stack replacement), and that code kept the running sums boxed, a heap allocation per
 * triangle (23 against 14 ms at 1M triangles, and 30 young-generation collections); and
 * stores left for after the loop had not run when it compiled, so it gave up there, in 8 of
 * the 61 blocks of a 1M-triangle `cusp inspect` (34 MB of boxed numbers, now 8 MB, all
 * from the first block, before the loop is compiled). Called per block, so that the code
 * compiled for the whole function soon runs. The sums are the same, added in the same order.
 */
function sumBlock(positions: Float32Array, indices: Uint32Array, from: number, to: number, sums: Float64Array): number {
  let degenerate = 0;
  for (let h = from; h < to; h += 3) {
    const a = 3 * indices[h], b = 3 * indices[h + 1], c = 3 * indices[h + 2];
    const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const qx = positions[c], qy = positions[c + 1], qz = positions[c + 2];
    const ux = bx - ax, uy = by - ay, uz = bz - az;
    const vx = qx - ax, vy = qy - ay, vz = qz - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const twice = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (twice === 0) degenerate++;
    sums[0] += twice;
    sums[1] += ax * (by * qz - bz * qy) + ay * (bz * qx - bx * qz) + az * (bx * qy - by * qx);
  }
  return degenerate;
}
