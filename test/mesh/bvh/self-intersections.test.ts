import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join as joinPath } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildBvh, serializeBvh } from '../../../src/mesh/bvh/build.js';
import { forEachLeafPair, leafCount, leafOffset } from '../../../src/mesh/bvh/self-traverse.js';
import {
  findSelfIntersections,
  leafPairCount,
  listLeafPairs,
  MAX_EXAMPLES,
  prepareSelfIntersections,
  testLeafPairs,
  type SelfIntersectionTree,
} from '../../../src/mesh/bvh/self-intersections.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMesh } from '../../../src/mesh/read/index.js';
import { weldExact, weldForChecks } from '../../../src/mesh/weld.js';
import { injectDefects } from '../../bench/generate-defects.js';
import { generateToothMesh } from '../../bench/generate-mesh.js';
import { corpusBytes, corpusPath, hasCorpus } from '../../helpers/corpus.js';
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

// The linear BVH replaced three-mesh-bvh's CENTER tree for this test. Whatever the tree, the
// narrow phase must find the same pairs: compared here pair for pair (every pair, not only
// the first examples) with the narrow phase run over three-mesh-bvh's tree.

/** Every pair the test finds over `tree`, as a sorted list of "t1,t2". */
function allPairs(tree: SelfIntersectionTree): string[] {
  const pairs = listLeafPairs(tree);
  const whole = testLeafPairs(tree, pairs, 0, leafPairCount(pairs), 1e7);
  const list: string[] = [];
  for (let k = 0; k < whole.examples.length; k += 2) list.push(`${whole.examples[k]},${whole.examples[k + 1]}`);
  assert.equal(list.length, whole.count);
  return list.sort();
}

/** The same per-triangle layout over three-mesh-bvh's tree (the builder used before). */
function centerTree(mesh: IndexedMesh): SelfIntersectionTree {
  const bvh = buildBvh(mesh);
  const linear = prepareSelfIntersections(mesh);
  const count = mesh.indices.length / 3;
  const order = new Uint32Array(count);
  const boxes = new Float32Array(6 * count);
  const verts = new Uint32Array(3 * count);
  const flat = new Uint8Array(count);
  // Copy each triangle's box, vertices and flag from the linear layout: the builders agree on
  // those (linear-bvh.test.ts checks them against the mesh); only the order differs.
  const where = new Uint32Array(count);
  for (let i = 0; i < count; i++) where[linear.order[i]] = i;
  for (let i = 0; i < count; i++) {
    const t = bvh.resolveTriangleIndex(i);
    const j = where[t];
    order[i] = t;
    boxes.set(linear.boxes.subarray(6 * j, 6 * j + 6), 6 * i);
    verts.set(linear.verts.subarray(3 * j, 3 * j + 3), 3 * i);
    flat[i] = linear.flat[j];
  }
  const nodes = serializeBvh(bvh, false).roots[0];
  // The narrow phase needs every leaf box to hold its triangles' boxes; three-mesh-bvh keeps
  // its boxes as centre and half size, which may round a hair inside. Each leaf's box is
  // made the union of its triangles' boxes, as the linear BVH makes it.
  const f32 = new Float32Array(nodes);
  forEachLeafPair(
    nodes,
    (node) => {
      const from = leafOffset(new Uint32Array(nodes), node);
      const to = from + leafCount(new Uint16Array(nodes), node);
      for (let k = 0; k < 3; k++) {
        f32[node + k] = Infinity;
        f32[node + 3 + k] = -Infinity;
        for (let i = from; i < to; i++) {
          f32[node + k] = Math.min(f32[node + k], boxes[6 * i + k]);
          f32[node + 3 + k] = Math.max(f32[node + 3 + k], boxes[6 * i + 3 + k]);
        }
      }
    },
    () => undefined,
  );
  return { nodes, order, boxes, verts, flat, positions: mesh.positions };
}

function sameAsBefore(mesh: IndexedMesh, what: string): number {
  const before = allPairs(centerTree(mesh));
  const now = allPairs(prepareSelfIntersections(mesh));
  assert.deepEqual(now, before, what);
  const r = findSelfIntersections(mesh);
  assert.equal(r.count, before.length, `${what}: count`);
  const examples = new Set<string>();
  for (let k = 0; k < r.examples.length; k += 2) examples.add(`${r.examples[k]},${r.examples[k + 1]}`);
  assert.equal(examples.size, Math.min(r.count, MAX_EXAMPLES), `${what}: examples, each once`);
  const all = new Set(before);
  for (const e of examples) assert.ok(all.has(e), `${what}: example ${e} is a crossing pair`);
  return before.length;
}

test('the linear BVH finds the same pairs as three-mesh-bvh\'s tree on every corpus mesh', { skip: !hasCorpus() && 'no corpus' }, async () => {
  const manifest = JSON.parse(corpusBytes('MANIFEST.json').toString('utf8')) as { files: Array<{ file: string; expected: { parse?: string; values?: { is_self_intersecting?: { value: boolean } } } }> };
  let checked = 0;
  let crossing = 0;
  for (const entry of manifest.files) {
    if (entry.expected.parse !== 'accept' || entry.expected.values?.is_self_intersecting === undefined) continue;
    const file = corpusPath(entry.file);
    const read = await readMesh({ bytes: readFileSync(file), name: basename(file), resolve: (uri) => readFileSync(joinPath(dirname(file), uri)) });
    const welded = weldForChecks(read.mesh);
    const mesh = { positions: welded.positions.slice(), indices: welded.indices.slice() };
    const n = sameAsBefore(mesh, entry.file);
    assert.equal(n > 0, entry.expected.values.is_self_intersecting.value, `${entry.file}: self-intersecting as Open3D says`);
    checked++;
    if (n > 0) crossing++;
  }
  assert.ok(checked >= 30 && crossing >= 5, `${checked} files checked, ${crossing} with crossings`);
});

