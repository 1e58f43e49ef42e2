/**
 * Triangulating the polygons of OBJ and PLY faces so the triangles cover the polygon
 * exactly once. A fan from the first corner is right only for convex polygons: on a concave
 * one its triangles overlap and stick out (a 66-corner concave face fanned came to 13× its
 * area, with false non-manifold edges). Here the polygon is projected onto its best-fit
 * plane (the Newell normal, which is robust for non-planar and concave polygons alike) and
 * ear-clipped in 2D; collinear and repeated corners are clipped last, as zero-area ears,
 * so a polygon of k corners always gives k − 2 triangles (the readers' group ranges rely on
 * that count).
 */

// Above this many corners ear clipping (quadratic to cubic in the corners) would stall a
// reader on a hostile file: such a polygon is fanned. No scanner writes polygons this big.
const MAX_EAR_CLIPPED = 4096;

/**
 * Triangles of the polygon whose corners are vertices `corners[0..count)` of `positions`
 * (xyz): writes 3·(count − 2) corner numbers (0..count−1) into `out` and returns it. A
 * convex quad keeps the fan's split (0, 1, 2)(0, 2, 3): the fast path.
 */
export function triangulatePolygon(positions: ArrayLike<number>, corners: ArrayLike<number>, count: number, out: Uint32Array = new Uint32Array(3 * (count - 2))): Uint32Array {
  // Newell normal.
  let nx = 0, ny = 0, nz = 0;
  for (let i = 0; i < count; i++) {
    const a = 3 * corners[i], b = 3 * corners[(i + 1) % count];
    nx += (positions[a + 1] - positions[b + 1]) * (positions[a + 2] + positions[b + 2]);
    ny += (positions[a + 2] - positions[b + 2]) * (positions[a] + positions[b]);
    nz += (positions[a] - positions[b]) * (positions[a + 1] + positions[b + 1]);
  }
  if (count === 4 && quadFanFits(positions, corners[0], corners[1], corners[2], corners[3])) return fan(count, out);
  if (count > MAX_EAR_CLIPPED || !(Math.abs(nx) + Math.abs(ny) + Math.abs(nz) > 0)) return fan(count, out);
  // Project onto the plane: drop the normal's largest axis, keeping the winding counter-clockwise.
  const ax = Math.abs(nx), ay = Math.abs(ny), az = Math.abs(nz);
  const [u, v, sign] = az >= ax && az >= ay ? [0, 1, nz] : ax >= ay ? [1, 2, nx] : [2, 0, ny];
  const flip = sign < 0 ? -1 : 1;
  const xs = new Float64Array(count), ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    xs[i] = positions[3 * corners[i] + u];
    ys[i] = flip * positions[3 * corners[i] + v];
  }
  earClip(xs, ys, count, out);
  return out;
}

/** The fan from corner 0. */
function fan(count: number, out: Uint32Array): Uint32Array {
  for (let k = 1; k + 1 < count; k++) {
    out[3 * (k - 1)] = 0;
    out[3 * (k - 1) + 1] = k;
    out[3 * (k - 1) + 2] = k + 1;
  }
  return out;
}

/**
 * True when the split of quad a, b, c, d along the diagonal a–c gives two triangles facing
 * the same way (their normals' dot product not negative; a zero-area half fits any split):
 * every convex quad, and a concave one
 * whose inner corner is a or c. Either split of a non-planar quad fits; the fan's is kept.
 */
export function quadFanFits(p: ArrayLike<number>, a: number, b: number, c: number, d: number): boolean {
  const ax = p[3 * a], ay = p[3 * a + 1], az = p[3 * a + 2];
  const ux = p[3 * b] - ax, uy = p[3 * b + 1] - ay, uz = p[3 * b + 2] - az;
  const vx = p[3 * c] - ax, vy = p[3 * c + 1] - ay, vz = p[3 * c + 2] - az;
  const wx = p[3 * d] - ax, wy = p[3 * d + 1] - ay, wz = p[3 * d + 2] - az;
  // n1 = u × v (triangle a, b, c), n2 = v × w (triangle a, c, d).
  const n1x = uy * vz - uz * vy, n1y = uz * vx - ux * vz, n1z = ux * vy - uy * vx;
  const n2x = vy * wz - vz * wy, n2y = vz * wx - vx * wz, n2z = vx * wy - vy * wx;
  return n1x * n2x + n1y * n2y + n1z * n2z >= 0;
}

