import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signedDistances } from '../../src/mesh/analysis/deviation.js';
import { prepareTarget } from '../../src/mesh/analysis/signed-distance.js';
import { findBorders } from '../../src/mesh/analysis/borders.js';
import { decimate, previewGlb } from '../../src/mesh/decimate.js';
import { readMeshSync } from '../../src/mesh/read/index.js';
import { writeGlb } from '../../src/mesh/write/glb.js';
import { hasCorpus } from '../helpers/corpus.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { cut, longAxis, tooth } from './analysis/ground-truth.js';

function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) if (!Number.isNaN(v)) m = Math.max(m, Math.abs(v));
  return m;
}

test('a decimated tooth keeps within its error bound of the original, both ways', { skip: !hasCorpus() }, async () => {
  const original = tooth('openfulljaw_P26_maxilla_tooth14_molar.stl');
  const { mesh, errorMm, triangles } = await decimate(original, { maxTriangles: 4000, maxErrorMm: 0.05 });
  assert.ok(triangles <= 4000 && triangles > 1000, `${triangles} triangles`);
  assert.equal(mesh.indices.length, 3 * triangles);
  assert.ok(errorMm <= 0.05);
  // Checked independently with the closest-point queries: every kept vertex lies on the
  // original, and every original vertex lies near the preview.
  const onOriginal = signedDistances(mesh.positions, prepareTarget(original));
  assert.ok(maxAbs(onOriginal) < 1e-4, `kept vertices moved ${maxAbs(onOriginal)}`);
  const back = signedDistances(original.positions, prepareTarget(mesh));
  assert.ok(maxAbs(back) < 0.06, `original vertices ${maxAbs(back)} mm off the preview`);
});

test('the error bound wins over the budget; borders of an open scan stay; colours travel', { skip: !hasCorpus() }, async () => {
  const whole = tooth('openfulljaw_P26_mandible_tooth24_incisor.stl');
  const { axis, center } = longAxis(whole);
  const scan = cut(whole, axis, center, 0).mesh;
  const tight = await decimate(scan, { maxTriangles: 100, maxErrorMm: 0.01 });
  assert.ok(tight.triangles > 100, 'stopped at the error bound before the budget');
  const before = findBorders(scan.indices, scan.positions.length / 3);
  const after = findBorders(tight.mesh.indices, tight.mesh.positions.length / 3);
  assert.equal(after.edgeCount, before.edgeCount, 'border edges are locked');
  const coloured = generateToothMesh(20_000, 3);
  const preview = await decimate(coloured, { maxTriangles: 2000, maxErrorMm: 1 });
  assert.ok(preview.mesh.colors && preview.mesh.colors.length === (preview.mesh.positions.length / 3) * 4);
  const glb = readMeshSync({ bytes: writeGlb(preview.mesh), name: 'preview.glb' }).mesh;
  assert.equal(glb.indices.length / 3, preview.triangles);
  const file = await previewGlb(coloured, { maxTriangles: 2000, maxErrorMm: 1 });
  assert.equal(readMeshSync({ bytes: file.glb, name: 'preview.glb' }).mesh.indices.length / 3, file.triangles);
  assert.ok(file.triangles <= 2000);
});

test('each preview vertex names an input vertex at its very position, also for an unwelded soup', async () => {
  const indexed = generateToothMesh(20_000, 3);
  // As an STL arrives: every triangle with its own three corners.
  const soup = { positions: new Float32Array(indexed.indices.length * 3), indices: Uint32Array.from({ length: indexed.indices.length }, (_v, k) => k) };
  indexed.indices.forEach((v, k) => soup.positions.set(indexed.positions.subarray(3 * v, 3 * v + 3), 3 * k));
  for (const input of [indexed, soup]) {
    const { mesh, sourceVertices } = await decimate(input, { maxTriangles: 2000 });
    assert.equal(sourceVertices.length, mesh.positions.length / 3);
    for (let v = 0; v < sourceVertices.length; v++) {
      const s = sourceVertices[v];
      assert.ok(s < input.positions.length / 3);
      for (let d = 0; d < 3; d++) assert.equal(mesh.positions[3 * v + d], input.positions[3 * s + d], `vertex ${v} axis ${d}`);
    }
  }
});
