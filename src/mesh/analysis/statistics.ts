/**
 * The figures a clinician reads off a deviation, clearance or thickness map. Every figure
 * is weighted by the surface area each vertex stands for (`vertexAreas`), so a densely
 * scanned spot does not outvote a sparse one. Vertices without a value (NaN) are left out;
 * the share of the area that has one is the overlap.
 */

/** Statistics of signed per-vertex distances, in mm and mm². */
export interface DistanceStats {
  /** Area-weighted mean of the signed distances (positive: outward, material added). */
  mean: number;
  /** Area-weighted mean of the absolute distances. */
  meanAbs: number;
  /** Root mean square. */
  rms: number;
  /** 95th percentile of the absolute distances (by area). */
  p95: number;
  /** Largest absolute distance. */
  max: number;
  /** Largest positive distance (0 when none). */
  maxOut: number;
  /** Most negative distance (0 when none). */
  maxIn: number;
  /** Area (mm²) whose absolute distance exceeds each threshold, keyed by the threshold as written ('0.1', '0.2', '0.5'). */
  areaOver: Record<string, number>;
  /** Area (mm²) with a value. */
  measuredArea: number;
  /** measuredArea over the whole area (0..1). */
  overlap: number;
  /** Area (mm²) without a value: on a deviation, where the other scan has no counterpart (beyond its border, or facing away). */
  nonOverlapArea: number;
}

/** Thresholds of `areaOver` (mm): the movement clinicians tell apart. */
export const DEFAULT_THRESHOLDS = [0.1, 0.2, 0.5];

// Resolution of the percentile: the histogram has this many bins up to the largest value
// (1.2 µm per bin at 5 mm), and the answer is interpolated within its bin.
const BINS = 4096;

/** Area-weighted statistics of `distances` (NaN = no value) over vertices of area `areas`. */
export function distanceStats(distances: Float32Array, areas: Float32Array, thresholds: readonly number[] = DEFAULT_THRESHOLDS): DistanceStats {
  // Summed a block at a time, in vertex order (see `sumBlock`).
  const sums = new Float64Array(SUMS + thresholds.length);
  const limits = Float64Array.from(thresholds);
  for (let from = 0; from < distances.length; from += BLOCK) sumBlock(distances, areas, from, Math.min(from + BLOCK, distances.length), limits, sums);
  const [total, measured, sum, sumAbs, sumSq, max, maxOut, maxIn] = sums;
  const over = sums.subarray(SUMS);
  const areaOver: Record<string, number> = {};
  thresholds.forEach((t, k) => (areaOver[String(t)] = over[k]));
  const w = measured > 0 ? 1 / measured : 0;
  return {
    mean: sum * w,
    meanAbs: sumAbs * w,
    rms: Math.sqrt(sumSq * w),
    p95: weightedPercentile(distances, areas, 0.95, max, measured),
    max,
    maxOut,
    maxIn,
    areaOver,
    measuredArea: measured,
    overlap: total > 0 ? measured / total : 0,
    nonOverlapArea: total - measured,
  };
}

/** Vertices summed by one call of `sumBlock`. */
const BLOCK = 16384;

/** The running figures `sumBlock` keeps, then the area over each threshold. */
const SUMS = 8;

/**
 * Add vertices `from .. to` to `sums`: total area, measured area, the area-weighted sums of
 * d, |d| and d², the largest |d|, the largest d and the smallest (then the area over each
 * of `limits`). The figures are kept in `sums` itself, not in locals, and the function is
 * called per block (see `sumBlock` in ../report/measure.ts: code V8 compiles while a long
 * loop runs boxed the doubles carried across iterations, and gave up at stores after the
 * loop). The sums are added in the same order as one plain loop adds them.
 */
function sumBlock(distances: Float32Array, areas: Float32Array, from: number, to: number, limits: Float64Array, sums: Float64Array): void {
  for (let i = from; i < to; i++) {
    const a = areas[i];
    sums[0] += a;
    const d = distances[i];
    if (Number.isNaN(d)) continue;
    const abs = Math.abs(d);
    sums[1] += a;
    sums[2] += a * d;
    sums[3] += a * abs;
    sums[4] += a * d * d;
    if (abs > sums[5]) sums[5] = abs;
    if (d > sums[6]) sums[6] = d;
    if (d < sums[7]) sums[7] = d;
    for (let k = 0; k < limits.length; k++) if (abs > limits[k]) sums[SUMS + k] += a;
  }
}

/** The `q` quantile of |distances| by area, from a histogram over [0, max]. */
export function weightedPercentile(distances: Float32Array, areas: Float32Array, q: number, max: number, measured: number): number {
  if (!(max > 0) || !(measured > 0)) return 0;
  const bins = new Float64Array(BINS);
  const scale = BINS / max;
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i];
    if (Number.isNaN(d)) continue;
    bins[Math.min(BINS - 1, (Math.abs(d) * scale) | 0)] += areas[i];
  }
  const goal = q * measured;
  let below = 0;
  for (let b = 0; b < BINS; b++) {
    if (below + bins[b] >= goal && bins[b] > 0) return (b + (goal - below) / bins[b]) / scale;
    below += bins[b];
  }
  return max;
}
