/**
 * Self-intersection: pairs of triangles of one mesh that cross or touch although they are
 * not neighbours. A scan that folds through itself has them; so does a model that was
 * merged from overlapping parts without a boolean union.
 *
 * The BVH of the mesh is cast against itself (`bvhcast`). Its leaf-pair callback
 * (`intersectsRanges`) gets two ranges of triangles in BVH order; each triangle's box was
 * computed once into a Float32Array in that order, so the callback rejects most pairs with
 * six comparisons on neighbouring memory and runs the exact test
 * (`trianglesIntersect`) only for pairs whose boxes overlap. The cast visits each leaf pair
 * in both orders; only the order with the lower offset is tested, so each pair counts once.
 *
 * Neighbours: pairs that share a vertex (after exact welding) are skipped, as Open3D's
 * `is_self_intersecting` and STACK-NOTES do. Such pairs always touch at the shared vertex,
 * and telling "touch at the corner" from "fold through each other" needs a different test;
 * skipping them keeps the figure comparable with Open3D. A fold at a vertex still shows up
 * elsewhere: the folded triangles cross the triangles beyond their own fan, and the flipped
 * ones make the winding inconsistent. Zero-area triangles are skipped too (they are reported
 * as degenerate; they have no plane to test against).
 */
import { Matrix4 } from 'three';
import type { IndexedMesh } from '../mesh.js';
import { buildBvh } from './build.js';
import { trianglesIntersect } from './triangle-intersection.js';

/** What the self-intersection test finds. */
export interface SelfIntersections {
  /** Number of intersecting triangle pairs, each counted once. */
  count: number;
  /** The first pairs found (triangle indices of the input mesh, two per pair), at most `MAX_EXAMPLES` pairs. */
  examples: Uint32Array;
}

/** How many pairs are kept as examples (enough to show where; a broken file can have millions). */
export const MAX_EXAMPLES = 1000;

