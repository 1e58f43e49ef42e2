// The scans of the review page's browser tests, made from a real corpus molar with known
// differences: two visits of one patient whose second scan has a 0.3 mm bump (a known
// changed patch) and reaches 20 % further down the tooth (an area the old scan never
// covered: it must stay grey, never coloured as change), and a scan of another patient with
// a hole punched into its surface (a validation finding to locate).
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { cut, longAxis, pushPatch, tooth } from '../mesh/analysis/ground-truth.js';

const MOLAR = 'openfulljaw_P26_maxilla_tooth14_molar.stl';

/** Distance of each vertex along the axis, from the centre. */
function along(mesh: IndexedMesh, axis: number[], center: number[]): (v: number) => number {
  const p = mesh.positions;
  return (v) => (p[3 * v] - center[0]) * axis[0] + (p[3 * v + 1] - center[1]) * axis[1] + (p[3 * v + 2] - center[2]) * axis[2];
}

/** Remove the triangles within `radius` of vertex `at`: a hole in the surface. */
function punch(mesh: IndexedMesh, at: number, radius: number): IndexedMesh {
  const p = mesh.positions;
  const kept: number[] = [];
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const near = [0, 1, 2].some((k) => {
      const v = mesh.indices[t + k];
      return Math.hypot(p[3 * v] - p[3 * at], p[3 * v + 1] - p[3 * at + 1], p[3 * v + 2] - p[3 * at + 2]) < radius;
    });
    if (!near) kept.push(mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]);
  }
  return { positions: p, indices: Uint32Array.from(kept) };
}

export interface VisitScans {
  /** STL bytes. */
  old: Uint8Array;
  fresh: Uint8Array;
  holed: Uint8Array;
  /** The top of the bump on the new scan (its own frame, which the comparison keeps: no motion). */
  bumpTop: [number, number, number];
  /** Points of the new scan beyond the old scan's border (no counterpart there). */
  beyondOld: Array<[number, number, number]>;
}

/** Build the three scans (deterministic). */
export function visitScans(): VisitScans {
  const whole = tooth(MOLAR);
  const { axis, center, length } = longAxis(whole);
  const oldCut = 0.05 * length;
  const newCut = -0.15 * length;
  const old = cut(whole, axis, center, oldCut).mesh;
  const longer = cut(whole, axis, center, newCut).mesh;
  // The bump sits well inside the overlap: at the vertex farthest up the axis.
  const s = along(longer, axis, center);
  let top = 0;
  for (let v = 1; v < longer.positions.length / 3; v++) if (s(v) > s(top)) top = v;
  // Move it a little down from the very tip so the bump lies on a slope the views can see.
  let bumpAt = top;
  const target = 0.75 * s(top);
  for (let v = 0; v < longer.positions.length / 3; v++) if (Math.abs(s(v) - target) < Math.abs(s(bumpAt) - target)) bumpAt = v;
  const fresh = pushPatch(longer, bumpAt, 1.5, 0.3).mesh;
  const fp = fresh.positions;
  const bumpTop: [number, number, number] = [fp[3 * bumpAt], fp[3 * bumpAt + 1], fp[3 * bumpAt + 2]];
  const sf = along(fresh, axis, center);
  const beyondOld: Array<[number, number, number]> = [];
  const band = (x: number) => x > newCut + 0.02 * length && x < oldCut - 0.04 * length;
  for (let v = 0; v < fp.length / 3; v += 7) if (band(sf(v))) beyondOld.push([fp[3 * v], fp[3 * v + 1], fp[3 * v + 2]]);
  const holedBase = cut(whole, axis, center, 0).mesh;
  const sh = along(holedBase, axis, center);
  let mid = 0;
  for (let v = 0; v < holedBase.positions.length / 3; v++) if (Math.abs(sh(v) - 0.25 * length) < Math.abs(sh(mid) - 0.25 * length)) mid = v;
  return {
    old: writeStlBinary(old), fresh: writeStlBinary(fresh), holed: writeStlBinary(punch(holedBase, mid, 0.8)),
    bumpTop, beyondOld,
  };
}

/**
 * A scan of a third patient whose surface is pierced by a small closed tetrahedron (1.2 mm)
 * centred on one of its vertices: its faces cross the surface there — a self-intersection
 * at a known place. Returns the STL bytes and that place.
 */
export function crossedScan(): { stl: Uint8Array; at: [number, number, number] } {
  const whole = tooth(MOLAR);
  const { axis, center, length } = longAxis(whole);
  const base = cut(whole, axis, center, 0).mesh;
  const s = along(base, axis, center);
  let mid = 0;
  for (let v = 0; v < base.positions.length / 3; v++) if (Math.abs(s(v) - 0.3 * length) < Math.abs(s(mid) - 0.3 * length)) mid = v;
  const p = base.positions;
  const at: [number, number, number] = [p[3 * mid], p[3 * mid + 1], p[3 * mid + 2]];
  const r = 0.6;
  const corners = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].flatMap((c) => c.map((x, k) => at[k] + r * x));
  const n = p.length / 3;
  return {
    stl: writeStlBinary({
      positions: Float32Array.from([...p, ...corners]),
      indices: Uint32Array.from([...base.indices, n, n + 1, n + 2, n, n + 3, n + 1, n, n + 2, n + 3, n + 1, n + 3, n + 2]),
    }),
    at,
  };
}
