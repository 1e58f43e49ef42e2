/**
 * Rigid motions as column-major 4×4 matrices (glTF's and three.js's layout) in plain
 * arrays of 16 numbers, so they go into JSON as they are.
 */

/** Column-major 4×4: element (row r, column c) at `m[4 * c + r]`; translation in 12, 13, 14. */
export type Mat4 = number[];

export function identity(): Mat4 {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** a · b (apply b first, then a). */
export function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[4 * k + r] * b[4 * c + k];
      out[4 * c + r] = s;
    }
  }
  return out;
}

/** The rotation by `angle` radians about the unit `axis` through `center`. */
export function rotationAbout(axis: ArrayLike<number>, angle: number, center: ArrayLike<number> = [0, 0, 0]): Mat4 {
  const [x, y, z] = [axis[0], axis[1], axis[2]];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  const m = identity();
  m[0] = c + x * x * k;
  m[1] = y * x * k + z * s;
  m[2] = z * x * k - y * s;
  m[4] = x * y * k - z * s;
  m[5] = c + y * y * k;
  m[6] = z * y * k + x * s;
  m[8] = x * z * k + y * s;
  m[9] = y * z * k - x * s;
  m[10] = c + z * z * k;
  // Keep `center` fixed: t = center − R·center.
  for (let r = 0; r < 3; r++) m[12 + r] = center[r] - (m[r] * center[0] + m[4 + r] * center[1] + m[8 + r] * center[2]);
  return m;
}

/** A pure translation. */
export function translation(x: number, y: number, z: number): Mat4 {
  const m = identity();
  m[12] = x;
  m[13] = y;
  m[14] = z;
  return m;
}

/** The inverse of a rigid motion (rotation transposed, translation turned back). */
export function invertRigid(m: Mat4): Mat4 {
  const out = identity();
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[4 * c + r] = m[4 * r + c];
  for (let r = 0; r < 3; r++) out[12 + r] = -(out[r] * m[12] + out[4 + r] * m[13] + out[8 + r] * m[14]);
  return out;
}

/** The rotation angle of a rigid motion, in degrees (0 for a pure translation). */
export function rotationDegrees(m: Mat4): number {
  const cos = (m[0] + m[5] + m[10] - 1) / 2;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** Positions moved by `m`, as a new Float32Array (computed in doubles). */
export function transformPositions(positions: Float32Array, m: Mat4): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    out[i] = m[0] * x + m[4] * y + m[8] * z + m[12];
    out[i + 1] = m[1] * x + m[5] * y + m[9] * z + m[13];
    out[i + 2] = m[2] * x + m[6] * y + m[10] * z + m[14];
  }
  return out;
}

/** True when every element is the identity's within `tolerance`. */
export function isIdentity(m: Mat4, tolerance = 0): boolean {
  const id = identity();
  return m.every((v, i) => Math.abs(v - id[i]) <= tolerance);
}
