/**
 * Column-major 4×4 matrices (glTF's layout) in Float64Array, for baking node transforms
 * and instances into vertex positions.
 */

export type Mat4 = Float64Array;

export function identity(): Mat4 {
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  return m;
}

export function isIdentity(m: Mat4): boolean {
  for (let i = 0; i < 16; i++) if (m[i] !== (i % 5 === 0 ? 1 : 0)) return false;
  return true;
}

/** a · b */
export function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r] * b[c * 4 + k];
      out[c * 4 + r] = s;
    }
  }
  return out;
}

/** Translation · rotation (unit quaternion xyzw) · scale. */
export function fromTRS(t: ArrayLike<number>, q: ArrayLike<number>, s: ArrayLike<number>): Mat4 {
  const [x, y, z, w] = [q[0], q[1], q[2], q[3]];
  const m = new Float64Array(16);
  m[0] = (1 - 2 * (y * y + z * z)) * s[0];
  m[1] = 2 * (x * y + z * w) * s[0];
  m[2] = 2 * (x * z - y * w) * s[0];
  m[4] = 2 * (x * y - z * w) * s[1];
  m[5] = (1 - 2 * (x * x + z * z)) * s[1];
  m[6] = 2 * (y * z + x * w) * s[1];
  m[8] = 2 * (x * z + y * w) * s[2];
  m[9] = 2 * (y * z - x * w) * s[2];
  m[10] = (1 - 2 * (x * x + y * y)) * s[2];
  m[12] = t[0];
  m[13] = t[1];
  m[14] = t[2];
  m[15] = 1;
  return m;
}

/** Determinant of the upper-left 3×3 (negative for a mirroring transform). */
export function determinant3(m: Mat4): number {
  return (
    m[0] * (m[5] * m[10] - m[9] * m[6]) -
    m[4] * (m[1] * m[10] - m[9] * m[2]) +
    m[8] * (m[1] * m[6] - m[5] * m[2])
  );
}

/**
 * The 3×3 matrix that maps normals (the inverse transpose of the upper-left 3×3, up to a
 * positive factor), column-major in 9 numbers.
 */
export function normalMatrix(m: Mat4): Float64Array {
  const sign = determinant3(m) < 0 ? -1 : 1;
  const [a, b, c, d, e, f, g, h, i] = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  // Cofactor matrix = det · inverse-transpose; its columns here follow the input layout.
  return Float64Array.from([
    e * i - h * f, -(d * i - g * f), d * h - g * e,
    -(b * i - h * c), a * i - g * c, -(a * h - g * b),
    b * f - e * c, -(a * f - d * c), a * e - d * b,
  ].map((v) => v * sign));
}