const IDENTITY = new Matrix4();
const coords = new Float64Array(18);

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
  const order = new Uint32Array(triangleCount);
  const verts = new Uint32Array(3 * triangleCount);
  const boxes = new Float32Array(6 * triangleCount);
  const flat = new Uint8Array(triangleCount);
  for (let i = 0; i < triangleCount; i++) {
    const t = bvh.resolveTriangleIndex(i);
    order[i] = t;
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

  let count = 0;
  const examples = new Uint32Array(2 * MAX_EXAMPLES);
  let leafPairs = 0;

  // Scratch for one leaf pair: the triangles of the second leaf whose boxes reach into the first leaf's box.
  let near = new Uint32Array(64);

  const testRanges = (offset1: number, count1: number, offset2: number, count2: number): boolean => {
    if (offset1 > offset2) return false;
    if (onProgress && (++leafPairs & 0xffff) === 0) onProgress(0.5 + (0.5 * offset1) / triangleCount);
    const end1 = offset1 + count1;
    const end2 = offset2 + count2;
    const same = offset1 === offset2;
    // The leaves' boxes overlap, but most of their triangles lie outside the other leaf's box:
    // narrow both sides to the triangles that reach into the other leaf before pairing them.
    let aMinX = Infinity, aMinY = Infinity, aMinZ = Infinity, aMaxX = -Infinity, aMaxY = -Infinity, aMaxZ = -Infinity;
    let bMinX = Infinity, bMinY = Infinity, bMinZ = Infinity, bMaxX = -Infinity, bMaxY = -Infinity, bMaxZ = -Infinity;
    if (!same) {
      for (let i = offset1; i < end1; i++) {
        const i6 = 6 * i;
        if (boxes[i6] < aMinX) aMinX = boxes[i6];
        if (boxes[i6 + 1] < aMinY) aMinY = boxes[i6 + 1];
        if (boxes[i6 + 2] < aMinZ) aMinZ = boxes[i6 + 2];
        if (boxes[i6 + 3] > aMaxX) aMaxX = boxes[i6 + 3];
        if (boxes[i6 + 4] > aMaxY) aMaxY = boxes[i6 + 4];
        if (boxes[i6 + 5] > aMaxZ) aMaxZ = boxes[i6 + 5];
      }
    }
    if (near.length < count2) near = new Uint32Array(2 * count2);
    let nearCount = 0;
    for (let j = offset2; j < end2; j++) {
      const j6 = 6 * j;
      if (flat[j]) continue;
      if (!same && (boxes[j6] > aMaxX || boxes[j6 + 3] < aMinX || boxes[j6 + 1] > aMaxY || boxes[j6 + 4] < aMinY || boxes[j6 + 2] > aMaxZ || boxes[j6 + 5] < aMinZ)) continue;
      near[nearCount++] = j;
      if (boxes[j6] < bMinX) bMinX = boxes[j6];
      if (boxes[j6 + 1] < bMinY) bMinY = boxes[j6 + 1];
      if (boxes[j6 + 2] < bMinZ) bMinZ = boxes[j6 + 2];
      if (boxes[j6 + 3] > bMaxX) bMaxX = boxes[j6 + 3];
      if (boxes[j6 + 4] > bMaxY) bMaxY = boxes[j6 + 4];
      if (boxes[j6 + 5] > bMaxZ) bMaxZ = boxes[j6 + 5];
    }
    if (nearCount === 0) return false;
    for (let i = offset1; i < end1; i++) {
      if (flat[i]) continue;
      const i6 = 6 * i;
      const minX = boxes[i6], minY = boxes[i6 + 1], minZ = boxes[i6 + 2];
      const maxX = boxes[i6 + 3], maxY = boxes[i6 + 4], maxZ = boxes[i6 + 5];
      if (minX > bMaxX || maxX < bMinX || minY > bMaxY || maxY < bMinY || minZ > bMaxZ || maxZ < bMinZ) continue;
      const a = verts[3 * i], b = verts[3 * i + 1], c = verts[3 * i + 2];
      for (let k = 0; k < nearCount; k++) {
        const j = near[k];
        // Within one leaf, each pair once.
        if (same && j <= i) continue;
        const j6 = 6 * j;
        if (boxes[j6] > maxX || boxes[j6 + 3] < minX || boxes[j6 + 1] > maxY || boxes[j6 + 4] < minY || boxes[j6 + 2] > maxZ || boxes[j6 + 5] < minZ) continue;
        const d = verts[3 * j], e = verts[3 * j + 1], f = verts[3 * j + 2];
        if (a === d || a === e || a === f || b === d || b === e || b === f || c === d || c === e || c === f) continue;
        load(positions, a, b, c, d, e, f);
        if (!trianglesIntersect(coords)) continue;
        if (count < MAX_EXAMPLES) {
          examples[2 * count] = Math.min(order[i], order[j]);
          examples[2 * count + 1] = Math.max(order[i], order[j]);
        }
        count++;
      }
    }
    return false;
  };
  bvh.bvhcast(bvh, IDENTITY, { intersectsRanges: testRanges });
  onProgress?.(1);
  return { count, examples: examples.slice(0, 2 * Math.min(count, MAX_EXAMPLES)) };
}

function load(p: Float32Array, a: number, b: number, c: number, d: number, e: number, f: number): void {
  coords[0] = p[3 * a]; coords[1] = p[3 * a + 1]; coords[2] = p[3 * a + 2];
  coords[3] = p[3 * b]; coords[4] = p[3 * b + 1]; coords[5] = p[3 * b + 2];
  coords[6] = p[3 * c]; coords[7] = p[3 * c + 1]; coords[8] = p[3 * c + 2];
  coords[9] = p[3 * d]; coords[10] = p[3 * d + 1]; coords[11] = p[3 * d + 2];
  coords[12] = p[3 * e]; coords[13] = p[3 * e + 1]; coords[14] = p[3 * e + 2];
  coords[15] = p[3 * f]; coords[16] = p[3 * f + 1]; coords[17] = p[3 * f + 2];
}
