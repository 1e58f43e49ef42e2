/**
 * The report of `inspectMesh`. Its JSON field names are a stable interface: the API, the
 * CLI's `--json` output and stored validation results use them. Add fields freely; never
 * rename or remove one.
 */
import type { BoundingBox } from './measure.js';
import type { Units } from './units.js';

export type { BoundingBox, Units };

/**
 * What the mesh is judged as. `scan`: an intraoral scan, an open surface with one outer
 * border. `solid`: a printable model that must be closed (watertight).
 */
export type Profile = 'scan' | 'solid';

export type Verdict = 'ok' | 'warn' | 'fail';

/** One finding, in words a dentist or lab technician acts on. */
export interface Issue {
  /** Stable machine-readable name, e.g. `interior_holes`. */
  code: string;
  severity: 'warn' | 'fail';
  message: string;
}

export interface MeshReport {
  triangles: number;
  /** Vertices used by triangles, after exact welding (bit-identical positions merged). */
  vertices: number;
  /** Bounding box of the vertices used by triangles. */
  bbox: BoundingBox;
  /** Surface area in square model units. */
  area: number;
  /** Enclosed volume (positive); null unless the mesh is watertight and consistently wound. */
  volume: number | null;
  /** Divergence-theorem volume as wound: negative for a closed mesh whose triangles face inwards. */
  signedVolume: number;
  /** Pieces joined by shared edges; `sizes` in triangles, largest first, at most 100 listed. */
  components: { count: number; sizes: number[] };
  /** Edges used by exactly one triangle. */
  boundaryEdges: number;
  /** Closed chains of boundary edges; `lengths` in model units, longest first, at most 100 listed. */
  boundaryLoops: { count: number; lengths: number[] };
  /** Boundary loops beyond the outer border of each piece: holes in the surface (longest first, at most 100). */
  holes: { count: number; lengths: number[] };
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Vertices where the surface pinches: their triangles form two or more separate fans. */
  nonManifoldVertices: number;
  /** Triangles of zero area. */
  degenerateTriangles: number;
  /** Triangles with the same three vertices as another one. */
  duplicateTriangles: number;
  /** Closed: every edge is used by exactly two triangles (and there is at least one triangle). */
  watertight: boolean;
  /** No edge is used by more than two triangles (boundary edges allowed). */
  edgeManifold: boolean;
  vertexManifold: boolean;
  /** Every edge between two triangles is walked in opposite directions by them, and the mesh is edge-manifold. */
  windingConsistent: boolean;
  /** Edges between two triangles that walk it in the same direction (one of the two is flipped). */
  inconsistentEdges: number;
  /** A watertight, consistently wound mesh whose triangles all face inwards (negative signed volume). */
  inwardFacing: boolean;
  /** null when the check was skipped. */
  selfIntersecting: boolean | null;
  /** Pairs of non-neighbouring triangles that cross or touch; null when the check was skipped. */
  selfIntersectingPairs: number | null;
  /**
   * Where the surface crosses itself: the first intersecting pairs found, at most
   * `MAX_DRAWN_PAIRS` (200), each as both triangles' corners `[x0, y0, z0, x1, …, z2]` in
   * model units — enough for a viewer to draw them without the mesh. Empty when there are
   * none or the check was skipped.
   */
  selfIntersectingFaces: Array<{ a: number[]; b: number[] }>;
  units: Units;
  profile: Profile;
  verdict: Verdict;
  issues: Issue[];
}
