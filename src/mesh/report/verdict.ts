/**
 * The verdict: which findings matter for the profile, how much, and what to tell the
 * dentist or technician to do about them.
 *
 * scan — an intraoral scan is an open surface with one outer border. Interior holes,
 * floating debris, non-manifold parts and self-intersections are defects of the scan;
 * small ones are warnings, large ones fail it.
 * solid — a printable model must be closed, manifold, consistently wound, facing outwards
 * and free of self-intersections; anything else fails it.
 */
import type { Issue, Profile, Units, Verdict } from './types.js';
import { groupDigits } from './digits.js';

/** A piece smaller than this fraction of the largest one is debris, not a part of the jaw. */
export const DEBRIS_FRACTION = 0.05;
/** A hole whose border is at least this long (mm) is too big to fill in CAD: the area must be rescanned. */
export const LARGE_HOLE_MM = 15;
/** A scan with more self-intersecting pairs than max(this, 0.01% of its triangles) fails. */
export const FEW_SELF_INTERSECTIONS = 20;

/** The findings the verdict is based on. */
export interface Findings {
  profile: Profile;
  triangles: number;
  /** Every component's size in triangles, largest first. */
  componentSizes: Uint32Array;
  /** Border lengths of every hole (loops beyond each piece's outer border), longest first. */
  holes: number[];
  /** Border lengths of every boundary loop, longest first. */
  loops: number[];
  nonManifoldEdges: number;
  nonManifoldVertices: number;
  degenerateTriangles: number;
  duplicateTriangles: number;
  inconsistentEdges: number;
  inwardFacing: boolean;
  selfIntersectingPairs: number | null;
  units: Units;
}

const MM_PER_UNIT = { mm: 1, cm: 10, m: 1000, inch: 25.4, unknown: 1 } as const;

/** What each group of checks below needs: the findings, a way to add an issue, lengths in mm. */
interface Judging {
  f: Findings;
  solid: boolean;
  add: (code: string, severity: 'warn' | 'fail', message: string) => void;
  len: (units: number) => string;
}

/** Judge the findings: the issues in order of importance and the overall verdict. */
export function judge(f: Findings): { verdict: Verdict; issues: Issue[] } {
  const issues: Issue[] = [];
  const add = (code: string, severity: 'warn' | 'fail', message: string): void => {
    issues.push({ code, severity, message });
  };
  const mm = MM_PER_UNIT[f.units.guess];
  const j: Judging = { f, solid: f.profile === 'solid', add, len: (units) => `${(units * mm).toFixed(1)} mm` };

  if (f.triangles === 0) {
    add('empty', 'fail', 'The file holds no triangles — re-export it from the scanner or CAD software.');
    return { verdict: 'fail', issues };
  }
  // In order of importance: what the issues list shows first.
  judgeOpenings(j, mm);
  judgeTopology(j);
  judgePieces(j);
  judgeTriangles(j);
  judgeUnits(j);

  const verdict: Verdict = issues.some((i) => i.severity === 'fail') ? 'fail' : issues.length > 0 ? 'warn' : 'ok';
  return { verdict, issues };
}

/** Borders: any opening fails a solid; a scan's borders are expected, its interior holes are not. */
function judgeOpenings({ f, solid, add, len }: Judging, mm: number): void {
  if (solid && f.loops.length > 0) {
    add('not_watertight', 'fail', `The model is not closed: ${count(f.loops.length, 'opening')} (largest border ${len(f.loops[0])}) — close the holes before printing.`);
  } else if (!solid && f.holes.length > 0) {
    const large = f.holes[0] * mm >= LARGE_HOLE_MM;
    add('interior_holes', large ? 'fail' : 'warn', `${count(f.holes.length, 'interior hole')} (largest border ${len(f.holes[0])}) — rescan the area.`);
  }
}

/** Branching edges, pinched vertices, self-intersections, flipped or inward-facing triangles. */
function judgeTopology({ f, solid, add }: Judging): void {
  if (f.nonManifoldEdges > 0) {
    add('non_manifold_edges', 'fail', `${count(f.nonManifoldEdges, 'edge')} shared by three or more triangles (the surface branches) — repair the mesh in the scanner or CAD software.`);
  }
  if (f.nonManifoldVertices > 0) {
    add('non_manifold_vertices', solid ? 'fail' : 'warn', `${count(f.nonManifoldVertices, 'point')} where the surface pinches together at a single vertex — repair the mesh in the scanner or CAD software.`);
  }

  if (f.selfIntersectingPairs !== null && f.selfIntersectingPairs > 0) {
    const few = f.selfIntersectingPairs <= Math.max(FEW_SELF_INTERSECTIONS, f.triangles / 10000);
    add('self_intersections', solid || !few ? 'fail' : 'warn', `The surface passes through itself (${count(f.selfIntersectingPairs, 'crossing triangle pair')}) — ${solid ? 'repair the model before printing' : 'rescan the area or repair the mesh'}.`);
  }

  if (f.inconsistentEdges > 0) {
    add('flipped_triangles', solid ? 'fail' : 'warn', `Some triangles face the wrong way (${count(f.inconsistentEdges, 'edge')} between triangles of opposite orientation) — run the mesh repair ("fix normals").`);
  }
  if (f.inwardFacing) {
    add('inward_facing', solid ? 'fail' : 'warn', 'The model is inside out (all triangles face inwards) — flip the normals.');
  }
}

/** Floating debris (pieces far smaller than the largest) and a scan in several large pieces. */
function judgePieces({ f, solid, add }: Judging): void {
  const sizes = f.componentSizes;
  let debris = 0;
  let debrisTriangles = 0;
  let parts = sizes.length > 0 ? 1 : 0;
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i] < DEBRIS_FRACTION * sizes[0]) {
      debris++;
      debrisTriangles += sizes[i];
    } else {
      parts++;
    }
  }
  if (debris > 0) {
    add('debris', 'warn', `${count(debris, 'floating fragment')} (debris) totalling ${count(debrisTriangles, 'triangle')} — trim them in the scanner software.`);
  }
  if (!solid && parts > 1) {
    add('separate_parts', 'warn', `The scan is in ${parts} separate large pieces — check that it is one jaw and nothing is missing between the pieces.`);
  }
}

/** Zero-area and duplicated triangles. */
function judgeTriangles({ f, add }: Judging): void {
  if (f.degenerateTriangles > 0) {
    add('degenerate_triangles', 'warn', `${count(f.degenerateTriangles, 'zero-area triangle')} (slivers) — run the mesh repair before CAD or printing.`);
  }
  if (f.duplicateTriangles > 0) {
    add('duplicate_triangles', 'warn', `${count(f.duplicateTriangles, 'duplicated triangle')} — run the mesh repair or re-export before CAD or printing.`);
  }
}

/** A size that does not look like millimetres. */
function judgeUnits({ f, add }: Judging): void {
  if (f.units.guess === 'unknown') {
    add('units_unknown', 'warn', `The size does not look like a dental model (${f.units.reason}) — check the export units.`);
  } else if (f.units.guess !== 'mm') {
    const name = f.units.guess === 'inch' ? 'inches' : f.units.guess;
    add('units_not_mm', 'warn', `The model seems to be in ${name}, not millimetres (${f.units.reason}) — re-export in millimetres.`);
  }
}

/** "1 interior hole", "3 interior holes", "1,200 triangles". */
function count(n: number, noun: string): string {
  return `${groupDigits(n)} ${n === 1 ? noun : `${noun}s`}`;
}
