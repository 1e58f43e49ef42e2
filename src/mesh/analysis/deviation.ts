/**
 * Deviation: the signed distance of every vertex of one surface to another, with the
 * clinician's statistics and the patches that moved.
 */
import type { IndexedMesh } from '../mesh.js';
import { findRegions, type Region, type RegionOptions } from './regions.js';
import { signedDistanceRange, type DistanceTarget, type SignedDistanceOptions } from './signed-distance.js';
import { mortonOrder } from './spatial-order.js';
import { DEFAULT_THRESHOLDS, distanceStats, type DistanceStats } from './statistics.js';
import { vertexAreas } from './surface.js';

// Points per progress report: frequent enough for a progress bar, rare enough to cost nothing.
const CHUNK = 65536;

/**
 * Signed distance (mm) of every point of `points` (xyz) to `target`, in spatial order for
 * speed; NaN where a point has no counterpart. Single-threaded: to use more cores, split
 * `mortonOrder(points)` into ranges and call `signedDistanceRange` on each.
 */
export function signedDistances(
  points: Float32Array,
  target: DistanceTarget,
  options: SignedDistanceOptions = {},
  onProgress?: (fraction: number) => void,
): Float32Array {
  const n = points.length / 3;
  const order = mortonOrder(points);
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += CHUNK) {
    signedDistanceRange(target, points, order, start, Math.min(n, start + CHUNK), options, out);
    onProgress?.(Math.min(n, start + CHUNK) / n);
  }
  return out;
}

/** A deviation map and its summary. */
export interface Deviation {
  /** Per vertex of the measured mesh, mm; NaN for no counterpart. */
  distances: Float32Array;
  stats: DistanceStats;
  /** Connected patches that moved more than the region threshold, largest first. */
  regions: Region[];
}

/** Options of `measureDeviation`. */
export interface DeviationOptions extends SignedDistanceOptions {
  /** Thresholds (mm) of `stats.areaOver` (default 0.1, 0.2, 0.5). */
  thresholds?: readonly number[];
  regions?: RegionOptions;
  onProgress?: (fraction: number) => void;
}

/** The deviation of the welded `mesh` (moved by `options.transform`, if given) from `target`. */
export function measureDeviation(mesh: IndexedMesh, target: DistanceTarget, options: DeviationOptions = {}): Deviation {
  const distances = signedDistances(mesh.positions, target, options, options.onProgress);
  const areas = vertexAreas(mesh.positions, mesh.indices);
  return summarise(mesh, distances, areas, options);
}

/** Statistics and regions of a distance map over `mesh`. */
export function summarise(mesh: IndexedMesh, distances: Float32Array, areas: Float32Array, options: Pick<DeviationOptions, 'thresholds' | 'regions'> = {}): Deviation {
  const stats = distanceStats(distances, areas, options.thresholds ?? DEFAULT_THRESHOLDS);
  const regions = findRegions(mesh.positions, mesh.indices, distances, areas, options.regions);
  return { distances, stats, regions };
}
