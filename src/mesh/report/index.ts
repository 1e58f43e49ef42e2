/**
 * `inspectMesh`: the checks and measurements of one mesh, judged for a profile.
 *
 * Weld exactly, then one counting-sort pass over the edges for the topology, one pass over
 * the triangles for the measurements, the boundary loops from the boundary edges, and
 * (optionally) the self-intersection test over a BVH — here, or (`inspectMeshWith`) by a
 * runner the caller gives, e.g. on another thread while the other checks run here.
 */
import type { IndexedMesh } from '../mesh.js';
import { findSelfIntersections, type SelfIntersections } from '../bvh/self-intersections.js';
import { weldForChecks } from '../weld.js';
import { boundaryLoops } from './boundary-loops.js';
import { MAX_LISTED, componentStats } from './components.js';
import { analyseEdges } from './edges.js';
import { measure } from './measure.js';
import type { MeshReport, Profile } from './types.js';
import { findRoot } from './union-find.js';
import { guessUnits } from './units.js';
import { judge } from './verdict.js';

export type { BoundingBox, Issue, MeshReport, Profile, Units, Verdict } from './types.js';

export interface InspectOptions {
  profile: Profile;
  /** Run the self-intersection test (the slowest check). Default true. */
  selfIntersection?: boolean;
  /** Called as the checks advance: fraction 0..1 of the whole, and the stage's name. */
  onProgress?: (fraction: number, stage: string) => void;
}

// Share of the running time of each stage, measured at 1M triangles: for progress reports.
const WEIGHTS = { weld: 0.15, topology: 0.25, measure: 0.05, selfIntersection: 0.55 };

/**
 * Runs the self-intersection test of the welded mesh somewhere else (another thread: see
 * src/jobs/self-intersection-side.ts). It is called once the mesh is welded and awaited
 * after the other checks, so both run at the same time. The welded arrays stay valid and
 * unchanged until the returned promise settles.
 */
export type SelfIntersectionRunner = (welded: IndexedMesh) => Promise<SelfIntersections>;

/** Check and measure `mesh` and judge it for `options.profile`. Pure: the mesh is not modified. */
export function inspectMesh(mesh: IndexedMesh, options: InspectOptions): MeshReport {
  const run = startChecks(mesh, options);
  let found: SelfIntersections | undefined;
  if (run.withSelfIntersection) {
    run.report('self-intersection');
    found = findSelfIntersections(run.welded, (f) => run.report('self-intersection', f, WEIGHTS.selfIntersection));
  }
  return finishChecks(run, found);
}

/**
 * `inspectMesh`, with the self-intersection test run by `selfIntersections` at the same time
 * as the other checks. The report is the same as `inspectMesh`'s.
 */
export async function inspectMeshWith(mesh: IndexedMesh, options: InspectOptions, selfIntersections: SelfIntersectionRunner): Promise<MeshReport> {
  const welded = weldStage(mesh, options);
  const pending = welded.withSelfIntersection ? selfIntersections(welded.welded) : undefined;
  // Nobody awaits `pending` until the other checks are done: a failure meanwhile is not unhandled.
  pending?.catch(() => undefined);
  const run = checkStage(welded);
  let found: SelfIntersections | undefined;
  if (pending) {
    run.report('self-intersection');
    found = await pending;
  }
  return finishChecks(run, found);
}

interface Welded {
  welded: IndexedMesh;
  withSelfIntersection: boolean;
  options: InspectOptions;
  report: (stage: string, within?: number, weight?: number) => void;
  done: { fraction: number };
}

interface Checked extends Welded {
  edges: ReturnType<typeof analyseEdges>;
  components: ReturnType<typeof componentStats>;
  loops: ReturnType<typeof boundaryLoops>;
  m: ReturnType<typeof measure>;
  units: ReturnType<typeof guessUnits>;
}

function startChecks(mesh: IndexedMesh, options: InspectOptions): Checked {
  return checkStage(weldStage(mesh, options));
}

function weldStage(mesh: IndexedMesh, options: InspectOptions): Welded {
  const withSelfIntersection = options.selfIntersection ?? true;
  const total = WEIGHTS.weld + WEIGHTS.topology + WEIGHTS.measure + (withSelfIntersection ? WEIGHTS.selfIntersection : 0);
  const done = { fraction: 0 };
  const report = (stage: string, within = 0, weight = 0): void => {
    options.onProgress?.(Math.min(1, (done.fraction + within * weight) / total), stage);
  };
  report('weld');
  const welded = weldForChecks(mesh);
  done.fraction += WEIGHTS.weld;
  return { welded, withSelfIntersection, options, report, done };
}

function checkStage(w: Welded): Checked {
  const { positions, indices } = w.welded;
  w.report('topology');
  const edges = analyseEdges(indices, positions.length / 3);
  const components = componentStats(edges.triangleSets);
  const loops = boundaryLoops(positions, indices, edges.boundaryHalfEdges);
  w.done.fraction += WEIGHTS.topology;

  w.report('measure');
  const m = measure(positions, indices, edges.referenced);
  const units = guessUnits(m.bbox.min, m.bbox.max);
  w.done.fraction += WEIGHTS.measure;
  return { ...w, edges, components, loops, m, units };
}

