/**
 * First hit of a ray on a mesh, over a `FlatBvh`: a depth-first walk that enters the child
 * whose box the ray reaches first and skips every box that starts beyond the nearest hit so
 * far. The triangle test is Möller–Trumbore, in doubles, both sides.
 */
import { LEAF_FLAG, NODE_WORDS, type FlatBvh } from './flat-bvh.js';

/** One ray's answer; reused between rays. */
export class RayHit {
  /** Triangle in BVH order (`FlatBvh.triangles[slot]`), -1 for no hit. */
  slot = -1;
  /** Distance along the (unit) direction. */
  t = Infinity;
  /** Barycentric weights of corners b and c at the hit. */
  u = 0;
  v = 0;
  /** True when the ray meets the triangle's front (its counter-clockwise side). */
  front = false;
}

/** Ray queries against one FlatBvh; one instance per thread. */
export class RaycastQuery {
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
   * The first triangle the ray o + t·d meets with `tMin < t < tMax` (d need not be unit
   * length; t is then in its units). Returns false, `hit.slot` −1, when there is none.
   */
  first(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, tMax: number, hit: RayHit): boolean {
    hit.slot = -1;
    hit.t = tMax;
    if (this.corners.length === 0) return false;
    // A zero component would give 0·∞ = NaN where the origin lies on a box face; a tiny
    // one gives the same answer without it.
    const ix = 1 / (dx === 0 ? 1e-30 : dx);
    const iy = 1 / (dy === 0 ? 1e-30 : dy);
    const iz = 1 / (dz === 0 ? 1e-30 : dz);
    const { f32, u32, u16 } = this;
    let sp = 0;
    let node = 0;
    let entry = enter(f32, 0, ox, oy, oz, ix, iy, iz, tMin);
    while (true) {
      if (entry < hit.t) {
        if (u16[2 * node + 15] === LEAF_FLAG) {
          const offset = u32[node + 6];
          const end = offset + u16[2 * node + 14];
          for (let t = offset; t < end; t++) this.test(t, ox, oy, oz, dx, dy, dz, tMin, hit);
        } else {
          const left = node + NODE_WORDS;
          const right = node + u32[node + 6] * NODE_WORDS;
          const el = enter(f32, left, ox, oy, oz, ix, iy, iz, tMin);
          const er = enter(f32, right, ox, oy, oz, ix, iy, iz, tMin);
          if (sp + 1 >= this.stackNode.length) this.grow();
          if (el <= er) {
            this.stackNode[sp] = right;
            this.stackDist[sp++] = er;
            node = left;
            entry = el;
          } else {
            this.stackNode[sp] = left;
            this.stackDist[sp++] = el;
            node = right;
            entry = er;
          }
          continue;
        }
      }
      if (sp === 0) break;
      node = this.stackNode[--sp];
      entry = this.stackDist[sp];
    }
    return hit.slot >= 0;
  }

  private test(t: number, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number, hit: RayHit): void {
    const c = this.corners;
    const o = 9 * t;
    const ax = c[o], ay = c[o + 1], az = c[o + 2];
    const e1x = c[o + 3] - ax, e1y = c[o + 4] - ay, e1z = c[o + 5] - az;
    const e2x = c[o + 6] - ax, e2y = c[o + 7] - ay, e2z = c[o + 8] - az;
    const px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
    const det = e1x * px + e1y * py + e1z * pz;
    if (det === 0) return;
    const inv = 1 / det;
    const tx = ox - ax, ty = oy - ay, tz = oz - az;
    const u = (tx * px + ty * py + tz * pz) * inv;
    if (u < 0 || u > 1) return;
    const qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
    const v = (dx * qx + dy * qy + dz * qz) * inv;
    if (v < 0 || u + v > 1) return;
    const dist = (e2x * qx + e2y * qy + e2z * qz) * inv;
    if (dist <= tMin || dist >= hit.t) return;
    hit.t = dist;
    hit.slot = t;
    hit.u = u;
    hit.v = v;
    // det = e1 · (d × e2) = −d · (e1 × e2): positive when the ray runs against the normal.
    hit.front = det > 0;
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

/** Where the ray enters the box of node `n` (no earlier than tMin), or Infinity when it misses. */
function enter(f: Float32Array, n: number, ox: number, oy: number, oz: number, ix: number, iy: number, iz: number, tMin: number): number {
  let t1 = (f[n] - ox) * ix;
  let t2 = (f[n + 3] - ox) * ix;
  let near = t1 < t2 ? t1 : t2;
  let far = t1 < t2 ? t2 : t1;
  t1 = (f[n + 1] - oy) * iy;
  t2 = (f[n + 4] - oy) * iy;
  near = Math.max(near, t1 < t2 ? t1 : t2);
  far = Math.min(far, t1 < t2 ? t2 : t1);
  t1 = (f[n + 2] - oz) * iz;
  t2 = (f[n + 5] - oz) * iz;
  near = Math.max(near, t1 < t2 ? t1 : t2, tMin);
  far = Math.min(far, t1 < t2 ? t2 : t1);
  return near <= far ? near : Infinity;
}
