/**
 * Signed distance from points to a surface: the core of deviation and occlusion.
 *
 * The sign comes from the surface's normal at the closest point (the vertex normals
 * interpolated there), so it is right at edges and corners too, where a single face's
 * normal can point the wrong way: positive means the point lies outside the surface (on the
 * side its normals point to), negative inside. A point whose closest point lies on the
 * surface's border, and more than `borderTolerance` beyond it sideways, has no counterpart
 * on the surface: it gets NaN.
 *
 * `signedDistanceRange` processes any range of the points, so a caller can split the work
 * across threads: the target is plain typed arrays (`DistanceTarget`), which can be
 * transferred to a worker or placed in SharedArrayBuffers.
 */
import { buildFlatBvh, type FlatBvh } from '../bvh/flat-bvh.js';
import { ClosestHit, ClosestPointQuery, Feature } from '../bvh/closest-point.js';
import type { IndexedMesh } from '../mesh.js';
import { featureOnBorder, findBorders } from './borders.js';
import type { Mat4 } from './rigid-transform.js';
import { vertexNormals } from './surface.js';

/** A surface prepared for distance queries. All plain typed arrays. */
export interface DistanceTarget {
  /** The welded surface. */
  positions: Float32Array;
  indices: Uint32Array;
  bvh: FlatBvh;
  /** Unit vertex normals. */
  normals: Float32Array;
  /** Per triangle, bits 0..2 for border edges a–b, b–c, c–a (see `findBorders`). */
  borderEdges: Uint8Array;
  /** Per vertex, 1 on a border. */
  borderVertices: Uint8Array;
}

/** Options of a signed-distance pass. */
export interface SignedDistanceOptions {
  /** Points farther than this (mm) get NaN; Infinity (default) finds every point's answer. */
  maxDistance?: number;
  /**
   * How far (mm) a point may lie sideways beyond the surface's border and still count as
   * having a counterpart (default 0.05 mm, about a scanner's point spacing). Infinity keeps
   * every point.
   */
  borderTolerance?: number;
  /** Move each point by this rigid motion before measuring. */
  transform?: Mat4;
}

/**
 * Prepare a welded mesh as a distance target (BVH, vertex normals, borders). A tree from
 * `buildFlatBvh` for the same mesh (e.g. restored from the cache) skips the build.
 */
export function prepareTarget(mesh: IndexedMesh, onProgress?: (fraction: number) => void, bvh: FlatBvh = buildFlatBvh(mesh, onProgress)): DistanceTarget {
  const borders = findBorders(mesh.indices, mesh.positions.length / 3);
  return {
    positions: mesh.positions,
    indices: mesh.indices,
    bvh,
    normals: vertexNormals(mesh.positions, mesh.indices),
    borderEdges: borders.triangleEdges,
    borderVertices: borders.vertices,
  };
}

/**
 * Signed distances of points `order[start] … order[end − 1]` (or `start … end − 1` when
 * `order` is null) of `points` (xyz) to `target`, written to `out` at each point's own
 * index: mm, positive outside, NaN for no counterpart (see the module comment). Give the
 * points in spatial order (`mortonOrder`) for speed: each query starts from the previous
 * answer.
 */
export function signedDistanceRange(
  target: DistanceTarget,
  points: Float32Array,
  order: Uint32Array | null,
  start: number,
  end: number,
  options: SignedDistanceOptions,
  out: Float32Array,
): void {
  const query = new ClosestPointQuery(target.bvh);
  const hit = new ClosestHit();
  const maxDistance = options.maxDistance ?? Infinity;
  const tolerance = options.borderTolerance ?? 0.05;
  const toleranceSq = tolerance * tolerance;
  const m = options.transform;
  const { indices, normals, borderEdges, borderVertices } = target;
  const triangles = target.bvh.triangles;
  let hint = -1;
  for (let k = start; k < end; k++) {
    const i = order ? order[k] : k;
    let px = points[3 * i], py = points[3 * i + 1], pz = points[3 * i + 2];
    if (m) {
      const x = px, y = py, z = pz;
      px = m[0] * x + m[4] * y + m[8] * z + m[12];
      py = m[1] * x + m[5] * y + m[9] * z + m[13];
      pz = m[2] * x + m[6] * y + m[10] * z + m[14];
    }
    if (!query.closest(px, py, pz, maxDistance, hint, hit)) {
      out[i] = NaN;
      continue;
    }
    hint = hit.slot;
    const t = triangles[hit.slot];
    const a = indices[3 * t], b = indices[3 * t + 1], c = indices[3 * t + 2];
    const u = 1 - hit.v - hit.w;
    const nx = u * normals[3 * a] + hit.v * normals[3 * b] + hit.w * normals[3 * c];
    const ny = u * normals[3 * a + 1] + hit.v * normals[3 * b + 1] + hit.w * normals[3 * c + 1];
    const nz = u * normals[3 * a + 2] + hit.v * normals[3 * b + 2] + hit.w * normals[3 * c + 2];
    const dx = px - hit.x, dy = py - hit.y, dz = pz - hit.z;
    const along = dx * nx + dy * ny + dz * nz;
    const distance = Math.sqrt(hit.distanceSq);
    if (hit.feature !== Feature.face && hit.distanceSq > toleranceSq && featureOnBorder(hit.feature, t, a, b, c, borderEdges, borderVertices)) {
      const nn = nx * nx + ny * ny + nz * nz;
      const sideways = hit.distanceSq - (nn > 0 ? (along * along) / nn : 0);
      if (sideways > toleranceSq) {
        out[i] = NaN;
        continue;
      }
    }
    out[i] = along >= 0 ? distance : -distance;
  }
}
