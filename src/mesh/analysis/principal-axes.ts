/**
 * Centroid and principal axes of a point set: the coarse pose of a scan. A dental arch is
 * wide, deep and flat, so its axis of least variance is the occlusal direction; registration
 * uses the axes for its first guesses and the renderer to look at a jaw from above.
 */

/** The pose of a point set. */
export interface PrincipalAxes {
  centroid: [number, number, number];
  /** Unit axes, largest variance first; right-handed (axes[2] = axes[0] × axes[1]). */
  axes: [number, number, number][];
  /** Variance along each axis, largest first (mm²). */
  variances: [number, number, number];
}

/** Principal axes of `points` (xyz), optionally weighted per point. */
export function principalAxes(points: ArrayLike<number>, weights?: ArrayLike<number>): PrincipalAxes {
  const n = points.length / 3;
  let w = 0, cx = 0, cy = 0, cz = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i] : 1;
    w += wi;
    cx += wi * points[3 * i];
    cy += wi * points[3 * i + 1];
    cz += wi * points[3 * i + 2];
  }
  if (w > 0) {
    cx /= w;
    cy /= w;
    cz /= w;
  }
  const c = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i] : 1;
    const x = points[3 * i] - cx, y = points[3 * i + 1] - cy, z = points[3 * i + 2] - cz;
    c[0] += wi * x * x;
    c[1] += wi * x * y;
    c[2] += wi * x * z;
    c[4] += wi * y * y;
    c[5] += wi * y * z;
    c[8] += wi * z * z;
  }
  c[3] = c[1];
  c[6] = c[2];
  c[7] = c[5];
  if (w > 0) for (let k = 0; k < 9; k++) c[k] /= w;
  const { values, vectors } = symmetricEigen3(c);
  const order = [0, 1, 2].sort((a, b) => values[b] - values[a]);
  const axes = order.map((k) => [vectors[k], vectors[3 + k], vectors[6 + k]] as [number, number, number]);
  const [a, b] = axes;
  axes[2] = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  return {
    centroid: [cx, cy, cz],
    axes,
    variances: [values[order[0]], values[order[1]], values[order[2]]],
  };
}

/**
 * Eigenvalues and eigenvectors of a symmetric 3×3 matrix (row-major) by cyclic Jacobi
 * rotations; eigenvector k is column k of `vectors` (row-major).
 */
export function symmetricEigen3(m: ArrayLike<number>): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
    if (off < 1e-30 * (a[0] * a[0] + a[4] * a[4] + a[8] * a[8]) || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      const apq = a[3 * p + q];
      if (apq === 0) continue;
      const theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      // a ← Jᵀ a J, v ← v J for the rotation J in the (p, q) plane.
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p], akq = a[3 * k + q];
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k], aqk = a[3 * q + k];
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p], vkq = v[3 * k + q];
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [a[0], a[4], a[8]], vectors: v };
}
