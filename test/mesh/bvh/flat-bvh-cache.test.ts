import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFlatBvh } from '../../../src/mesh/bvh/flat-bvh.js';
import { restoreFlatBvh, serializeFlatBvh } from '../../../src/mesh/bvh/flat-bvh-cache.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { weldExact } from '../../../src/mesh/weld.js';
import { corpusBytes, hasCorpus } from '../../helpers/corpus.js';

test('a cached BVH restores to exactly the tree that was built, and refuses another mesh', { skip: !hasCorpus() && 'no corpus' }, () => {
  const name = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
  const mesh = weldExact(readMeshSync({ bytes: corpusBytes(name), name }).mesh).mesh;
  const built = buildFlatBvh(mesh);
  const bytes = serializeFlatBvh(built);
  assert.ok(bytes.length < 16 + built.nodes.byteLength + 4 * built.triangles.length + 1, 'only nodes and triangle order are kept');
  const restored = restoreFlatBvh(bytes, mesh)!;
  assert.deepEqual(new Uint8Array(restored.nodes), new Uint8Array(built.nodes));
  assert.deepEqual(restored.triangles, built.triangles);
  assert.deepEqual(restored.corners, built.corners);
  const other = { ...mesh, indices: mesh.indices.subarray(0, mesh.indices.length - 3) };
  assert.equal(restoreFlatBvh(bytes, other), undefined, 'a cache for another mesh is not used');
  const damaged = bytes.slice();
  damaged[0] ^= 0xff;
  assert.equal(restoreFlatBvh(damaged, mesh), undefined);
});
