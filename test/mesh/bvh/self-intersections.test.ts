import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findSelfIntersections } from '../../../src/mesh/bvh/self-intersections.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { weldExact } from '../../../src/mesh/weld.js';
import { cube, grid, join } from '../report/shapes.js';
import { isFlat, satIntersect } from './sat.js';

type V = [number, number, number];

/** Every pair, the same neighbour rule (shared vertex index = neighbours), the SAT oracle. */
function bruteForce(mesh: IndexedMesh): Set<string> {
  const t = mesh.indices.length / 3;
  const tri = (i: number): V[] => [0, 1, 2].map((k) => Array.from(mesh.positions.subarray(3 * mesh.indices[3 * i + k], 3 * mesh.indices[3 * i + k] + 3)) as V);
  const pairs = new Set<string>();
  for (let i = 0; i < t; i++) {
    for (let j = i + 1; j < t; j++) {
      const a = mesh.indices.subarray(3 * i, 3 * i + 3);
      const b = mesh.indices.subarray(3 * j, 3 * j + 3);
      if (a.some((v) => b.includes(v))) continue;
      if (isFlat(tri(i)) || isFlat(tri(j))) continue;
      if (satIntersect(tri(i), tri(j))) pairs.add(`${i},${j}`);
    }
  }
  return pairs;
}

function found(mesh: IndexedMesh): Set<string> {
  const r = findSelfIntersections(mesh);
  const pairs = new Set<string>();
  for (let k = 0; k < r.examples.length; k += 2) pairs.add(`${r.examples[k]},${r.examples[k + 1]}`);
  assert.equal(pairs.size, r.count, 'each pair once');
  return pairs;
}

test('the BVH finds exactly the pairs all-pairs testing finds (random meshes, fixed seed)', () => {
  const c = fc.integer({ min: 0, max: 12 });
  const mesh = fc
    .tuple(fc.array(fc.tuple(c, c, c), { minLength: 4, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 2, maxLength: 120 }))
    .map(([points, picks]) => {
      const n = points.length;
      const tris = picks.map(([a, b, d]) => [a % n, b % n, d % n]).filter(([a, b, d]) => a !== b && b !== d && a !== d);
      return { positions: new Float32Array(points.flat()), indices: new Uint32Array(tris.flat()) };
    });
  fc.assert(
    fc.property(mesh, (m) => {
      assert.deepEqual(found(m), bruteForce(m));
    }),
    { seed: 424242, numRuns: 300 },
  );
});

test('a closed surface and its neighbours do not count; a vertex pushed through the far side does', () => {
  const box = cube(10);
  assert.equal(findSelfIntersections(box).count, 0);
  const pushed = { positions: box.positions.slice(), indices: box.indices };
  pushed.positions.set([5, 5, 15], 0); // corner (0,0,0) dragged up through the top face
  const fold = findSelfIntersections(pushed);
  assert.ok(fold.count > 0);
  assert.deepEqual(found(pushed), bruteForce(pushed));
});

test('a large folded sheet: same answer as brute force on a mesh with many leaves', () => {
  // Two 20x20 sheets crossing each other at right angles, 1600 triangles.
  const a = grid(20, 20, 1);
  const b = grid(20, 20, 1);
  const upright = new Float32Array(b.positions.length);
  for (let i = 0; i < b.positions.length; i += 3) upright.set([b.positions[i] + 0.25, 10.5, b.positions[i + 1] - 10.25], i);
  const mesh = join(a, { positions: upright, indices: b.indices });
  const pairs = found(mesh);
  assert.ok(pairs.size > 0);
  assert.deepEqual(pairs, bruteForce(mesh));
});

test('only welded vertices make neighbours: an unwelded soup of a cube touches everywhere', () => {
  const welded = weldExact({ positions: cube().positions, indices: cube().indices }).mesh;
  assert.equal(findSelfIntersections(welded).count, 0);
});