function finishChecks(run: Checked, found: SelfIntersections | undefined): MeshReport {
  const { welded, edges, components, loops, m, units } = run;
  const { positions, indices } = welded;
  const triangles = indices.length / 3;
  let selfIntersectingPairs: number | null = null;
  let selfIntersectingFaces: MeshReport['selfIntersectingFaces'] = [];
  if (found) {
    selfIntersectingPairs = found.count;
    selfIntersectingFaces = facesOf(found.examples, positions, indices);
    run.done.fraction += WEIGHTS.selfIntersection;
  }

  const loopLengths = Array.from(loops.lengths).sort((a, b) => b - a);
  const holes = findHoles(loops.lengths, loops.triangles, edges.triangleSets);
  const edgeManifold = edges.nonManifoldEdges === 0;
  const watertight = triangles > 0 && edges.boundaryEdges === 0 && edgeManifold;
  const windingConsistent = edges.inconsistentEdges === 0 && edgeManifold;
  const closedAndWound = watertight && windingConsistent;
  const inwardFacing = closedAndWound && m.signedVolume < 0;
  const profile = run.options.profile;
  const { verdict, issues } = judge({
    profile,
    triangles,
    componentSizes: components.all,
    holes,
    loops: loopLengths,
    nonManifoldEdges: edges.nonManifoldEdges,
    nonManifoldVertices: edges.nonManifoldVertices,
    degenerateTriangles: m.degenerateTriangles,
    duplicateTriangles: edges.duplicateTriangles,
    inconsistentEdges: edges.inconsistentEdges,
    inwardFacing,
    selfIntersectingPairs,
    units,
  });
  run.report('done');

  return {
    triangles,
    vertices: edges.referencedCount,
    bbox: m.bbox,
    area: m.area,
    volume: closedAndWound ? Math.abs(m.signedVolume) : null,
    signedVolume: m.signedVolume,
    components: { count: components.count, sizes: components.sizes },
    boundaryEdges: edges.boundaryEdges,
    boundaryLoops: { count: loopLengths.length, lengths: loopLengths.slice(0, MAX_LISTED) },
    holes: { count: holes.length, lengths: holes.slice(0, MAX_LISTED) },
    nonManifoldEdges: edges.nonManifoldEdges,
    nonManifoldVertices: edges.nonManifoldVertices,
    degenerateTriangles: m.degenerateTriangles,
    duplicateTriangles: edges.duplicateTriangles,
    watertight,
    edgeManifold,
    vertexManifold: edges.nonManifoldVertices === 0,
    windingConsistent,
    inconsistentEdges: edges.inconsistentEdges,
    inwardFacing,
    selfIntersecting: selfIntersectingPairs === null ? null : selfIntersectingPairs > 0,
    selfIntersectingPairs,
    selfIntersectingFaces,
    units,
    profile,
    verdict,
    issues,
  };
}

/** How many intersecting pairs the report carries for drawing (a broken file can have millions). */
export const MAX_DRAWN_PAIRS = 200;

/**
 * The corners of the first `MAX_DRAWN_PAIRS` example pairs (triangle indices, two per pair),
 * rounded to 0.1 µm: the welded buffers are scratch space, so the report copies what it keeps.
 */
function facesOf(examples: Uint32Array, positions: Float32Array, indices: Uint32Array): MeshReport['selfIntersectingFaces'] {
  const corners = (t: number): number[] => {
    const out: number[] = [];
    for (let k = 0; k < 3; k++) {
      const v = indices[3 * t + k];
      for (let d = 0; d < 3; d++) out.push(Math.round(positions[3 * v + d] * 1e4) / 1e4);
    }
    return out;
  };
  const faces: MeshReport['selfIntersectingFaces'] = [];
  for (let i = 0; i + 1 < examples.length && faces.length < MAX_DRAWN_PAIRS; i += 2) faces.push({ a: corners(examples[i]), b: corners(examples[i + 1]) });
  return faces;
}

/**
 * Holes: in each piece, every boundary loop except the longest (the piece's outer border),
 * longest first. A closed piece has no loops and so no holes.
 */
function findHoles(lengths: Float64Array, triangles: Uint32Array, triangleSets: Int32Array): number[] {
  const outer = new Map<number, number>(); // component root -> index of its longest loop
  for (let i = 0; i < lengths.length; i++) {
    const root = findRoot(triangleSets, triangles[i]);
    const best = outer.get(root);
    if (best === undefined || lengths[i] > lengths[best]) outer.set(root, i);
  }
  const holes: number[] = [];
  for (let i = 0; i < lengths.length; i++) {
    if (outer.get(findRoot(triangleSets, triangles[i])) !== i) holes.push(lengths[i]);
  }
  return holes.sort((a, b) => b - a);
}
