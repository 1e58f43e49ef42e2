/**
 * Wall thickness of a solid (a printed model, a splint, an aligner, a crown): from every
 * vertex a ray goes straight inward, against the vertex normal, and the distance to the
 * wall it meets on the other side is the thickness there. A printer or a mill has a
 * minimum wall it can make; the thin area below that limit is what the lab must look at.
 *
 * The ray must meet the far wall from inside (its back face): a first hit on a front face
 * means the ray left the solid first (at a sharp crease, or a mesh turned inside out) and
 * says nothing about the wall, so that vertex gets no value (NaN), as does one whose ray
 * leaves an open surface through a hole.
 */
import { buildFlatBvh } from '../bvh/flat-bvh.js';
import { RayHit, RaycastQuery } from '../bvh/raycast.js';
import type { IndexedMesh } from '../mesh.js';
import { summarisePatches, type Region, type RegionOptions } from './regions.js';
import { mortonOrder } from './spatial-order.js';
import { weightedPercentile } from './statistics.js';
import { vertexAreas, vertexNormals } from './surface.js';

/** Options of `measureThickness`. */
export interface ThicknessOptions {
  /** Walls thinner than this (mm) count as thin (default 0.5, a common minimum for printed and milled parts). */
  limitMm?: number;
  /** Rays look no farther than this (mm; default Infinity). */
  maxMm?: number;
  regions?: Omit<RegionOptions, 'threshold'>;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Summary of a thickness map, mm and mm². Field names are stable; a figure with no wall measured at all is NaN (null in JSON). */
export interface ThicknessStats {
  /** The limit the thin area was measured against. */
  limitMm: number;
  /** Thinnest wall found. */
  minMm: number;
  /** Area-weighted mean thickness. */
  meanMm: number;
  /** 5th percentile by area: the thin end of the walls, without single-vertex outliers. */
  p5Mm: number;
  /** Area thinner than the limit. */
  thinAreaMm2: number;
  /** Area with a measured thickness, and its share of the whole (0..1). */
  measuredAreaMm2: number;
  measuredFraction: number;
}

/** A thickness map and its summary. */
export interface Thickness {
  /** Per vertex of the (welded) mesh, mm; NaN where no wall was found. */
  thickness: Float32Array;
  stats: ThicknessStats;
  /** Connected thin patches, largest first; `maxMm` is each patch's thinnest wall. */
  regions: Region[];
}

const CHUNK = 32768;

/** Thickness per vertex of a welded, outward-facing mesh. */
export function measureThickness(mesh: IndexedMesh, options: ThicknessOptions = {}): Thickness {
  const limit = options.limitMm ?? 0.5;
  const maxMm = options.maxMm ?? Infinity;
  const progress = options.onProgress ?? (() => undefined);
  progress(0, 'bvh');
  const bvh = buildFlatBvh(mesh, (f) => progress(0.3 * f, 'bvh'));
  const { positions, indices } = mesh;
  const normals = vertexNormals(positions, indices);
  const n = positions.length / 3;
  const thickness = new Float32Array(n);
  const query = new RaycastQuery(bvh);
  const hit = new RayHit();
  // Start a hair off the surface so the ray does not meet the triangles around its own vertex.
  const tMin = 1e-6 * Math.max(1, diagonal(positions));
  const order = mortonOrder(positions);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    for (let k = start; k < end; k++) {
      const v = order[k];
      const nx = normals[3 * v], ny = normals[3 * v + 1], nz = normals[3 * v + 2];
      if (nx === 0 && ny === 0 && nz === 0) {
        thickness[v] = NaN;
        continue;
      }
      thickness[v] = wallAcross(query, hit, bvh.corners, positions[3 * v], positions[3 * v + 1], positions[3 * v + 2], nx, ny, nz, tMin, maxMm);
    }
    progress(0.3 + (0.7 * end) / n, 'rays');
  }
  const areas = vertexAreas(positions, indices);
  const stats = thicknessStats(thickness, areas, limit);
  const classes = new Int8Array(n);
  for (let v = 0; v < n; v++) classes[v] = thickness[v] < limit ? 1 : 0;
  const regions = summarisePatches(positions, indices, thickness, areas, classes, 'min', options.regions);
  progress(1, 'done');
  return { thickness, stats, regions };
}

// Re-casts past a hit that cannot be the far wall, at most this many (a rough scan's
// neighbouring triangles, met at a graze).
const SKIPS = 3;

/**
 * Distance along −n from p to the far wall, or NaN. The far wall is met from inside (its
 * back) and faces away from p's own side (its normal against n); a back-face hit on a
 * triangle facing p's way is a rough neighbour grazed at the start, and the ray goes on past it.
 */
function wallAcross(
  query: RaycastQuery, hit: RayHit, corners: Float32Array,
  px: number, py: number, pz: number, nx: number, ny: number, nz: number, tMin: number, maxMm: number,
): number {
  let from = tMin;
  for (let attempt = 0; attempt <= SKIPS; attempt++) {
    if (!query.first(px, py, pz, -nx, -ny, -nz, from, maxMm, hit) || hit.front) return NaN;
    const o = 9 * hit.slot;
    const ux = corners[o + 3] - corners[o], uy = corners[o + 4] - corners[o + 1], uz = corners[o + 5] - corners[o + 2];
    const vx = corners[o + 6] - corners[o], vy = corners[o + 7] - corners[o + 1], vz = corners[o + 8] - corners[o + 2];
    const facing = (uy * vz - uz * vy) * nx + (uz * vx - ux * vz) * ny + (ux * vy - uy * vx) * nz;
    if (facing < 0) return hit.t;
    from = hit.t;
  }
  return NaN;
}

function thicknessStats(thickness: Float32Array, areas: Float32Array, limit: number): ThicknessStats {
  let total = 0, measured = 0, sum = 0, thin = 0, min = Infinity, max = 0;
  for (let v = 0; v < thickness.length; v++) {
    total += areas[v];
    const t = thickness[v];
    if (Number.isNaN(t)) continue;
    measured += areas[v];
    sum += areas[v] * t;
    if (t < limit) thin += areas[v];
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return {
    limitMm: limit,
    minMm: measured > 0 ? min : NaN,
    meanMm: measured > 0 ? sum / measured : NaN,
    p5Mm: measured > 0 ? weightedPercentile(thickness, areas, 0.05, max, measured) : NaN,
    thinAreaMm2: thin,
    measuredAreaMm2: measured,
    measuredFraction: total > 0 ? measured / total : 0,
  };
}

function diagonal(positions: Float32Array): number {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i++) {
    const k = i % 3;
    if (positions[i] < lo[k]) lo[k] = positions[i];
    if (positions[i] > hi[k]) hi[k] = positions[i];
  }
  return Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
}
