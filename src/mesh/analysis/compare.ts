/**
 * Compare a new scan of a jaw with the previous one: register, then measure the deviation
 * both ways. The result is plain JSON for the report plus typed arrays for pictures.
 */
import { CuspError } from '../../errors.js';
import type { IndexedMesh } from '../mesh.js';
import { restoreFlatBvh } from '../bvh/flat-bvh-cache.js';
import { buildFlatBvh, type FlatBvh } from '../bvh/flat-bvh.js';
import { weldExact } from '../weld.js';
import { measureDeviation, signedDistances, type Deviation } from './deviation.js';
import { createCrew, type CrewSetup } from './icp-crew.js';
import type { PairingCrew } from './icp-pairing.js';
import type { Region, RegionOptions } from './regions.js';
import { registerScans, type Registration, type RegistrationOptions } from './registration.js';
import { identity, invertRigid, rotationDegrees, transformPositions, type Mat4 } from './rigid-transform.js';
import { prepareTarget, type DistanceTarget } from './signed-distance.js';
import { distanceStats, type DistanceStats } from './statistics.js';
import { vertexAreas, vertexNormals } from './surface.js';

/** Options of `compareScans`. */
export interface CompareOptions {
  /** Register the new scan onto the old one (default true); false when both share a frame already. */
  register?: boolean;
  registration?: Omit<RegistrationOptions, 'onProgress' | 'crew'>;
  /** Thresholds (mm) of `stats.areaOver` (default 0.1, 0.2, 0.5). */
  thresholds?: readonly number[];
  regions?: RegionOptions;
  /** See `SignedDistanceOptions.borderTolerance` (default 0.05 mm); ICP uses the default. */
  borderTolerance?: number;
  onProgress?: (fraction: number, stage: string) => void;
  /** The previous scan's BVH from the cache (`serializeFlatBvh` of an earlier comparison): skips its build. */
  previousBvh?: Uint8Array;
}

/**
 * The comparison as stored in a report. Field names are stable. Distances are in mm, areas
 * in mm²; positive distances mean the new surface lies outside the old one (material added
 * or the tooth moved outward), negative inside (worn, moved inward, receded).
 */
export interface CompareResult {
  /** Column-major 4×4 rigid motion taking the new scan into the old scan's frame. */
  transform: Mat4;
  /** RMS distance (mm) of the registration's kept sample pairs: how well the unchanged parts fit. */
  residualMm: number;
  /** ICP iterations of the final alignment. */
  iterations: number;
  /**
   * Share (0..1) of the new scan's area that has a counterpart on the old scan; the rest
   * (`stats.nonOverlapArea`, mm²) lies beyond the old scan's border or faces away from it
   * and counts in no figure, region or colour (grey on the maps).
   */
  overlap: number;
  /** New scan → old surface, over the overlap. */
  stats: DistanceStats;
  /** Patches of the new scan that moved more than the region threshold, largest first; centroids in the old scan's frame. */
  regions: Region[];
  /** Old scan → new surface, signed as above (positive: the new surface lies outside). */
  back: { overlap: number; stats: DistanceStats };
  /**
   * How the registration went: the share of samples it paired, whether ICP converged, how
   * many coarse starts it tried, and the motion in words: the turn in degrees and how far
   * the new scan's centroid moved (mm).
   */
  registration: { inlierFraction: number; converged: boolean; candidates: number; rotationDeg: number; shiftMm: number };
  /** Reasons to doubt the result, in words for the clinician (empty when none). */
  warnings: string[];
}

/** The result and the maps behind it (welded meshes, per-vertex distances), all transferable. */
export interface Comparison {
  result: CompareResult;
  /** The new scan, welded and moved into the old scan's frame. */
  current: IndexedMesh;
  /** Per vertex of `current`: distance to the old surface (mm, NaN outside the overlap). */
  distances: Float32Array;
  /** The old scan, welded. */
  previous: IndexedMesh;
  /** Per vertex of `previous`: distance to the new surface, signed as in the result. */
  backDistances: Float32Array;
  /** The previous scan's BVH, and whether it came from `previousBvh` (else it was built now: worth caching). */
  previousTree: FlatBvh;
  treeFromCache: boolean;
}

