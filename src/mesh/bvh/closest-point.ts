/**
 * Closest point on a mesh to a query point, over a `FlatBvh`.
 *
 * A depth-first walk that opens the nearer child first and skips every node whose box is
 * farther than the best triangle found so far, with two ways to start with a good bound:
 * - a *hint*: the triangle that answered the previous, nearby query, tested first.
 * - a *range*: a query that only cares about answers within `maxDistance` (ICP's
 *   outlier cut, occlusion's "far" limit) prunes by it from the start.
 * Measured on a 1M-triangle tooth (best of 5, queries 20 µm off the surface): what makes
 * neighbouring queries cheap is asking them one after the other — 1.5 µs a query in Morton
 * or mesh order against 3.6 µs in random order, as the nodes and triangles the previous
 * query touched are still in the CPU's caches. The hint adds ~10% in random order and
 * nothing measurable in spatial order; it costs one triangle test, so callers pass it.
 * The triangle test is Ericson's (Real-Time Collision Detection, 5.1.5), in doubles, and
 * also says which part of the triangle is closest (face, edge or corner): a point whose
 * answer lies on the border of an open scan has no counterpart there.
 */
import { LEAF_FLAG, NODE_WORDS, type FlatBvh } from './flat-bvh.js';

/** Which part of a triangle the closest point lies on. */
export const Feature = {
  face: 0,
  vertexA: 1,
  vertexB: 2,
  vertexC: 3,
  edgeAB: 4,
  edgeBC: 5,
  edgeCA: 6,
} as const;

/** One query's answer; reused between queries so the loop allocates nothing. */
export class ClosestHit {
  /** Triangle in BVH order (`FlatBvh.triangles[slot]` is the mesh's triangle), -1 for none in range. */
  slot = -1;
  /** Squared distance to the closest point. */
  distanceSq = Infinity;
  x = 0;
  y = 0;
  z = 0;
  /** Barycentric weights of corners b and c (corner a has 1 − v − w). */
  v = 0;
  w = 0;
  /** A `Feature` value. */
  feature = 0;
}

// The candidate from the last triangle test: qx, qy, qz, v, w, feature, squared distance.
const cand = new Float64Array(7);
// The point being queried, read by the triangle test. The walk calls that test, too big to
// be inlined, for every triangle it opens; a double passed to or returned from a call that
// is not inlined is boxed in a new heap object, and those made the compare's closest-point
// queries allocate about 1 GB (30% of the time of a query went to allocating and collecting).
// Through this array and `cand` only small integers cross the call.
const point = new Float64Array(3);

/** Closest point queries against one FlatBvh; one instance per thread, reused for every query. */
export class ClosestPointQuery {
  private readonly f32: Float32Array;
  private readonly u32: Uint32Array;
  private readonly u16: Uint16Array;
  private readonly corners: Float32Array;
  private stackNode = new Int32Array(128);
  private stackDist = new Float64Array(128);

  constructor(bvh: FlatBvh) {
    this.f32 = new Float32Array(bvh.nodes);
    this.u32 = new Uint32Array(bvh.nodes);
    this.u16 = new Uint16Array(bvh.nodes);
    this.corners = bvh.corners;
  }

  /**
   * Find the closest point to (px, py, pz) no farther than `maxDistance`, starting from
   * triangle `hint` (BVH order; -1 for none). Returns false, with `hit.slot` −1, when no
   * triangle is within range.
   */
  closest(px: number, py: number, pz: number, maxDistance: number, hint: number, hit: ClosestHit): boolean {
    hit.slot = -1;
    hit.distanceSq = maxDistance === Infinity ? Infinity : maxDistance * maxDistance;
    if (this.corners.length === 0) return false;
    point[0] = px;
    point[1] = py;
    point[2] = pz;
    if (hint >= 0) this.test(hint, hit);
    const { f32, u32, u16 } = this;
    let sp = 0;
    let node = 0;
    let nodeDist = boxDistanceSq(f32, 0, px, py, pz);
    while (true) {
      if (nodeDist < hit.distanceSq) {
        if (u16[2 * node + 15] === LEAF_FLAG) {
          const offset = u32[node + 6];
          const end = offset + u16[2 * node + 14];
          for (let t = offset; t < end; t++) this.test(t, hit);
        } else {
          const left = node + NODE_WORDS;
          const right = node + u32[node + 6] * NODE_WORDS;
          const dl = boxDistanceSq(f32, left, px, py, pz);
          const dr = boxDistanceSq(f32, right, px, py, pz);
          // Open the nearer child now, keep the other for later.
          if (sp + 1 >= this.stackNode.length) this.grow();
          if (dl <= dr) {
            this.stackNode[sp] = right;
            this.stackDist[sp++] = dr;
            node = left;
            nodeDist = dl;
          } else {
            this.stackNode[sp] = left;
            this.stackDist[sp++] = dl;
            node = right;
            nodeDist = dr;
          }
          continue;
        }
      }
      if (sp === 0) break;
      node = this.stackNode[--sp];
      nodeDist = this.stackDist[sp];
    }
    return hit.slot >= 0;
  }

