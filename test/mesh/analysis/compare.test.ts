// The whole comparison (registration + two-way deviation + statistics + regions) against
// ground truth built from the corpus's real teeth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareScans } from '../../../src/mesh/analysis/compare.js';
import { surfaceArea } from '../../../src/mesh/analysis/surface.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { soup } from '../report/shapes.js';
import { addNoise, cut, longAxis, moved, patchAbove, pushPatch, randomMotion, tooth } from './ground-truth.js';

const MOLAR = 'openfulljaw_P26_maxilla_tooth14_molar.stl';
const INCISOR = 'openfulljaw_P26_mandible_tooth24_incisor.stl';

/** Old and new visits of one tooth; `amount` pushes a patch of radius 1.5 mm around vertex `at`. */
function visits(name: string, amount: number, options: { at?: number; oldCut?: number; newCut?: number; seed?: number } = {}) {
  const whole = tooth(name);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, (options.oldCut ?? -0.1) * length).mesh;
  const trimmed = cut(whole, axis, center, (options.newCut ?? 0.05) * length).mesh;
  const at = options.at ?? 100;
  const bump = pushPatch(trimmed, at, 1.5, amount);
  const seed = options.seed ?? 7;
  const fresh = moved(addNoise(bump.mesh, 0.01, seed), randomMotion(seed, 15, 4, center));
  return { old, fresh, bump, trimmed };
}

test('an unchanged tooth, moved and rescanned with noise, reports ~0 and no regions', { skip: !hasCorpus() }, () => {
  for (const name of [MOLAR, INCISOR]) {
    const { old, fresh } = visits(name, 0);
    const { result } = compareScans(old, fresh);
    assert.ok(Math.abs(result.stats.mean) < 0.002, `mean ${result.stats.mean}`);
    assert.ok(result.stats.rms < 0.015, `rms ${result.stats.rms} (noise σ is 0.01)`);
    assert.ok(result.stats.p95 < 0.03);
    assert.ok(result.stats.max < 0.06);
    assert.equal(result.stats.areaOver['0.1'], 0);
    assert.deepEqual(result.regions, []);
    assert.ok(result.residualMm < 0.02);
    assert.ok(Math.abs(result.back.stats.mean) < 0.002);
    // The new scan was cut shorter: all of it lies on the old one, not the other way round.
    assert.ok(result.overlap > 0.99);
    assert.ok(result.back.overlap < 0.9);
  }
});

test('a patch pushed out by 0.2–0.5 mm is found: area within 10%, magnitude within 0.03 mm, in its place', { skip: !hasCorpus() }, (t) => {
  for (const name of [MOLAR, INCISOR]) {
    for (const amount of [0.2, 0.3, 0.5]) {
      const { old, fresh, bump } = visits(name, amount);
      const { result } = compareScans(old, fresh);
      const { area: truth, centroid: patchAt } = patchAbove(bump.mesh, bump.displacement, 0.1);
      const [region] = result.regions;
      assert.equal(result.regions.length, 1, `${name} ${amount}: ${JSON.stringify(result.regions)}`);
      assert.equal(region.sign, 1);
      assert.ok(Math.abs(region.areaMm2 - truth) < 0.1 * truth, `area ${region.areaMm2} vs ${truth}`);
      assert.ok(Math.abs(region.maxMm - amount) < 0.03, `max ${region.maxMm} vs ${amount}`);
      assert.ok(Math.abs(result.stats.areaOver['0.1'] - truth) < 0.1 * truth);
      // The patch is in the old scan's frame, where it was pushed.
      const off = Math.hypot(...region.centroid.map((c, k) => c - patchAt[k]));
      assert.ok(off < 0.1, `centroid ${off} mm from the patch`);
      assert.ok(Math.abs(result.stats.max - amount) < 0.04);
      // Seen from the old scan the same patch shows, signed the same way.
      assert.ok(result.back.stats.maxOut > amount - 0.05);
      t.diagnostic(`${name.slice(12)} push ${amount} mm: area ${region.areaMm2.toFixed(2)} mm² (truth ${truth.toFixed(2)}), max ${region.maxMm.toFixed(3)} mm, mean ${region.meanMm.toFixed(3)} mm`);
    }
  }
});

test('a patch pushed in reads negative; one pushed by 0.1 mm shows in the statistics', { skip: !hasCorpus() }, () => {
  const inward = compareScans(...pair(visits(MOLAR, -0.3, { at: 400 }))).result;
  assert.equal(inward.regions[0].sign, -1);
  assert.ok(Math.abs(inward.regions[0].maxMm + 0.3) < 0.03);
  assert.ok(Math.abs(inward.stats.maxIn + 0.3) < 0.04);
  const small = compareScans(...pair(visits(MOLAR, 0.1, { at: 400 }))).result;
  assert.ok(Math.abs(small.stats.maxOut - 0.1) < 0.04);
  assert.ok(small.stats.areaOver['0.2'] === 0);
});

test('where the new scan reaches past the old border it has no counterpart: overlap drops, nothing "moved"', { skip: !hasCorpus() }, () => {
  const { old, fresh, trimmed } = visits(INCISOR, 0, { oldCut: 0.05, newCut: -0.15 });
  const { result, distances } = compareScans(old, fresh);
  const expected = surfaceArea(old.positions, old.indices) / surfaceArea(trimmed.positions, trimmed.indices);
  assert.ok(Math.abs(result.overlap - expected) < 0.03, `overlap ${result.overlap} vs ${expected}`);
  assert.deepEqual(result.regions, []);
  assert.ok(distances.some(Number.isNaN));
  assert.ok(result.stats.max < 0.06);
});

test('an STL triangle soup is welded first: the maps are per distinct vertex', { skip: !hasCorpus() }, () => {
  const { old, fresh } = visits(INCISOR, 0.3);
  const c = compareScans(soup(old), soup(fresh));
  assert.equal(c.distances.length, c.current.positions.length / 3);
  assert.equal(c.current.positions.length, fresh.positions.length);
  assert.equal(c.backDistances.length, old.positions.length / 3);
  assert.equal(c.result.regions.length, 1);
  assert.equal(c.result.transform.length, 16);
  const json = JSON.parse(JSON.stringify(c.result));
  assert.deepEqual(Object.keys(json.stats.areaOver), ['0.1', '0.2', '0.5']);
});

function pair(v: { old: IndexedMesh; fresh: IndexedMesh }): [IndexedMesh, IndexedMesh] {
  return [v.old, v.fresh];
}

test('a molar compared with an incisor: the result says it cannot be trusted', { skip: !hasCorpus() }, () => {
  const { result } = compareScans(tooth(MOLAR), tooth(INCISOR));
  assert.ok(result.warnings.length >= 1, JSON.stringify(result.warnings));
  assert.match(result.warnings.join(' '), /same jaw|different parts/);
  const same = compareScans(...pair(visits(MOLAR, 0.3))).result;
  assert.deepEqual(same.warnings, []);
  assert.throws(() => compareScans({ positions: new Float32Array(0), indices: new Uint32Array(0) }, tooth(MOLAR)), /old scan has no triangles/);
});