/**
 * The new scan's half of a comparison, done by a second thread (src/jobs/compare-side.ts):
 * it welds the new scan (`weldExact`) and prepares it with `prepareNewScan` while this
 * thread prepares the old one and registers, then measures the old scan against it
 * (`measureBack`) while this thread measures the new scan against the old. Running exactly
 * these functions, it gives `compareScansWith` the same numbers `compareScans` computes.
 */
export interface NewScanSide {
  /** The new scan, welded. */
  welded(): Promise<IndexedMesh>;
  /** `measureBack(prepareNewScan(welded), request)`; asked once, maybe before the target is ready. */
  measureBack(request: BackRequest, onProgress?: (fraction: number) => void): Promise<Float32Array>;
  /**
   * Lend the side's thread to the registration: it calls `helpCrew(setup)` once its target
   * is ready (icp-crew.ts), until the registration closes the crew; asked before `measureBack`.
   */
  helpRegister?(setup: CrewSetup): void;
}

/** What the back deviation needs of the old scan and the registration. */
export interface BackRequest {
  /** The old scan's welded vertices and their unit normals. */
  positions: Float32Array;
  normals: Float32Array;
  /** The registration's motion (new → old frame). */
  transform: Mat4;
  borderTolerance?: number;
}

/**
 * The new scan as the back deviation's target, in its own frame: it needs nothing of the
 * registration, so it can be built at the start, beside the old scan's.
 */
export function prepareNewScan(fresh: IndexedMesh, onProgress?: (fraction: number) => void): DistanceTarget {
  return prepareTarget(fresh, onProgress);
}

/**
 * Old scan → new surface: the distance from an old vertex to the moved new surface is the
 * distance from that vertex moved back by the inverse motion to the new surface where it
 * lies, so each old vertex (and its normal) is taken into the new scan's frame. Signed as
 * the forward map: measured from the old side the sign flips (an old vertex inside the new
 * surface means the new surface lies outside there), so it is flipped back.
 */
export function measureBack(target: DistanceTarget, request: BackRequest, onProgress?: (fraction: number) => void): Float32Array {
  const options = { borderTolerance: request.borderTolerance, normals: request.normals, transform: invertRigid(request.transform) };
  const back = signedDistances(request.positions, target, options, onProgress);
  for (let i = 0; i < back.length; i++) back[i] = -back[i];
  return back;
}

// Share of the running time of each stage, for progress: measured as this thread's CPU time
// on two 1M-triangle scans (4.7–5.8 s on a loaded machine: welding and preparing the old
// 0.8–1.0, registering 1.0–1.1, deviation with statistics and regions 1.0–1.4, preparing
// the new 0.66–1.04, deviation back 0.93–1.3).
const STAGES = { prepare: 0.2, register: 0.2, forward: 0.25, prepareBack: 0.15, back: 0.2 };

// The same with the side on a second thread, which also pairs part of ICP's samples: this
// thread's CPU time on the 1M pair (2.4–3.5 s at load 3–8, test/bench/compare-stages.ts:
// preparing 0.74–1.36, registering 0.76–0.97 — 1.08–1.50 before the side helped —,
// deviation 0.79–1.18); the back deviation is done beside it, so what is left of it is the
// statistics (~10 ms).
const STAGES_WITH_SIDE = { prepare: 0.38, register: 0.3, forward: 0.31, back: 0.01 };

