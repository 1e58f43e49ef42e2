/**
 * Triangle/triangle overlap test: Guigue & Devillers, "Fast and robust triangle-triangle
 * overlap test using orientation predicates" (JGT 2003).
 *
 * It decides everything from the signs of orientation determinants, so unlike interval
 * methods (Möller 1997, which Open3D uses) it needs no division. Triangles are closed sets:
 * touching at a point or along an edge counts as overlapping. Inputs are float32
 * coordinates widened to doubles, where the differences are exact and only the products
 * round; the one tolerance is for deciding that a corner lies in the other triangle's plane
 * (see `side`).
 *
 * Coordinates are passed in one scratch array of 18 doubles, `p1 q1 r1 p2 q2 r2`, so the
 * hot loop allocates nothing; internally a vertex is its offset into that array.
 */

const P1 = 0, Q1 = 3, R1 = 6, P2 = 9, Q2 = 12, R2 = 15;

let c: Float64Array = new Float64Array(18);
const flat = new Float64Array(12);

/**
 * True when triangle (p1, q1, r1) and triangle (p2, q2, r2) share at least one point.
 * `coords` holds the 18 coordinates in that order. Degenerate (zero-area) triangles are
 * not supported: callers skip them.
 */
export function trianglesIntersect(coords: Float64Array): boolean {
  c = coords;
  // Where triangle 1's corners lie relative to triangle 2's plane.
  const bx = c[P2] - c[R2], by = c[P2 + 1] - c[R2 + 1], bz = c[P2 + 2] - c[R2 + 2];
  const ex = c[Q2] - c[R2], ey = c[Q2 + 1] - c[R2 + 1], ez = c[Q2 + 2] - c[R2 + 2];
  const n2x = by * ez - bz * ey, n2y = bz * ex - bx * ez, n2z = bx * ey - by * ex;
  normal[0] = n2x;
  normal[1] = n2y;
  normal[2] = n2z;
  normal[3] = Math.abs(by * ez) + Math.abs(bz * ey);
  normal[4] = Math.abs(bz * ex) + Math.abs(bx * ez);
  normal[5] = Math.abs(bx * ey) + Math.abs(by * ex);
  side(0, P1, R2);
  side(1, Q1, R2);
  side(2, R1, R2);
  const dp1 = sides[0], dq1 = sides[1], dr1 = sides[2];
  if (dp1 * dq1 > 0 && dp1 * dr1 > 0) return false;
  // Where triangle 2's corners lie relative to triangle 1's plane.
  const fx = c[Q1] - c[P1], fy = c[Q1 + 1] - c[P1 + 1], fz = c[Q1 + 2] - c[P1 + 2];
  const gx = c[R1] - c[P1], gy = c[R1 + 1] - c[P1 + 1], gz = c[R1 + 2] - c[P1 + 2];
  const n1x = fy * gz - fz * gy, n1y = fz * gx - fx * gz, n1z = fx * gy - fy * gx;
  normal[0] = n1x;
  normal[1] = n1y;
  normal[2] = n1z;
  normal[3] = Math.abs(fy * gz) + Math.abs(fz * gy);
  normal[4] = Math.abs(fz * gx) + Math.abs(fx * gz);
  normal[5] = Math.abs(fx * gy) + Math.abs(fy * gx);
  side(3, P2, R1);
  side(4, Q2, R1);
  side(5, R2, R1);
  const dp2 = sides[3], dq2 = sides[4], dr2 = sides[5];
  if (dp2 * dq2 > 0 && dp2 * dr2 > 0) return false;

  // Rotate triangle 1 so that p1 is alone on its side of plane 2, then hand over.
  if (dp1 > 0) {
    if (dq1 > 0) return tri3d(R1, P1, Q1, P2, R2, Q2);
    if (dr1 > 0) return tri3d(Q1, R1, P1, P2, R2, Q2);
    return tri3d(P1, Q1, R1, P2, Q2, R2);
  }
  if (dp1 < 0) {
    if (dq1 < 0) return tri3d(R1, P1, Q1, P2, Q2, R2);
    if (dr1 < 0) return tri3d(Q1, R1, P1, P2, Q2, R2);
    return tri3d(P1, Q1, R1, P2, R2, Q2);
  }
  if (dq1 < 0) {
    if (dr1 >= 0) return tri3d(Q1, R1, P1, P2, R2, Q2);
    return tri3d(P1, Q1, R1, P2, Q2, R2);
  }
  if (dq1 > 0) {
    if (dr1 > 0) return tri3d(P1, Q1, R1, P2, R2, Q2);
    return tri3d(Q1, R1, P1, P2, Q2, R2);
  }
  if (dr1 > 0) return tri3d(R1, P1, Q1, P2, Q2, R2);
  if (dr1 < 0) return tri3d(R1, P1, Q1, P2, R2, Q2);
  return coplanar();
}

