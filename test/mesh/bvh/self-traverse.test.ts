import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Matrix4 } from 'three';
import { buildBvh, serializeBvh } from '../../../src/mesh/bvh/build.js';
import { forEachLeafPair } from '../../../src/mesh/bvh/self-traverse.js';
import { cube, grid, join } from '../report/shapes.js';

// The walk reads three-mesh-bvh's packed node layout directly; if an upgrade changes that
// layout, this comparison with the library's own dual traversal fails.
test('the self-walk visits exactly the leaf pairs bvhcast visits, each once', () => {
  const sheet = grid(60, 40, 0.5);
  const mesh = join(sheet, cube(8, [3, 3, -2]), cube(2, [20, 10, 0.5]));
  const bvh = buildBvh(mesh);

  const expected = new Set<string>();
  bvh.bvhcast(bvh, new Matrix4(), {
    intersectsRanges: (o1: number, c1: number, o2: number, c2: number) => {
      if (o1 <= o2) expected.add(`${o1}+${c1}|${o2}+${c2}`);
      return false;
    },
  });

  const seen: string[] = [];
  forEachLeafPair(
    serializeBvh(bvh, false).roots[0],
    (o, c) => seen.push(`${o}+${c}|${o}+${c}`),
    (o1, c1, o2, c2) => seen.push(o1 <= o2 ? `${o1}+${c1}|${o2}+${c2}` : `${o2}+${c2}|${o1}+${c1}`),
  );
  assert.equal(new Set(seen).size, seen.length, 'no pair twice');
  assert.deepEqual(new Set(seen), expected);
  assert.ok(expected.size > 100);
});
