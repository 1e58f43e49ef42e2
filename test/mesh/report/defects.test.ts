import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectMesh } from '../../../src/mesh/report/index.js';
import { injectDefects } from '../../bench/generate-defects.js';
import { generateToothMesh } from '../../bench/generate-mesh.js';
import { soup } from './shapes.js';

test('a clean generated tooth passes; with injected defects every one of them is named', () => {
  const clean = generateToothMesh(20_000, 3);
  const good = inspectMesh(soup(clean), { profile: 'solid' });
  assert.equal(good.verdict, 'ok', JSON.stringify(good.issues));
  assert.equal(good.watertight, true);

  const { mesh } = injectDefects(clean, 11);
  const r = inspectMesh(soup(mesh), { profile: 'scan' });
  // 5 holes in the surface; each zero-area sliver is a piece of its own with its own border.
  assert.equal(r.boundaryLoops.count, 5 + 10);
  // On a closed model the longest hole border is taken as the outer border.
  assert.equal(r.holes.count, 4);
  assert.equal(r.components.count, 1 + 12 + 10);
  assert.equal(r.degenerateTriangles, 10);
  assert.equal(r.duplicateTriangles, 30);
  assert.ok(r.nonManifoldEdges > 0, 'duplicates make edges with three or four triangles');
  assert.ok(r.inconsistentEdges > 0);
  assert.ok((r.selfIntersectingPairs ?? 0) > 0, 'the fold crosses the far side');
  assert.equal(r.verdict, 'fail');
  const codes = r.issues.map((i) => i.code);
  for (const code of ['interior_holes', 'non_manifold_edges', 'self_intersections', 'flipped_triangles', 'debris', 'degenerate_triangles', 'duplicate_triangles']) {
    assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
  }
  assert.match(r.issues.find((i) => i.code === 'debris')?.message ?? '', /^22 floating fragments \(debris\) totalling 58 triangles/);
});
