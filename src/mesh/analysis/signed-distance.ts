/**
 * Signed distance from points to a surface: the core of deviation and occlusion.
 *
 * The sign comes from the surface's normal at the closest point (the vertex normals
 * interpolated there), so it is right at edges and corners too, where a single face's
 * normal can point the wrong way: positive means the point lies outside the surface (on the
 * side its normals point to), negative inside.
 *
 * Deviation is measured only where both surfaces have surface. A point has no counterpart,
 * and gets NaN, when
 * - its closest point lies on the surface's border, or within `borderTolerance` of it: the
 *   scans were cut in different places (no two intraoral scans share a border) and a point
 *   beyond the other's edge would otherwise count its distance to that edge as movement;
 * - its own normal (when given) and the surface's normal there differ by more than 60°
 *   (`MIN_NORMAL_COS`): its closest point is the other side of a thin wall, a neighbouring
 *   cusp, or surface seen across a gap, not the same tissue. 60° lets through any real
 *   change of slope a bump or wear facet of a few tenths of a mm makes (under ~40°) and
 *   the tilt left after registration, and is the cut ICP uses, so the alignment and the
 *   figures agree on what counts.
 *
 * `signedDistanceRange` processes any range of the points, so a caller can split the work
 * across threads: the target is plain typed arrays (`DistanceTarget`), which can be
 * transferred to a worker or placed in SharedArrayBuffers.
 */
import { buildFlatBvh, type FlatBvh } from '../bvh/flat-bvh.js';
import { ClosestHit, ClosestPointQuery } from '../bvh/closest-point.js';
import type { IndexedMesh } from '../mesh.js';
import { findBorders, nearBorder } from './borders.js';
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
  /** Per triangle, bits 0..2 for border edges a–b, b–c, c–a, 3..5 for border corners (see `findBorders`). */
  borderEdges: Uint8Array;
  /** Per vertex, 1 on a border. */
  borderVertices: Uint8Array;
}

/** Options of a signed-distance pass. */
export interface SignedDistanceOptions {
  /** Points farther than this (mm) get NaN; Infinity (default) finds every point's answer. */
  maxDistance?: number;
  /**
   * A point whose closest point lies within this distance (mm) of the surface's border has
   * no counterpart (default 0.05 mm, about a scanner's point spacing). Infinity keeps every
   * point (e.g. the opposing jaw, which has no border in common).
   */
  borderTolerance?: number;
  /**
   * Unit normals of the points (xyz, in the points' frame; `transform` turns them too).
   * When given, a point whose normal and the surface's differ by more than 60° has no
   * counterpart.
   */
  normals?: Float32Array;
  /** Move each point by this rigid motion before measuring. */
  transform?: Mat4;
}

/** Default of `SignedDistanceOptions.borderTolerance` (mm), also ICP's. */
export const BORDER_TOLERANCE = 0.05;

/** Cosine of the largest angle between the normals of a point and its counterpart (60°): see the module comment. */
export const MIN_NORMAL_COS = 0.5;

/**
 * Prepare a welded mesh as a distance target (BVH, vertex normals, borders). A tree from
 * `buildFlatBvh` for the same mesh (e.g. restored from the cache) skips the build.
 */
export function prepareTarget(
  mesh: IndexedMesh,
  onProgress?: (fraction: number) => void,
  bvh: FlatBvh = buildFlatBvh(mesh, onProgress),
  normals: Float32Array = vertexNormals(mesh.positions, mesh.indices),
): DistanceTarget {
  const borders = findBorders(mesh.indices, mesh.positions.length / 3);
  return {
    positions: mesh.positions,
    indices: mesh.indices,
    bvh,
    normals,
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
  const tolerance = options.borderTolerance ?? BORDER_TOLERANCE;
  const borders = tolerance < Infinity;
  const m = options.transform;
  const own = options.normals;
  const { indices, normals, borderEdges } = target;
  const { triangles, corners } = target.bvh;
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
    // The mask is tested here first: a call passing doubles boxes them, and nearly every
    // triangle is away from the border.
    if (borders && borderEdges[t] !== 0 && nearBorder(borderEdges[t], corners, 9 * hit.slot, hit.v, hit.w, hit.x, hit.y, hit.z, tolerance)) {
      out[i] = NaN;
      continue;
    }
    if (own) {
      let ox = own[3 * i], oy = own[3 * i + 1], oz = own[3 * i + 2];
      if (m) {
        const x = ox, y = oy, z = oz;
        ox = m[0] * x + m[4] * y + m[8] * z;
        oy = m[1] * x + m[5] * y + m[9] * z;
        oz = m[2] * x + m[6] * y + m[10] * z;
      }
      // Both normals are unit but the interpolated one may be a little shorter.
      const dot = ox * nx + oy * ny + oz * nz;
      if (dot < MIN_NORMAL_COS * Math.sqrt(nx * nx + ny * ny + nz * nz)) {
        out[i] = NaN;
        continue;
      }
    }
    const dx = px - hit.x, dy = py - hit.y, dz = pz - hit.z;
    const along = dx * nx + dy * ny + dz * nz;
    const distance = Math.sqrt(hit.distanceSq);
    out[i] = along >= 0 ? distance : -distance;
  }
}
