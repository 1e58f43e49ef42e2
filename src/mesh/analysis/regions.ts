/**
 * Regions: the connected patches of a surface where something happened (moved more than a
 * threshold, thinner than a limit, in contact), each summed up with its area, mean, peak
 * and centre, largest first. A patch is a set of marked vertices joined through the mesh's
 * edges; vertices of different classes (e.g. moved outward and moved inward) never join.
 */
import { findRoot, resetSets, unite } from '../report/union-find.js';

/** One patch of a map, as the result JSON carries it. */
export interface Region {
  /** +1 when the patch's peak value is positive (moved outward), −1 when negative (moved inward; a penetration). */
  sign: 1 | -1;
  /** Area of the patch, mm². */
  areaMm2: number;
  /** Area-weighted mean of the values over the patch, mm. */
  meanMm: number;
  /**
   * The patch's peak value, mm: on a deviation map the value farthest from zero (signed);
   * on a thickness or clearance map the smallest (the thinnest wall, the tightest contact).
   */
  maxMm: number;
  /** Area-weighted centre of the patch, in the frame of the mesh it was found on. */
  centroid: [number, number, number];
  /** Number of vertices in the patch. */
  vertices: number;
}

/** Options of `findRegions`. */
export interface RegionOptions {
  /** Deviation maps: a vertex belongs to a patch when |value| exceeds this (mm). Default 0.1. */
  threshold?: number;
  /** Patches smaller than this (mm²) are left out (specks of noise). Default 0.25. */
  minArea?: number;
  /** At most this many patches, the largest. Default 20. */
  limit?: number;
}

/**
 * Label the connected patches of marked vertices: `classes[v]` 0 for unmarked, otherwise a
 * class; an edge joins its two vertices when both carry the same class. Returns each
 * vertex's patch root (−1 for unmarked).
 */
export function labelPatches(indices: Uint32Array, classes: Int8Array): Int32Array {
  const parent = resetSets(new Int32Array(classes.length));
  for (let h = 0; h < indices.length; h += 3) {
    const a = indices[h], b = indices[h + 1], c = indices[h + 2];
    const ca = classes[a], cb = classes[b], cc = classes[c];
    if (ca !== 0 && ca === cb) unite(parent, a, b);
    if (cb !== 0 && cb === cc) unite(parent, b, c);
    if (cc !== 0 && cc === ca) unite(parent, c, a);
  }
  const labels = new Int32Array(classes.length);
  for (let v = 0; v < classes.length; v++) labels[v] = classes[v] === 0 ? -1 : findRoot(parent, v);
  return labels;
}

/**
 * The patches where |values| exceeds `threshold`, split by sign, largest first (a
 * deviation map). NaN values belong to no patch.
 */
export function findRegions(positions: Float32Array, indices: Uint32Array, values: Float32Array, areas: Float32Array, options: RegionOptions = {}): Region[] {
  const threshold = options.threshold ?? 0.1;
  const classes = new Int8Array(values.length);
  for (let v = 0; v < values.length; v++) {
    const d = values[v];
    if (d > threshold) classes[v] = 1;
    else if (d < -threshold) classes[v] = -1;
  }
  return summarisePatches(positions, indices, values, areas, classes, 'magnitude', options);
}

/**
 * The patches of marked vertices (`classes`, see `labelPatches`), largest first. Each
 * patch's `maxMm` is its value farthest from zero (`peak` 'magnitude': how far it moved) or
 * its smallest value ('min': the thinnest wall, the tightest contact).
 */
export function summarisePatches(
  positions: Float32Array,
  indices: Uint32Array,
  values: Float32Array,
  areas: Float32Array,
  classes: Int8Array,
  peak: 'magnitude' | 'min',
  options: RegionOptions = {},
): Region[] {
  const minArea = options.minArea ?? 0.25;
  const limit = options.limit ?? 20;
  const labels = labelPatches(indices, classes);
  const byRoot = new Map<number, { area: number; sum: number; peak: number; cx: number; cy: number; cz: number; count: number }>();
  for (let v = 0; v < labels.length; v++) {
    const root = labels[v];
    if (root < 0) continue;
    let r = byRoot.get(root);
    if (!r) byRoot.set(root, (r = { area: 0, sum: 0, peak: values[v], cx: 0, cy: 0, cz: 0, count: 0 }));
    const a = areas[v];
    const d = values[v];
    r.area += a;
    r.sum += a * d;
    if (peak === 'magnitude' ? Math.abs(d) > Math.abs(r.peak) : d < r.peak) r.peak = d;
    r.cx += a * positions[3 * v];
    r.cy += a * positions[3 * v + 1];
    r.cz += a * positions[3 * v + 2];
    r.count++;
  }
  const regions: Region[] = [];
  for (const r of byRoot.values()) {
    if (r.area < minArea || r.area === 0) continue;
    regions.push({
      sign: r.peak >= 0 ? 1 : -1,
      areaMm2: r.area,
      meanMm: r.sum / r.area,
      maxMm: r.peak,
      centroid: [r.cx / r.area, r.cy / r.area, r.cz / r.area],
      vertices: r.count,
    });
  }
  regions.sort((x, y) => y.areaMm2 - x.areaMm2);
  return regions.slice(0, limit);
}
