// Injects the defects a real scan has into a clean closed mesh, so the benchmark (and anyone
// trying the checks) has a file where every check finds something: interior holes, floating
// debris, flipped, duplicated and zero-area triangles, and a fold through the far side.
import type { IndexedMesh } from '../../src/mesh/mesh.js';

/** How many of each defect to inject (defaults in `injectDefects`). */
export interface DefectCounts {
  /** Holes: the fan of triangles around a random vertex removed. */
  holes: number;
  /** Floating fragments: small closed tetrahedra next to the surface. */
  debris: number;
  /** Triangles whose winding is reversed. */
  flipped: number;
  /** Triangles appended a second time. */
  duplicated: number;
  /** Zero-area triangles (three points on a line), appended as slivers of their own. */
  degenerate: number;
  /** Vertices dragged through the middle of the model, so their fans cross the far side. */
  folds: number;
}

/** A small seeded generator (mulberry32): the same seed gives the same defects. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A copy of `mesh` (indexed, closed, with shared vertices) with defects injected at seeded
 * random places. Returns the mesh and what was injected.
 */
export function injectDefects(mesh: IndexedMesh, seed: number, counts: Partial<DefectCounts> = {}): { mesh: IndexedMesh; injected: DefectCounts } {
  const want: DefectCounts = { holes: 5, debris: 12, flipped: 20, duplicated: 30, degenerate: 10, folds: 1, ...counts };
  const rand = random(seed);
  const vertexCount = mesh.positions.length / 3;
  const triangleCount = mesh.indices.length / 3;
  const pick = (n: number): number => Math.floor(rand() * n);

  // Holes: drop every triangle around a few random vertices.
  const holeCentre = new Uint8Array(vertexCount);
  for (let k = 0; k < want.holes; k++) holeCentre[pick(vertexCount)] = 1;
  const kept: number[] = [];
  for (let t = 0; t < triangleCount; t++) {
    const a = mesh.indices[3 * t], b = mesh.indices[3 * t + 1], c = mesh.indices[3 * t + 2];
    if (holeCentre[a] || holeCentre[b] || holeCentre[c]) continue;
    kept.push(a, b, c);
  }
  const keptCount = kept.length / 3;

  // Flipped triangles.
  for (let k = 0; k < want.flipped; k++) {
    const t = pick(keptCount);
    [kept[3 * t + 1], kept[3 * t + 2]] = [kept[3 * t + 2], kept[3 * t + 1]];
  }
  // Duplicates of random triangles.
  for (let k = 0; k < want.duplicated; k++) {
    const t = pick(keptCount);
    kept.push(kept[3 * t], kept[3 * t + 1], kept[3 * t + 2]);
  }

  const out = new Float32Array(mesh.positions.length + 3 * (4 * want.debris + 3 * want.degenerate));
  out.set(mesh.positions);
  let next = vertexCount;
  const add = (x: number, y: number, z: number): number => {
    out[3 * next] = x;
    out[3 * next + 1] = y;
    out[3 * next + 2] = z;
    return next++;
  };
  const size = extent(mesh.positions);

  // Debris: tiny tetrahedra floating just off random vertices.
  for (let k = 0; k < want.debris; k++) {
    const v = pick(vertexCount);
    const s = size * 0.004;
    const x = mesh.positions[3 * v] + 2 * s, y = mesh.positions[3 * v + 1] + 2 * s, z = mesh.positions[3 * v + 2] + 2 * s;
    const p = add(x, y, z), q = add(x + s, y, z), r = add(x, y + s, z), u = add(x, y, z + s);
    kept.push(p, r, q, p, q, u, p, u, r, q, r, u);
  }
  // Slivers: three points on a line parallel to x (same y and z, so exactly collinear).
  for (let k = 0; k < want.degenerate; k++) {
    const v = pick(vertexCount);
    const x = mesh.positions[3 * v] + size * 0.01, y = mesh.positions[3 * v + 1], z = mesh.positions[3 * v + 2];
    kept.push(add(x, y, z), add(x + size * 0.002, y, z), add(x + size * 0.001, y, z));
  }
  // Folds: drag a vertex to its mirror image through the centre of the bounding box.
  const centre = middle(mesh.positions);
  for (let k = 0; k < want.folds; k++) {
    const v = pick(vertexCount);
    for (let c = 0; c < 3; c++) out[3 * v + c] = 2 * centre[c] - out[3 * v + c];
  }

  return { mesh: { positions: out, indices: new Uint32Array(kept) }, injected: want };
}

function extent(p: Float32Array): number {
  const [min, max] = bounds(p);
  return Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
}

function middle(p: Float32Array): number[] {
  const [min, max] = bounds(p);
  return [0, 1, 2].map((c) => (min[c] + max[c]) / 2);
}

function bounds(p: Float32Array): [number[], number[]] {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      if (p[i + c] < min[c]) min[c] = p[i + c];
      if (p[i + c] > max[c]) max[c] = p[i + c];
    }
  }
  return [min, max];
}