/** Register `current` onto `previous` and measure the deviation both ways. */
export function compareScans(previous: IndexedMesh, current: IndexedMesh, options: CompareOptions = {}): Comparison {
  refuseEmpty(previous, current);
  const report = options.onProgress ?? (() => undefined);
  const old = weldExact(previous).mesh;
  const fresh = weldExact(current).mesh;
  const front = prepareOld(old, options, (f) => report(STAGES.prepare * f, 'prepare'));
  let done = STAGES.prepare;
  const registration = register(fresh, front.target, options, (f, stage) => report(done + STAGES.register * f, stage));
  done += STAGES.register;
  const forward = measureForward(fresh, front.target, registration.transform, options, (f) => report(done + STAGES.forward * f, 'deviation'));
  done += STAGES.forward;
  const backTarget = prepareNewScan(fresh, (f) => report(done + STAGES.prepareBack * f, 'prepare back'));
  done += STAGES.prepareBack;
  const back = measureBack(backTarget, backRequest(old, front.target, registration.transform, options), (f) => report(done + STAGES.back * f, 'deviation back'));
  report(1, 'done');
  return assemble(old, fresh, front, registration, forward, back, options);
}

/**
 * `compareScans` with the new scan's half on a second thread (`side`): the same result, to
 * the last bit, in about the time of one BVH build, the registration and one deviation.
 */
export async function compareScansWith(previous: IndexedMesh, side: NewScanSide, options: CompareOptions = {}): Promise<Comparison> {
  const report = options.onProgress ?? (() => undefined);
  const welded = side.welded();
  // The side's failure is this comparison's, even while this thread is still busy.
  welded.catch(() => undefined);
  refuseEmpty(previous, undefined);
  const old = weldExact(previous).mesh;
  const helped = side.helpRegister !== undefined && options.register !== false;
  const front = prepareOld(old, options, (f) => report(STAGES_WITH_SIDE.prepare * f, 'prepare'), helped);
  let done = STAGES_WITH_SIDE.prepare;
  const fresh = await welded;
  refuseEmpty(previous, fresh);
  // The side's thread, idle until the motion is known, pairs ICP's samples beside this one.
  const crew = helped ? createCrew(front.target, crewCapacity(options)) : undefined;
  if (crew) side.helpRegister?.(crew.setup);
  let registration: Fit;
  try {
    registration = register(fresh, front.target, options, (f, stage) => report(done + STAGES_WITH_SIDE.register * f, stage), crew);
  } finally {
    crew?.close();
  }
  done += STAGES_WITH_SIDE.register;
  const backDone = done + STAGES_WITH_SIDE.forward;
  const pending = side.measureBack(backRequest(old, front.target, registration.transform, options), (f) => report(backDone + STAGES_WITH_SIDE.back * f, 'deviation back'));
  pending.catch(() => undefined);
  const forward = measureForward(fresh, front.target, registration.transform, options, (f) => report(done + STAGES_WITH_SIDE.forward * f, 'deviation'));
  const back = await pending;
  report(1, 'done');
  return assemble(old, fresh, front, registration, forward, back, options);
}

function refuseEmpty(previous: IndexedMesh, current: IndexedMesh | undefined): void {
  if (previous.indices.length === 0 || current?.indices.length === 0) {
    throw new CuspError('invalid_input', `cannot compare: the ${previous.indices.length === 0 ? 'old' : 'new'} scan has no triangles`);
  }
}

interface OldSide {
  target: DistanceTarget;
  cached: boolean;
}

/**
 * The old scan prepared as the forward target, its tree restored from the cache when given,
 * else built (in shared memory when a second thread will query it too: icp-crew.ts).
 */
function prepareOld(old: IndexedMesh, options: CompareOptions, onProgress: (fraction: number) => void, shared = false): OldSide {
  onProgress(0);
  const cached = options.previousBvh ? restoreFlatBvh(options.previousBvh, old) : undefined;
  return { target: prepareTarget(old, onProgress, cached ?? buildFlatBvh(old, onProgress, shared)), cached: cached !== undefined };
}

type Fit = Pick<Registration, 'transform' | 'residualMm' | 'iterations' | 'inlierFraction' | 'converged' | 'candidates'>;