// The plane `side` tests against: its normal n and the normal's components summed as
// magnitudes (m); then the six results. Module arrays rather than arguments and return
// values: `side` is not always inlined, and a double passed to or returned from a call
// that is not is boxed in a new heap object (40 MB a self-intersection test at 1M).
const normal = new Float64Array(6);
const sides = new Float64Array(6);

/**
 * Which side of `normal`'s plane through vertex o vertex v lies on, into `sides[k]`:
 * (v - o) . n, or 0 when that is within rounding of zero. A result smaller than 1e-10 of
 * the matching magnitude sum is noise — of the arithmetic, or of coordinates that were
 * computed (a node transform turns an exact 0 into 2e-15) — and the point is taken as lying
 * in the plane, so nearly coplanar triangles go to the 2D test instead of an
 * ill-conditioned 3D one.
 */
function side(k: number, v: number, o: number): void {
  const ax = c[v] - c[o], ay = c[v + 1] - c[o + 1], az = c[v + 2] - c[o + 2];
  const d = ax * normal[0] + ay * normal[1] + az * normal[2];
  const scale = Math.abs(ax) * normal[3] + Math.abs(ay) * normal[4] + Math.abs(az) * normal[5];
  sides[k] = Math.abs(d) <= COPLANAR * scale ? 0 : d;
}

const COPLANAR = 1e-10;

/**
 * Second stage: rotate triangle 2 so that p2 is alone on its side of plane 1. Its corners'
 * sides are read from `sides` (corner offset 9, 12, 15 → entry 3, 4, 5), not passed: a call
 * that is not inlined boxes every double it is given.
 */
function tri3d(p1: number, q1: number, r1: number, p2: number, q2: number, r2: number): boolean {
  const dp2 = sides[p2 / 3], dq2 = sides[q2 / 3], dr2 = sides[r2 / 3];
  if (dp2 > 0) {
    if (dq2 > 0) return minMax(p1, r1, q1, r2, p2, q2);
    if (dr2 > 0) return minMax(p1, r1, q1, q2, r2, p2);
    return minMax(p1, q1, r1, p2, q2, r2);
  }
  if (dp2 < 0) {
    if (dq2 < 0) return minMax(p1, q1, r1, r2, p2, q2);
    if (dr2 < 0) return minMax(p1, q1, r1, q2, r2, p2);
    return minMax(p1, r1, q1, p2, q2, r2);
  }
  if (dq2 < 0) {
    if (dr2 >= 0) return minMax(p1, r1, q1, q2, r2, p2);
    return minMax(p1, q1, r1, p2, q2, r2);
  }
  if (dq2 > 0) {
    if (dr2 > 0) return minMax(p1, r1, q1, p2, q2, r2);
    return minMax(p1, q1, r1, q2, r2, p2);
  }
  if (dr2 > 0) return minMax(p1, q1, r1, r2, p2, q2);
  if (dr2 < 0) return minMax(p1, r1, q1, r2, p2, q2);
  return coplanar();
}

/** ((b - o) x (d - o)) . (e - o) > 0 (a boolean, not the double: see `tri3d`). */
function positiveTriple(o: number, b: number, d: number, e: number): boolean {
  const bx = c[b] - c[o], by = c[b + 1] - c[o + 1], bz = c[b + 2] - c[o + 2];
  const dx = c[d] - c[o], dy = c[d + 1] - c[o + 1], dz = c[d + 2] - c[o + 2];
  const ex = c[e] - c[o], ey = c[e + 1] - c[o + 1], ez = c[e + 2] - c[o + 2];
  return (by * dz - bz * dy) * ex + (bz * dx - bx * dz) * ey + (bx * dy - by * dx) * ez > 0;
}