  /** Test triangle `t` (BVH order) against `point`; keep it in `hit` when it is closer. */
  private test(t: number, hit: ClosestHit): void {
    nearestOnTriangle(this.corners, 9 * t);
    const d = cand[6];
    if (d < hit.distanceSq) {
      hit.distanceSq = d;
      hit.slot = t;
      hit.x = cand[0];
      hit.y = cand[1];
      hit.z = cand[2];
      hit.v = cand[3];
      hit.w = cand[4];
      hit.feature = cand[5];
    }
  }

  private grow(): void {
    const nodes = new Int32Array(this.stackNode.length * 2);
    nodes.set(this.stackNode);
    const dists = new Float64Array(this.stackDist.length * 2);
    dists.set(this.stackDist);
    this.stackNode = nodes;
    this.stackDist = dists;
  }
}

/** Squared distance from a point to the box of node `n` (0 inside). */
function boxDistanceSq(f: Float32Array, n: number, px: number, py: number, pz: number): number {
  let d = 0;
  let e = f[n] - px;
  if (e > 0) d += e * e;
  else {
    e = px - f[n + 3];
    if (e > 0) d += e * e;
  }
  e = f[n + 1] - py;
  if (e > 0) d += e * e;
  else {
    e = py - f[n + 4];
    if (e > 0) d += e * e;
  }
  e = f[n + 2] - pz;
  if (e > 0) d += e * e;
  else {
    e = pz - f[n + 5];
    if (e > 0) d += e * e;
  }
  return d;
}

/**
 * Closest point of the triangle whose corners start at `c[o]` to p: writes the point, its
 * barycentric v, w and feature into `cand` and returns the squared distance.
 */
export function closestOnTriangle(c: Float32Array, o: number, px: number, py: number, pz: number): number {
  point[0] = px;
  point[1] = py;
  point[2] = pz;
  nearestOnTriangle(c, o);
  return cand[6];
}

/**
 * `closestOnTriangle` of `point`: the closest point, its barycentric v, w, feature and
 * squared distance into `cand`.
 */
function nearestOnTriangle(c: Float32Array, o: number): void {
  const px = point[0], py = point[1], pz = point[2];
  const ax = c[o], ay = c[o + 1], az = c[o + 2];
  const abx = c[o + 3] - ax, aby = c[o + 4] - ay, abz = c[o + 5] - az;
  const acx = c[o + 6] - ax, acy = c[o + 7] - ay, acz = c[o + 8] - az;
  // The answer, corner a until a region test below says otherwise; each region sets it and
  // leaves the block, and it is written once at the end (no call that would box doubles).
  let qx = ax, qy = ay, qz = az, v = 0, w = 0;
  let feature: number = Feature.vertexA;
  region: {
    const apx = px - ax, apy = py - ay, apz = pz - az;
    const d1 = abx * apx + aby * apy + abz * apz;
    const d2 = acx * apx + acy * apy + acz * apz;
    if (d1 <= 0 && d2 <= 0) break region;
    const bpx = apx - abx, bpy = apy - aby, bpz = apz - abz;
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    if (d3 >= 0 && d4 <= d3) {
      qx = ax + abx;
      qy = ay + aby;
      qz = az + abz;
      v = 1;
      feature = Feature.vertexB;
      break region;
    }
    const vc = d1 * d4 - d3 * d2;
    if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      v = d1 / (d1 - d3);
      qx = ax + v * abx;
      qy = ay + v * aby;
      qz = az + v * abz;
      feature = Feature.edgeAB;
      break region;
    }
    const cpx = apx - acx, cpy = apy - acy, cpz = apz - acz;
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    if (d6 >= 0 && d5 <= d6) {
      qx = ax + acx;
      qy = ay + acy;
      qz = az + acz;
      w = 1;
      feature = Feature.vertexC;
      break region;
    }
    const vb = d5 * d2 - d1 * d6;
    if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      w = d2 / (d2 - d6);
      qx = ax + w * acx;
      qy = ay + w * acy;
      qz = az + w * acz;
      feature = Feature.edgeCA;
      break region;
    }
    const va = d3 * d6 - d5 * d4;
    if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      v = 1 - w;
      const bx = ax + abx, by = ay + aby, bz = az + abz;
      qx = bx + w * (acx - abx);
      qy = by + w * (acy - aby);
      qz = bz + w * (acz - abz);
      feature = Feature.edgeBC;
      break region;
    }
    const sum = va + vb + vc;
    // A zero-area triangle that reached here (p level with a degenerate sliver): its corner a
    // stands for it; its edges are its neighbours' edges and are found through them.
    if (!(sum > 0)) break region;
    v = vb / sum;
    w = vc / sum;
    qx = ax + abx * v + acx * w;
    qy = ay + aby * v + acy * w;
    qz = az + abz * v + acz * w;
    feature = Feature.face;
  }
  cand[0] = qx;
  cand[1] = qy;
  cand[2] = qz;
  cand[3] = v;
  cand[4] = w;
  cand[5] = feature;
  const dx = px - qx, dy = py - qy, dz = pz - qz;
  cand[6] = dx * dx + dy * dy + dz * dz;
}