/** Ear clipping of a counter-clockwise 2D polygon; writes count − 2 triangles into `out`. */
function earClip(xs: Float64Array, ys: Float64Array, count: number, out: Uint32Array): void {
  const prev = new Int32Array(count), next = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    prev[i] = (i + count - 1) % count;
    next[i] = (i + 1) % count;
  }
  const turn = (a: number, b: number, c: number): number => (xs[b] - xs[a]) * (ys[c] - ys[b]) - (ys[b] - ys[a]) * (xs[c] - xs[b]);
  let left = count;
  let at = 0;
  let written = 0;
  const emit = (i: number): void => {
    out[written++] = prev[i];
    out[written++] = i;
    out[written++] = next[i];
    next[prev[i]] = next[i];
    prev[next[i]] = prev[i];
    left--;
  };
  while (left > 3) {
    let ear = -1;
    let i = at;
    for (let tried = 0; tried < left; tried++, i = next[i]) {
      if (isEar(xs, ys, prev[i], i, next[i], next, turn)) {
        ear = i;
        break;
      }
    }
    if (ear < 0) {
      // No strict ear: collinear or repeated corners, or a self-crossing outline. Clip the
      // corner that turns most to the left (a zero-area ear where corners are collinear).
      let best = -Infinity;
      i = at;
      for (let tried = 0; tried < left; tried++, i = next[i]) {
        const t = turn(prev[i], i, next[i]);
        if (t > best) {
          best = t;
          ear = i;
        }
      }
    }
    at = next[ear];
    emit(ear);
  }
  out[written++] = prev[at];
  out[written++] = at;
  out[written++] = next[at];
}

/** A strictly convex corner whose triangle holds no other corner of the outline (on its edges counts as in). */
function isEar(xs: Float64Array, ys: Float64Array, a: number, b: number, c: number, next: Int32Array, turn: (a: number, b: number, c: number) => number): boolean {
  const area = turn(a, b, c);
  if (!(area > 0)) return false;
  const tolerance = -1e-12 * area;
  for (let j = next[c]; j !== a; j = next[j]) {
    if ((xs[j] === xs[a] && ys[j] === ys[a]) || (xs[j] === xs[b] && ys[j] === ys[b]) || (xs[j] === xs[c] && ys[j] === ys[c])) continue;
    if (turn(a, b, j) >= tolerance && turn(b, c, j) >= tolerance && turn(c, a, j) >= tolerance) return false;
  }
  return true;
}

/**
 * Rewrite, in place, polygons a reader wrote as fans while reading (before every vertex was
 * known): `polygons` holds triples (first corner slot, corner count, unused) of the index
 * `streams` (the vertex stream first; texcoord and normal streams of OBJ follow, permuted
 * alike, null when absent). Each keeps its slots and its k − 2 triangles.
 */
export function retriangulateFans(positions: ArrayLike<number>, polygons: { data: Uint32Array; length: number }, streams: (Uint32Array | null)[]): void {
  const list = polygons.data;
  let corners = new Uint32Array(0);
  let saved = new Uint32Array(0);
  let triangles = new Uint32Array(0);
  const vertexStream = streams[0] as Uint32Array;
  for (let i = 0; i < polygons.length; i += 3) {
    const slot = list[i], k = list[i + 1];
    // Fast path: a quad whose fan already fits (every convex one) stays as written.
    if (k === 4 && quadFanFits(positions, vertexStream[slot], vertexStream[slot + 1], vertexStream[slot + 2], vertexStream[slot + 5])) continue;
    if (corners.length < k) {
      corners = new Uint32Array(2 * k);
      saved = new Uint32Array(2 * k);
      triangles = new Uint32Array(6 * k);
    }
    // Corner j of the fan (0, j, j + 1) sits at slot 0, 1, then 3(j − 2) + 2.
    const at = (j: number): number => slot + (j < 2 ? j : 3 * (j - 2) + 2);
    for (let j = 0; j < k; j++) corners[j] = vertexStream[at(j)];
    const out = triangulatePolygon(positions, corners, k, triangles);
    for (const stream of streams) {
      if (!stream) continue;
      for (let j = 0; j < k; j++) saved[j] = stream[at(j)];
      for (let c = 0; c < 3 * (k - 2); c++) stream[slot + c] = saved[out[c]];
    }
  }
}
