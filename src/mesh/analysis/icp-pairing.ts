/**
 * ICP's pairing step (see icp.ts): each sample of the moving scan, moved by the current
 * motion, paired with its closest point on the fixed scan, or dropped. Every sample's answer
 * depends on that sample alone (its point, its normal, its own previous partner as the
 * query's hint), so any range of the samples can be paired anywhere, in any order, on any
 * thread, and give the same bits: `pairRange` is the one loop both the one-thread ICP and
 * the shared pairing (icp-crew.ts) run.
 */
import { ClosestHit, ClosestPointQuery } from '../bvh/closest-point.js';
import type { FlatBvh } from '../bvh/flat-bvh.js';
import { nearBorder } from './borders.js';
import { BORDER_TOLERANCE } from './signed-distance.js';
import type { SurfaceSamples } from './surface-samples.js';

/** What pairing needs of the fixed scan: its tree and its border edges (`DistanceTarget`'s). */
export interface PairingTarget {
  bvh: FlatBvh;
  borderEdges: Uint8Array;
}

/** One ICP run's samples and, per sample, what the pairing keeps between and writes in each iteration. */
export interface PairingArrays {
  /** The samples (xyz) and their unit normals, in the moving scan's frame. */
  points: Float32Array;
  normals: Float32Array;
  /** The samples in spatial order (`mortonOrder`): a range of it is a compact piece of surface. */
  order: Uint32Array;
  /** Per sample, its partner triangle of the previous iteration (BVH order), −1 for none. */
  hints: Int32Array;
  /** Per sample: moved point, partner point and partner normal (xyz), distance (NaN when dropped), share of the cost. */
  p: Float64Array;
  q: Float64Array;
  nq: Float64Array;
  dist: Float64Array;
  costs: Float64Array;
}

/** The pairing's rules (see `IcpOptions`). */
export interface PairingRules {
  maxDistance: number;
  minCos: number;
  /** The distance at which a sample's cost stops growing. */
  cap: number;
}

/** Pairs every sample under a motion; `icp` asks it once per iteration. */
export interface Pairing {
  arrays: PairingArrays;
  /** Pair all samples under `m` (column-major 4×4), filling `arrays`. */
  pairAll(m: ArrayLike<number>): void;
}

/** Something that pairs the samples of one `icp` run on several threads; undefined when it cannot take them. */
export interface PairingCrew {
  begin(samples: SurfaceSamples, order: Uint32Array, rules: PairingRules): Pairing | undefined;
}

/** The arrays of a run over `n` samples, in memory from `allocate` (plain by default). */
export function pairingArrays(n: number, allocate: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)): PairingArrays {
  return {
    points: new Float32Array(allocate(12 * n)),
    normals: new Float32Array(allocate(12 * n)),
    order: new Uint32Array(allocate(4 * n)),
    hints: new Int32Array(allocate(4 * n)),
    p: new Float64Array(allocate(24 * n)),
    q: new Float64Array(allocate(24 * n)),
    nq: new Float64Array(allocate(24 * n)),
    dist: new Float64Array(allocate(8 * n)),
    costs: new Float64Array(allocate(8 * n)),
  };
}

/** Pairing on this thread alone. */
export function localPairing(target: PairingTarget, arrays: PairingArrays, rules: PairingRules): Pairing {
  const query = new ClosestPointQuery(target.bvh);
  const hit = new ClosestHit();
  return { arrays, pairAll: (m) => pairRange(query, hit, target, arrays, m, rules, 0, arrays.order.length) };
}

/** `arrays` with the samples and their order copied in and no hints yet. */
export function withSamples(arrays: PairingArrays, samples: SurfaceSamples, order: Uint32Array): PairingArrays {
  arrays.points.set(samples.points);
  arrays.normals.set(samples.normals);
  arrays.order.set(order);
  arrays.hints.fill(-1);
  return arrays;
}

/**
 * Pair samples `order[start] … order[end − 1]` under motion `m`: write each one's moved
 * point, and its partner, partner normal and distance when kept (NaN and the full cost
 * `cap²` when dropped), and keep its partner triangle as its next hint. `query` and `hit`
 * are this thread's, over `target.bvh`.
 */
export function pairRange(
  query: ClosestPointQuery,
  hit: ClosestHit,
  target: PairingTarget,
  a: PairingArrays,
  m: ArrayLike<number>,
  rules: PairingRules,
  start: number,
  end: number,
): void {
  const { corners, triangles } = target.bvh;
  const { borderEdges } = target;
  const { points, normals: sn, order, hints, p, q, nq, dist, costs } = a;
  const { maxDistance, minCos, cap } = rules;
  for (let k = start; k < end; k++) {
    const i = order[k];
    const sx = points[3 * i], sy = points[3 * i + 1], sz = points[3 * i + 2];
    const px = m[0] * sx + m[4] * sy + m[8] * sz + m[12];
    const py = m[1] * sx + m[5] * sy + m[9] * sz + m[13];
    const pz = m[2] * sx + m[6] * sy + m[10] * sz + m[14];
    p[3 * i] = px;
    p[3 * i + 1] = py;
    p[3 * i + 2] = pz;
    dist[i] = NaN;
    costs[i] = cap * cap;
    if (!query.closest(px, py, pz, maxDistance, hints[i], hit)) continue;
    hints[i] = hit.slot;
    const t = triangles[hit.slot];
    const o = 9 * hit.slot;
    const ux = corners[o + 3] - corners[o], uy = corners[o + 4] - corners[o + 1], uz = corners[o + 5] - corners[o + 2];
    const vx = corners[o + 6] - corners[o], vy = corners[o + 7] - corners[o + 1], vz = corners[o + 8] - corners[o + 2];
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz);
    const d = Math.sqrt(hit.distanceSq);
    if (l === 0) continue;
    nx /= l;
    ny /= l;
    nz /= l;
    const cos = (m[0] * sn[3 * i] + m[4] * sn[3 * i + 1] + m[8] * sn[3 * i + 2]) * nx +
      (m[1] * sn[3 * i] + m[5] * sn[3 * i + 1] + m[9] * sn[3 * i + 2]) * ny +
      (m[2] * sn[3 * i] + m[6] * sn[3 * i + 1] + m[10] * sn[3 * i + 2]) * nz;
    if (cos < minCos || (borderEdges[t] !== 0 && nearBorder(borderEdges[t], corners, o, hit.v, hit.w, hit.x, hit.y, hit.z, BORDER_TOLERANCE))) continue;
    costs[i] = Math.min(d, cap) ** 2;
    q[3 * i] = hit.x;
    q[3 * i + 1] = hit.y;
    q[3 * i + 2] = hit.z;
    nq[3 * i] = nx;
    nq[3 * i + 1] = ny;
    nq[3 * i + 2] = nz;
    dist[i] = d;
  }
}