test('the linear BVH finds the same pairs as three-mesh-bvh\'s tree on generated meshes with crossings', () => {
  // A tooth with folds dragged through its far side (a few hundred pairs).
  const folded = injectDefects(generateToothMesh(40_000, 5), 5, { folds: 4, holes: 0, debris: 0, flipped: 0, duplicated: 0, degenerate: 0 }).mesh;
  assert.ok(sameAsBefore(folded, 'folded tooth') > 0);
  // Two teeth through each other: thousands of pairs, more than the examples keep.
  const a = generateToothMesh(60_000, 1);
  const b = generateToothMesh(60_000, 2);
  const moved = b.positions.map((x, i) => (i % 3 === 0 ? x + 3 : i % 3 === 2 ? x + 1 : x));
  const two = sameAsBefore(join({ positions: a.positions, indices: a.indices }, { positions: moved, indices: b.indices }), 'two teeth');
  assert.ok(two > MAX_EXAMPLES, `${two} pairs`);
  // A clean tooth: none.
  assert.equal(sameAsBefore(generateToothMesh(20_000, 7), 'clean tooth'), 0);
});

test('a crowded soup lists more leaf pairs than the first guess: the list grows, in plain and shared memory, and loses none', () => {
  // 3000 triangles of about 2.5 mm in a 6 mm cube: every leaf overlaps many others.
  let seed = 7;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const count = 3000;
  const positions = new Float32Array(9 * count);
  for (let t = 0; t < count; t++) {
    const centre = [6 * random(), 6 * random(), 6 * random()];
    for (let k = 0; k < 9; k++) positions[9 * t + k] = centre[k % 3] + 2.5 * (random() - 0.5);
  }
  const mesh = { positions, indices: Uint32Array.from({ length: 3 * count }, (_, i) => i) };
  const whole = findSelfIntersections(mesh);
  assert.ok(whole.count > MAX_EXAMPLES, `${whole.count} pairs`);
  // The walk's own pairs, to compare each list with.
  const walked = (tree: SelfIntersectionTree): number[] => {
    const list: number[] = [];
    forEachLeafPair(tree.nodes, (node) => list.push(node, node), (node1, node2) => list.push(node1, node2));
    return list;
  };
  const trees: Array<[string, SelfIntersectionTree, boolean]> = [
    ['plain', prepareSelfIntersections(mesh), false],
    ['shared', prepareSelfIntersections(mesh, 'shared'), true],
    // An arena with room for the tree and the first guess of the list (about 6.5 of its 135 kB
    // left over): the list starts in it, then moves out.
    ['arena', prepareSelfIntersections(mesh, new SharedArrayBuffer(45 * count + 4608)), true],
  ];
  for (const [what, tree, shared] of trees) {
    const pairs = listLeafPairs(tree, shared);
    assert.ok(leafPairCount(pairs) > count / 4 + 32, `${what}: ${leafPairCount(pairs)} leaf pairs, more than the first guess`);
    assert.equal(pairs.buffer instanceof SharedArrayBuffer, shared, `${what}: in shared memory or not`);
    assert.deepEqual(Array.from(pairs), walked(tree), `${what}: every pair, in the walk's order`);
    const tested = testLeafPairs(tree, pairs, 0, leafPairCount(pairs));
    assert.equal(tested.count, whole.count, `${what}: count`);
    assert.deepEqual(tested.examples, whole.examples, `${what}: examples`);
  }
});

test('within a leaf, a leaf box that does not hold its triangles only lets more pairs through to the exact test: the same pairs', () => {
  const folded = injectDefects(generateToothMesh(20_000, 3), 3, { folds: 6, holes: 0, debris: 0, flipped: 0, duplicated: 0, degenerate: 0 }).mesh;
  const within = (tree: SelfIntersectionTree): string[] => {
    const all = listLeafPairs(tree);
    const own: number[] = [];
    for (let p = 0; p < all.length; p += 2) if (all[p] === all[p + 1]) own.push(all[p], all[p]);
    const found = testLeafPairs(tree, Uint32Array.from(own), 0, own.length / 2, 1e6);
    return Array.from({ length: found.count }, (_, k) => `${found.examples[2 * k]},${found.examples[2 * k + 1]}`);
  };
  const tree = prepareSelfIntersections(folded, 'shared');
  const expected = within(tree);
  assert.ok(expected.length > 0, 'crossings within leaves');
  // Every leaf box shrunk to its middle half on each axis: the quantized boxes clamp to its edges.
  const f32 = new Float32Array(tree.nodes, 0, tree.nodes.byteLength >> 2);
  forEachLeafPair(
    tree.nodes,
    (node) => {
      for (let k = 0; k < 3; k++) {
        const quarter = (f32[node + 3 + k] - f32[node + k]) / 4;
        f32[node + k] += quarter;
        f32[node + 3 + k] -= quarter;
      }
    },
    () => undefined,
  );
  assert.deepEqual(within(tree), expected);
});
