import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ray, Vector3 } from 'three';
import { buildBvh, deserializeBvh, serializeBvh } from '../../../src/mesh/bvh/build.js';
import { grid } from '../report/shapes.js';

test('building a BVH leaves the mesh untouched; serialized and restored it answers the same', () => {
  const mesh = grid(40, 40, 0.5);
  const before = mesh.indices.slice();
  const bvh = buildBvh(mesh);
  assert.deepEqual(mesh.indices, before);

  const data = serializeBvh(bvh);
  const copy = structuredClone(data);
  const restored = deserializeBvh(copy, mesh);
  assert.deepEqual(mesh.indices, before);
  for (const [x, y] of [[1.3, 2.7], [19.9, 0.1], [7, 7]]) {
    const ray = new Ray(new Vector3(x, y, 5), new Vector3(0, 0, -1));
    const a = bvh.raycastFirst(ray);
    const b = restored.raycastFirst(ray);
    assert.ok(a && b);
    assert.equal(b.faceIndex, a.faceIndex);
    assert.ok(Math.abs(b.distance - 5) < 1e-6);
  }
  // Outside the sheet nothing is hit.
  assert.equal(restored.raycastFirst(new Ray(new Vector3(-1, -1, 5), new Vector3(0, 0, -1))), null);
});
