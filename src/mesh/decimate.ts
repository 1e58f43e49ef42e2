/**
 * Decimation for previews: meshoptimizer's simplifier (edge collapses ordered by quadric
 * error, in WebAssembly) brings a scan down to a triangle budget a slow viewer can show,
 * and never past a bound on the geometric error in mm, so the preview stays true to the
 * scan. Borders are kept in place (a scan's edge is where the data ends, not a feature to
 * smooth away). Vertex colours travel with the vertices that remain.
 */
import { MeshoptSimplifier } from 'meshoptimizer';
import type { IndexedMesh } from './mesh.js';
import { weldExact } from './weld.js';
import { writeGlb } from './write/glb.js';

/** Options of `decimate`. */
export interface DecimateOptions {
  /** Aim for this many triangles at most (default 100 000). */
  maxTriangles?: number;
  /** Never move the surface by more than this (mm; default 0.05): the simplifier stops there even above the budget. */
  maxErrorMm?: number;
}

/** The decimated mesh and what it cost. */
export interface Decimation {
  mesh: IndexedMesh;
  /** The simplifier's estimate of the largest deviation from the input surface, mm. */
  errorMm: number;
  triangles: number;
  /**
   * For each vertex of `mesh`, the index of an input vertex at the same position (the
   * simplifier moves none, it only drops them): per-vertex data of the input, such as a
   * deviation map, carries over to the preview through it.
   */
  sourceVertices: Uint32Array;
}

/**
 * A lighter copy of `mesh` (welded first: the simplifier collapses shared edges). Async
 * only because the WebAssembly module loads once on first use.
 */
export async function decimate(mesh: IndexedMesh, options: DecimateOptions = {}): Promise<Decimation> {
  await MeshoptSimplifier.ready;
  const { mesh: welded, remap } = weldExact(mesh);
  const target = Math.min(welded.indices.length, 3 * Math.max(1, Math.floor(options.maxTriangles ?? 100_000)));
  const maxError = options.maxErrorMm ?? 0.05;
  const [indices, error] = MeshoptSimplifier.simplify(welded.indices, welded.positions, 3, target, maxError, ['ErrorAbsolute', 'LockBorder']);
  const { mesh: light, kept } = compact(welded, indices);
  // Welded vertex -> the first input vertex welded into it (the remap runs the other way).
  const firstInput = new Uint32Array(welded.positions.length / 3);
  for (let v = remap.length - 1; v >= 0; v--) firstInput[remap[v]] = v;
  const sourceVertices = new Uint32Array(kept.length);
  for (let i = 0; i < kept.length; i++) sourceVertices[i] = firstInput[kept[i]];
  return { mesh: light, errorMm: error, triangles: indices.length / 3, sourceVertices };
}

/** A decimated preview as GLB bytes, for viewers on slow machines (see `decimate` for the options). */
export async function previewGlb(mesh: IndexedMesh, options: DecimateOptions = {}): Promise<{ glb: Uint8Array; triangles: number; errorMm: number }> {
  const { mesh: light, triangles, errorMm } = await decimate(mesh, options);
  return { glb: writeGlb(light), triangles, errorMm };
}

/** Keep only the vertices `indices` uses, in order of first use, with their colours; `kept`: each one's index in `mesh`. */
function compact(mesh: IndexedMesh, indices: Uint32Array): { mesh: IndexedMesh; kept: Uint32Array } {
  const map = new Int32Array(mesh.positions.length / 3).fill(-1);
  let count = 0;
  const out = new Uint32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const v = indices[k];
    if (map[v] < 0) map[v] = count++;
    out[k] = map[v];
  }
  const positions = new Float32Array(3 * count);
  const colors = mesh.colors ? new Uint8Array(4 * count) : undefined;
  const kept = new Uint32Array(count);
  for (let v = 0; v < map.length; v++) {
    const to = map[v];
    if (to < 0) continue;
    kept[to] = v;
    positions[3 * to] = mesh.positions[3 * v];
    positions[3 * to + 1] = mesh.positions[3 * v + 1];
    positions[3 * to + 2] = mesh.positions[3 * v + 2];
    if (colors && mesh.colors) colors.set(mesh.colors.subarray(4 * v, 4 * v + 4), 4 * to);
  }
  return { mesh: colors ? { positions, indices: out, colors } : { positions, indices: out }, kept };
}
