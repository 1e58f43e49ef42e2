/**
 * Self-intersection: pairs of triangles of one mesh that cross or touch although they are
 * not neighbours. A scan that folds through itself has them; so does a model that was
 * merged from overlapping parts without a boolean union.
 *
 * The BVH of the mesh (three-mesh-bvh) is walked against itself (`self-traverse.ts`, which
 * visits each overlapping leaf pair once, where `bvhcast` with `intersectsRanges` visits it
 * twice). Each triangle's box was computed once into a Float32Array in BVH order, and
 * `leaf-pairs.ts` narrows, sweeps and tests the triangles of each leaf pair.
 *
 * Neighbours: every pair that shares a vertex (after exact welding) is skipped, as Open3D's
 * `is_self_intersecting` (the corpus's reference) and STACK-NOTES do — including a pair
 * that shares only one vertex and also crosses elsewhere. Such pairs always touch at the
 * shared vertex, so the closed-set test would report every neighbour; telling "touch at the
 * corner" from "fold through each other" needs a separate test of each triangle's far edge
 * against the other. Skipping keeps the count comparable with Open3D; the cost is that a
 * fold confined to one vertex's fan goes unseen here (its flipped triangles still show as
 * inconsistent winding), while a fold that reaches past the fan crosses non-neighbours and
 * is found. Zero-area triangles are skipped too (reported as degenerate; no plane to test).
 */
import type { IndexedMesh } from '../mesh.js';
import { scratchFloat32, scratchUint32, scratchUint8 } from '../report/scratch.js';
import { buildBvh, serializeBvh } from './build.js';
import { pairsBetween, pairsFound, pairsWithin, setTriangles } from './leaf-pairs.js';
import { forEachLeafPair } from './self-traverse.js';

/** What the self-intersection test finds. */
export interface SelfIntersections {
  /** Number of intersecting triangle pairs, each counted once. */
  count: number;
  /** The first pairs found (triangle indices of the input mesh, two per pair), at most `MAX_EXAMPLES` pairs. */
  examples: Uint32Array;
}

/** How many pairs are kept as examples (enough to show where; a broken file can have millions). */
export const MAX_EXAMPLES = 1000;

/**
 * Find the intersecting triangle pairs of a welded mesh (see `weldExact`: neighbours are
 * recognised by shared vertex indices). `onProgress` gets a fraction 0..1 now and then.
 */
export function findSelfIntersections(mesh: IndexedMesh, onProgress?: (fraction: number) => void): SelfIntersections {
  const triangleCount = mesh.indices.length / 3;
  if (triangleCount < 2) return { count: 0, examples: new Uint32Array(0) };
  const bvh = buildBvh(mesh, onProgress ? (f) => onProgress(f * 0.5) : undefined);

  // Per triangle in BVH order: its vertices, its box, and whether it has an area.
  const positions = mesh.positions;
  const source = mesh.indices;
  const verts = scratchUint32('bvh.verts', 3 * triangleCount);
  const boxes = scratchFloat32('bvh.boxes', 6 * triangleCount);
  const flat = scratchUint8('bvh.flat', triangleCount);
  for (let i = 0; i < triangleCount; i++) {
    const t = bvh.resolveTriangleIndex(i);
    const a = source[3 * t], b = source[3 * t + 1], c = source[3 * t + 2];
    verts[3 * i] = a;
    verts[3 * i + 1] = b;
    verts[3 * i + 2] = c;
    const ax = positions[3 * a], ay = positions[3 * a + 1], az = positions[3 * a + 2];
    const bx = positions[3 * b], by = positions[3 * b + 1], bz = positions[3 * b + 2];
    const cx = positions[3 * c], cy = positions[3 * c + 1], cz = positions[3 * c + 2];
    boxes[6 * i] = Math.min(ax, bx, cx);
    boxes[6 * i + 1] = Math.min(ay, by, cy);
    boxes[6 * i + 2] = Math.min(az, bz, cz);
    boxes[6 * i + 3] = Math.max(ax, bx, cx);
    boxes[6 * i + 4] = Math.max(ay, by, cy);
    boxes[6 * i + 5] = Math.max(az, bz, cz);
    const ux = bx - ax, uy = by - ay, uz = bz - az, vx = cx - ax, vy = cy - ay, vz = cz - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    flat[i] = nx === 0 && ny === 0 && nz === 0 ? 1 : 0;
  }

  const found = new Uint32Array(2 * MAX_EXAMPLES);
  setTriangles(boxes, verts, flat, positions, found);
  // One root: the mesh has no groups for the BVH and is built indirect (see build.ts).
  const [root] = serializeBvh(bvh, false).roots;
  let leaves = 0;
  forEachLeafPair(
    root,
    (offset, count) => {
      pairsWithin(offset, count);
      if (onProgress && (++leaves & 0x3fff) === 0) onProgress(0.5 + (0.5 * offset) / triangleCount);
    },
    pairsBetween,
  );
  onProgress?.(1);

  const count = pairsFound();
  const kept = Math.min(count, MAX_EXAMPLES);
  const examples = new Uint32Array(2 * kept);
  for (let k = 0; k < kept; k++) {
    const t1 = bvh.resolveTriangleIndex(found[2 * k]);
    const t2 = bvh.resolveTriangleIndex(found[2 * k + 1]);
    examples[2 * k] = Math.min(t1, t2);
    examples[2 * k + 1] = Math.max(t1, t2);
  }
  return { count, examples };
}
