// Occlusion on the corpus's real molars of one patient (Open-Full-Jaw P26, teeth 14 and 19,
// segmented from one CBCT, so in one frame and in their real bite) and against a flat
// "opposing jaw" at a known distance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureOcclusion } from '../../../src/mesh/analysis/occlusion.js';
import { translation } from '../../../src/mesh/analysis/rigid-transform.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { grid } from '../report/shapes.js';
import { moved, tooth } from './ground-truth.js';

const UPPER = 'openfulljaw_P26_maxilla_tooth14_molar.stl';
const LOWER = 'openfulljaw_P26_mandible_tooth19_molar.stl';

/** A flat sheet facing up (+z) at height z, under the whole of `mesh`. */
function sheetUnder(mesh: IndexedMesh, z: number): IndexedMesh {
  const p = mesh.positions;
  let x0 = Infinity, y0 = Infinity;
  for (let i = 0; i < p.length; i += 3) {
    x0 = Math.min(x0, p[i]);
    y0 = Math.min(y0, p[i + 1]);
  }
  return moved(grid(80, 80, 0.2), translation(x0 - 2, y0 - 2, z));
}

function lowest(mesh: IndexedMesh): number {
  let z = Infinity;
  for (let i = 2; i < mesh.positions.length; i += 3) z = Math.min(z, mesh.positions[i]);
  return z;
}

test('the real molars of one bite touch at one spot, seen alike from both jaws', { skip: !hasCorpus() }, () => {
  const o = measureOcclusion(tooth(UPPER), tooth(LOWER));
  for (const side of [o.upper, o.lower]) {
    assert.ok(side.stats.minClearanceMm >= 0 && side.stats.minClearanceMm < 0.05, `min ${side.stats.minClearanceMm}`);
    assert.equal(side.stats.penetrationAreaMm2, 0);
    assert.ok(side.contacts.length >= 1);
    assert.ok(side.stats.contactAreaMm2 > 0.1 && side.stats.contactAreaMm2 < 5);
  }
  const [a] = o.upper.contacts;
  const [b] = o.lower.contacts;
  assert.ok(Math.hypot(...a.centroid.map((c, k) => c - b.centroid[k])) < 0.2, 'the same contact from both sides');
  assert.equal(o.upper.clearance.length, o.upperMesh.positions.length / 3);
});

test('pressing the molars 0.2 mm further together turns the contact into a penetration', { skip: !hasCorpus() }, () => {
  const before = measureOcclusion(tooth(UPPER), tooth(LOWER));
  const after = measureOcclusion(tooth(UPPER), moved(tooth(LOWER), translation(0, 0, 0.2)));
  assert.ok(after.upper.stats.penetrationAreaMm2 > 0.5);
  assert.ok(after.upper.stats.contactAreaMm2 > before.upper.stats.contactAreaMm2);
  // The deepest overlap is at most the push, and most of it (the contact is not horizontal).
  assert.ok(after.upper.stats.maxPenetrationMm > 0.1 && after.upper.stats.maxPenetrationMm <= 0.2, `${after.upper.stats.maxPenetrationMm}`);
  assert.equal(after.upper.contacts[0].sign, -1);
});

test('against a flat sheet the clearance is exact: a 0.3 mm gap, then a 0.2 mm penetration', { skip: !hasCorpus() }, () => {
  const molar = tooth(UPPER);
  const z = lowest(molar);
  const gap = measureOcclusion(molar, sheetUnder(molar, z - 0.3));
  assert.ok(Math.abs(gap.upper.stats.minClearanceMm - 0.3) < 1e-5, `${gap.upper.stats.minClearanceMm}`);
  assert.equal(gap.upper.stats.contactAreaMm2, 0);
  assert.deepEqual(gap.upper.contacts, []);
  const pressed = measureOcclusion(molar, sheetUnder(molar, z + 0.2));
  assert.ok(Math.abs(pressed.upper.stats.maxPenetrationMm - 0.2) < 1e-5);
  // The sheet's vertices inside the crown are under it by at most 0.2 mm.
  assert.ok(pressed.lower.stats.maxPenetrationMm > 0.1 && pressed.lower.stats.maxPenetrationMm <= 0.2 + 1e-5);
  // Far from the bite nothing is measured.
  const far = measureOcclusion(molar, sheetUnder(molar, z - 5));
  assert.ok(Number.isNaN(far.upper.stats.minClearanceMm));
  assert.equal(far.upper.stats.nearAreaMm2, 0);
});
