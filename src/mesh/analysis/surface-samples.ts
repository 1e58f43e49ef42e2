/**
 * Points spread evenly over a surface, by area rather than by vertex: scanners place their
 * points densely where the detail is, and registration driven by the vertices would let
 * those spots dominate. Seeded, so the same meshes always give the same samples.
 */

/** Sample points with the normal of the triangle each lies on. */
export interface SurfaceSamples {
  /** xyz per sample. */
  points: Float32Array;
  /** Unit face normal per sample. */
  normals: Float32Array;
}

/** `count` points spread uniformly over the area of the mesh (seeded). */
export function sampleSurface(positions: Float32Array, indices: Uint32Array, count: number, seed = 1): SurfaceSamples {
  return surfaceSampler(positions, indices)(count, seed);
}

/**
 * `sampleSurface` for several sample sets of one mesh: the running sum of the triangles'
 * areas, a pass over every triangle (~35 ms at 1M), is computed once for all of them.
 */
export function surfaceSampler(positions: Float32Array, indices: Uint32Array): (count: number, seed?: number) => SurfaceSamples {
  const triangles = indices.length / 3;
  const cumulative = new Float64Array(triangles);
  // Each sum from the one before it in the array, not from a running variable: a long loop
  // compiled while it runs kept such a variable boxed, a heap allocation per triangle.
  if (triangles > 0) cumulative[0] = twiceArea(positions, indices, 0);
  for (let t = 1; t < triangles; t++) cumulative[t] = cumulative[t - 1] + twiceArea(positions, indices, t);
  const total = triangles > 0 ? cumulative[triangles - 1] : 0;
  return (count, seed = 1) => samplesOf(positions, indices, cumulative, total, count, seed);
}

function samplesOf(positions: Float32Array, indices: Uint32Array, cumulative: Float64Array, total: number, count: number, seed: number): SurfaceSamples {
  const points = new Float32Array(3 * count);
  const normals = new Float32Array(3 * count);
  if (total === 0) return { points: new Float32Array(0), normals: new Float32Array(0) };
  const random = mulberry32(seed);
  for (let s = 0; s < count; s++) {
    const t = upperBound(cumulative, random() * total);
    const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
    // Uniform in the triangle: fold the unit square's upper half back into it.
    let u = random();
    let v = random();
    if (u + v > 1) {
      u = 1 - u;
      v = 1 - v;
    }
    const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
    points[3 * s] = positions[a] + u * ux + v * vx;
    points[3 * s + 1] = positions[a + 1] + u * uy + v * vy;
    points[3 * s + 2] = positions[a + 2] + u * uz + v * vz;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const l = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    normals[3 * s] = nx / l;
    normals[3 * s + 1] = ny / l;
    normals[3 * s + 2] = nz / l;
  }
  return { points, normals };
}

function twiceArea(positions: Float32Array, indices: Uint32Array, t: number): number {
  const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
  const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
  const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  // Math.sqrt, not Math.hypot, here and above: V8 calls hypot instead of compiling it into
  // the loop, ten times slower, with a heap allocation per call.
  return Math.sqrt(nx * nx + ny * ny + nz * nz);
}

/** First index whose cumulative value exceeds x. */
function upperBound(cumulative: Float64Array, x: number): number {
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** mulberry32: a small, fast seeded generator in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