/** The two segments where the triangles cross their planes' line overlap iff both tests hold. */
function minMax(p1: number, q1: number, r1: number, p2: number, q2: number, r2: number): boolean {
  if (positiveTriple(q1, p2, p1, q2)) return false;
  if (positiveTriple(p1, p2, r1, r2)) return false;
  return true;
}

/**
 * Both triangles lie in one plane: project onto the axis plane where they are largest and
 * test in 2D. `normal` still holds triangle 1's normal.
 */
function coplanar(): boolean {
  const nx = Math.abs(normal[0]), ny = Math.abs(normal[1]), nz = Math.abs(normal[2]);
  let u = 0, v = 1;
  if (nx > nz && nx >= ny) {
    u = 1;
    v = 2;
  } else if (ny > nz && ny >= nx) {
    u = 0;
    v = 2;
  }
  for (let k = 0; k < 6; k++) {
    flat[2 * k] = c[3 * k + u];
    flat[2 * k + 1] = c[3 * k + v];
  }
  // 2D vertices are offsets into `flat`: triangle 1 at 0, 2, 4; triangle 2 at 6, 8, 10.
  const ccw1 = orient2d(0, 2, 4) >= 0;
  const ccw2 = orient2d(6, 8, 10) >= 0;
  return ccwOverlap(0, ccw1 ? 2 : 4, ccw1 ? 4 : 2, 6, ccw2 ? 8 : 10, ccw2 ? 10 : 8);
}

function orient2d(a: number, b: number, o: number): number {
  return (flat[a] - flat[o]) * (flat[b + 1] - flat[o + 1]) - (flat[a + 1] - flat[o + 1]) * (flat[b] - flat[o]);
}

/** Two counter-clockwise 2D triangles overlap: locate p1 among the regions cut by triangle 2's edge lines. */
function ccwOverlap(p1: number, q1: number, r1: number, p2: number, q2: number, r2: number): boolean {
  if (orient2d(p2, q2, p1) >= 0) {
    if (orient2d(q2, r2, p1) >= 0) {
      if (orient2d(r2, p2, p1) >= 0) return true;
      return edgeTest(p1, q1, r1, p2, q2, r2);
    }
    if (orient2d(r2, p2, p1) >= 0) return edgeTest(p1, q1, r1, r2, p2, q2);
    return vertexTest(p1, q1, r1, p2, q2, r2);
  }
  if (orient2d(q2, r2, p1) >= 0) {
    if (orient2d(r2, p2, p1) >= 0) return edgeTest(p1, q1, r1, q2, r2, p2);
    return vertexTest(p1, q1, r1, q2, r2, p2);
  }
  return vertexTest(p1, q1, r1, r2, p2, q2);
}

/** p1 lies in the region facing vertex p2 of triangle 2. */
function vertexTest(p1: number, q1: number, r1: number, p2: number, q2: number, r2: number): boolean {
  if (orient2d(r2, p2, q1) >= 0) {
    if (orient2d(r2, q2, q1) <= 0) {
      if (orient2d(p1, p2, q1) > 0) return orient2d(p1, q2, q1) <= 0;
      return orient2d(p1, p2, r1) >= 0 && orient2d(q1, r1, p2) >= 0;
    }
    return orient2d(p1, q2, q1) <= 0 && orient2d(r2, q2, r1) <= 0 && orient2d(q1, r1, q2) >= 0;
  }
  if (orient2d(r2, p2, r1) >= 0) {
    if (orient2d(q1, r1, r2) >= 0) return orient2d(p1, p2, r1) >= 0;
    return orient2d(q1, r1, q2) >= 0 && orient2d(r2, r1, q2) >= 0;
  }
  return false;
}

/** p1 lies in the region facing edge (p2, q2) of triangle 2. */
function edgeTest(p1: number, q1: number, r1: number, p2: number, _q2: number, r2: number): boolean {
  if (orient2d(r2, p2, q1) >= 0) {
    if (orient2d(p1, p2, q1) >= 0) return orient2d(p1, q1, r2) >= 0;
    return orient2d(q1, r1, p2) >= 0 && orient2d(r1, p1, p2) >= 0;
  }
  if (orient2d(r2, p2, r1) >= 0) {
    return orient2d(p1, p2, r1) >= 0 && (orient2d(p1, r1, r2) >= 0 || orient2d(q1, r1, r2) >= 0);
  }
  return false;
}
