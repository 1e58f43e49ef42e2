/**
 * Registration: the rigid motion that lays a new scan of a jaw onto an earlier one.
 *
 * ICP only finds the nearest fit, so it needs a start close enough. The coarse start tries
 * several: the new scan moved so the centroids agree, with its own orientation (scans from
 * one scanner usually share a frame) and with its principal axes turned onto the old scan's
 * in each of the four right-handed ways; when two principal axes are about equal (a round
 * crown) their directions mean little, so turns about the third axis are added. Each start
 * gets a short ICP on a few samples and a robust score; the best goes on to the full ICP on
 * more samples. Everything is seeded: the same scans give the same answer.
 */
import type { IndexedMesh } from '../mesh.js';
import { icp, type IcpResult } from './icp.js';
import type { PairingCrew } from './icp-pairing.js';
import { principalAxes, type PrincipalAxes } from './principal-axes.js';
import { identity, multiply, rotationAbout, translation, type Mat4 } from './rigid-transform.js';
import type { DistanceTarget } from './signed-distance.js';
import { sampleSurface, surfaceSampler, type SurfaceSamples } from './surface-samples.js';

/** Options of `registerScans`. */
export interface RegistrationOptions {
  /** Samples of the moving scan for the full ICP (default 8000). */
  samples?: number;
  /** Samples per coarse candidate (default 1200). */
  coarseSamples?: number;
  /** ICP iterations at most (default 60). */
  maxIterations?: number;
  /** Skip the coarse search and start from this motion. */
  initial?: Mat4;
  onProgress?: (fraction: number, stage: string) => void;
  /** Pair ICP's samples on a second thread too (icp-crew.ts): the same answer, sooner. */
  crew?: PairingCrew;
}

/** The answer, with figures to judge it by. */
export interface Registration {
  /** Column-major 4×4 rigid motion taking the moving scan into the fixed scan's frame. */
  transform: Mat4;
  /** RMS distance (mm) of the sample pairs ICP kept at the end: how well the shared parts fit. */
  residualMm: number;
  /** Share of the samples ICP kept as pairs (0..1). */
  inlierFraction: number;
  iterations: number;
  converged: boolean;
  /** How many coarse starts were tried. */
  candidates: number;
}

// Two principal variances closer than this ratio leave their axes' directions to noise.
const ROUND = 1.25;

/**
 * Register `moving` (welded) onto `target` (the fixed scan, prepared with `prepareTarget`).
 */
export function registerScans(moving: IndexedMesh, target: DistanceTarget, options: RegistrationOptions = {}): Registration {
  const progress = options.onProgress ?? (() => undefined);
  const sample = surfaceSampler(moving.positions, moving.indices);
  const fine = sample(options.samples ?? 8000, 1);
  let start = options.initial;
  let candidates = 1;
  if (!start) {
    const found = coarseSearch(sample, target, options.coarseSamples ?? 1200, options.crew, progress);
    start = found.start;
    candidates = found.candidates;
  }
  progress(0.5, 'icp');
  const r = icp(target, fine, start, { maxIterations: options.maxIterations ?? 60, crew: options.crew });
  progress(1, 'icp');
  return {
    transform: r.transform,
    residualMm: r.rms,
    inlierFraction: r.inlierFraction,
    iterations: r.iterations,
    converged: r.converged,
    candidates,
  };
}

// A start that already fits this well needs no rivals: most of the samples pair up within
// a scanner's noise.
const GOOD_FIT = { rms: 0.05, inliers: 0.5 };

/**
 * Screen every coarse start with a short ICP on a few samples (a start that fits well at
 * once wins outright), then continue the three best on more samples and keep the best fit.
 */
function coarseSearch(
  sample: (count: number, seed: number) => SurfaceSamples,
  target: DistanceTarget,
  sampleCount: number,
  crew: PairingCrew | undefined,
  progress: (fraction: number, stage: string) => void,
): { start: Mat4; candidates: number } {
  progress(0, 'coarse alignment');
  const coarse = sample(sampleCount, 2);
  const screen = sample(Math.ceil(sampleCount / 3), 4);
  const fixed = sampleSurface(target.positions, target.indices, sampleCount, 3);
  const from = principalAxes(coarse.points);
  const to = principalAxes(fixed.points);
  const starts = coarseStarts(from, to);
  const diagonal = 2 * Math.sqrt(to.variances[0] + to.variances[1] + to.variances[2]);
  const options = { maxDistance: 0.3 * diagonal, floor: 0.1, crew };
  const screened: IcpResult[] = [];
  for (let k = 0; k < starts.length; k++) {
    const r = icp(target, screen, starts[k], { ...options, maxIterations: 8 });
    if (r.rms <= GOOD_FIT.rms && r.inlierFraction >= GOOD_FIT.inliers) return { start: r.transform, candidates: k + 1 };
    screened.push(r);
    progress((0.3 * (k + 1)) / starts.length, 'coarse alignment');
  }
  screened.sort((a, b) => a.cost - b.cost);
  let best: IcpResult | null = null;
  for (const s of screened.slice(0, 3)) {
    const r = icp(target, coarse, s.transform, { ...options, maxIterations: 15 });
    if (!best || r.cost < best.cost) best = r;
  }
  return { start: best ? best.transform : starts[0], candidates: starts.length };
}

/** The coarse starting motions: centroid shift alone, then principal axes turned onto each other. */
export function coarseStarts(from: PrincipalAxes, to: PrincipalAxes): Mat4[] {
  const [fx, fy, fz] = from.centroid;
  const [tx, ty, tz] = to.centroid;
  const starts: Mat4[] = [translation(tx - fx, ty - fy, tz - fz)];
  // Rows of the moving frame, columns of the fixed frame: R = E_to · S · E_fromᵀ.
  const signs = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]];
  const spins = [0];
  let spinAxis = 2;
  const [v0, v1, v2] = to.variances;
  if (v0 < ROUND * v1) spins.push(60, 120, 240, 300);
  else if (v1 < ROUND * v2) {
    spinAxis = 0;
    spins.push(60, 120, 240, 300);
  }
  for (const s of signs) {
    const r = identity();
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += to.axes[k][row] * s[k] * from.axes[k][col];
        r[4 * col + row] = sum;
      }
    }
    // Move the moving centroid to the origin, turn, then to the fixed centroid.
    const aligned = multiply(translation(tx, ty, tz), multiply(r, translation(-fx, -fy, -fz)));
    for (const degrees of spins) {
      starts.push(degrees === 0 ? aligned : multiply(rotationAbout(to.axes[spinAxis], (degrees * Math.PI) / 180, to.centroid), aligned));
    }
  }
  return starts;
}
