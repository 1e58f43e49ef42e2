import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Matrix4 } from 'three';
import { buildBvh, serializeBvh } from '../../../src/mesh/bvh/build.js';
import { forEachLeafPair, leafCount, leafOffset } from '../../../src/mesh/bvh/self-traverse.js';
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
  const nodes = serializeBvh(bvh, false).roots[0];
  const u32 = new Uint32Array(nodes);
  const u16 = new Uint16Array(nodes);
  const range = (node: number): string => `${leafOffset(u32, node)}+${leafCount(u16, node)}`;
  forEachLeafPair(
    nodes,
    (node) => seen.push(`${range(node)}|${range(node)}`),
    (node1, node2) => seen.push(leafOffset(u32, node1) <= leafOffset(u32, node2) ? `${range(node1)}|${range(node2)}` : `${range(node2)}|${range(node1)}`),
  );
  assert.equal(new Set(seen).size, seen.length, 'no pair twice');
  assert.deepEqual(new Set(seen), expected);
  assert.ok(expected.size > 100);
});