function register(fresh: IndexedMesh, target: DistanceTarget, options: CompareOptions, onProgress: (fraction: number, stage: string) => void, crew?: PairingCrew): Fit {
  if (options.register === false) return { transform: identity(), residualMm: 0, iterations: 0, inlierFraction: 1, converged: true, candidates: 0 };
  return registerScans(fresh, target, { ...options.registration, onProgress, crew });
}

/** The most samples one ICP run of the registration pairs (its defaults as registerScans's). */
function crewCapacity(options: CompareOptions): number {
  return Math.max(options.registration?.samples ?? 8000, options.registration?.coarseSamples ?? 1200);
}

interface Forward extends Deviation {
  aligned: IndexedMesh;
}

/** New scan → old surface, on the new scan moved into the old scan's frame. */
function measureForward(fresh: IndexedMesh, target: DistanceTarget, transform: Mat4, options: CompareOptions, onProgress: (fraction: number) => void): Forward {
  const aligned: IndexedMesh = { ...fresh, positions: transformPositions(fresh.positions, transform) };
  if (aligned.normals) delete aligned.normals;
  // Each side's own normals go with its points: a point facing away from its closest point
  // has no counterpart (see signed-distance.ts), in both directions alike.
  const normals = vertexNormals(aligned.positions, aligned.indices);
  const forward = measureDeviation(aligned, target, { thresholds: options.thresholds, regions: options.regions, borderTolerance: options.borderTolerance, normals, onProgress });
  return { ...forward, aligned };
}

function backRequest(old: IndexedMesh, target: DistanceTarget, transform: Mat4, options: CompareOptions): BackRequest {
  return { positions: old.positions, normals: target.normals, transform, borderTolerance: options.borderTolerance };
}

function assemble(old: IndexedMesh, fresh: IndexedMesh, front: OldSide, registration: Fit, forward: Forward, backDistances: Float32Array, options: CompareOptions): Comparison {
  const { transform } = registration;
  const backStats = distanceStats(backDistances, vertexAreas(old.positions, old.indices), options.thresholds);
  return {
    result: {
      transform,
      residualMm: registration.residualMm,
      iterations: registration.iterations,
      overlap: forward.stats.overlap,
      stats: forward.stats,
      regions: forward.regions,
      back: { overlap: backStats.overlap, stats: backStats },
      registration: {
        inlierFraction: registration.inlierFraction,
        converged: registration.converged,
        candidates: registration.candidates,
        rotationDeg: rotationDegrees(transform),
        shiftMm: centroidShift(fresh.positions, forward.aligned.positions),
      },
      warnings: doubts(registration.residualMm, forward.stats.overlap, registration.converged),
    },
    current: forward.aligned,
    distances: forward.distances,
    previous: old,
    backDistances,
    previousTree: front.target.bvh,
    treeFromCache: front.cached,
  };
}

/** How far the centroid of the vertices moved between `before` and `after`. */
function centroidShift(before: Float32Array, after: Float32Array): number {
  const d = [0, 0, 0];
  for (let i = 0; i < before.length; i++) d[i % 3] += after[i] - before[i];
  const n = before.length / 3 || 1;
  return Math.hypot(d[0] / n, d[1] / n, d[2] / n);
}

// Beyond these the comparison says more about the registration than about the patient.
const POOR_FIT_MM = 0.1;
const LOW_OVERLAP = 0.3;

/** Plain-language reasons to doubt a comparison. */
function doubts(residualMm: number, overlap: number, converged: boolean): string[] {
  const out: string[] = [];
  if (!(residualMm <= POOR_FIT_MM)) {
    out.push(`the scans fit only to ${residualMm.toFixed(2)} mm RMS where they should agree — check that both are the same jaw of the same patient`);
  }
  if (overlap < LOW_OVERLAP) {
    out.push(`only ${(100 * overlap).toFixed(0)}% of the new scan lies on the old one — the scans cover different parts of the jaw`);
  }
  if (!converged) out.push('the alignment did not settle within its iterations — treat the figures with care');
  return out;
}
