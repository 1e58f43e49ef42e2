// Registration against ground truth built from the corpus's real teeth: the new visit is the
// old tooth moved by a known rigid motion, with a patch pushed out, scanner noise and its
// border cut elsewhere. The recovered motion composed with the true one must be the identity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerScans } from '../../../src/mesh/analysis/registration.js';
import { multiply, rotationDegrees } from '../../../src/mesh/analysis/rigid-transform.js';
import { prepareTarget } from '../../../src/mesh/analysis/signed-distance.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { addNoise, cut, longAxis, motionError, moved, pushPatch, randomMotion, tooth } from './ground-truth.js';

const TEETH = ['openfulljaw_P26_maxilla_tooth14_molar.stl', 'openfulljaw_P26_mandible_tooth24_incisor.stl', 'openfulljaw_P26_mandible_tooth31_molar.stl'];

// Stated tolerances: a tenth of a degree and 20 µm RMS over the old scan's vertices (the
// noise alone is 15 µm per vertex).
const MAX_DEGREES = 0.1;
const MAX_RMS_MM = 0.02;

function visit(name: string, seed: number, degrees: number, shift: number) {
  const whole = tooth(name);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, -0.1 * length).mesh;
  const bump = pushPatch(cut(whole, axis, center, 0.05 * length).mesh, 50 * seed, 1.5, 0.3).mesh;
  const motion = randomMotion(seed, degrees, shift, center);
  return { old, fresh: moved(addNoise(bump, 0.015, seed), motion), motion };
}

test('rotations up to 20° and shifts up to 5 mm are recovered to within 0.1° and 0.02 mm', { skip: !hasCorpus() }, (t) => {
  let worstDegrees = 0;
  let worstMm = 0;
  for (const name of TEETH) {
    for (const [seed, degrees, shift] of [[1, 20, 5], [2, 12, 3], [3, 5, 1]]) {
      const { old, fresh, motion } = visit(name, seed, degrees, shift);
      const r = registerScans(fresh, prepareTarget(old));
      const error = multiply(r.transform, motion);
      const deg = rotationDegrees(error);
      const { rmsMm } = motionError(error, old);
      worstDegrees = Math.max(worstDegrees, deg);
      worstMm = Math.max(worstMm, rmsMm);
      assert.ok(deg < MAX_DEGREES, `${name} seed ${seed}: ${deg}°`);
      assert.ok(rmsMm < MAX_RMS_MM, `${name} seed ${seed}: ${rmsMm} mm`);
      assert.ok(r.converged);
      // The residual reports the fit of the unchanged parts: the noise, not the bump.
      assert.ok(r.residualMm > 0.005 && r.residualMm < 0.03, `residual ${r.residualMm}`);
    }
  }
  t.diagnostic(`worst error over ${TEETH.length * 3} cases: ${worstDegrees.toFixed(4)}°, ${worstMm.toFixed(4)} mm RMS`);
});

test('a scan turned upside down is found by the coarse search over principal axes', { skip: !hasCorpus() }, () => {
  for (const name of TEETH.slice(0, 2)) {
    const { old, fresh, motion } = visit(name, 4, 170, 5);
    const r = registerScans(fresh, prepareTarget(old));
    const error = multiply(r.transform, motion);
    assert.ok(r.candidates > 1, 'more than the first start was needed');
    assert.ok(rotationDegrees(error) < MAX_DEGREES);
    assert.ok(motionError(error, old).rmsMm < MAX_RMS_MM);
  }
});

test('a given start skips the coarse search', { skip: !hasCorpus() }, () => {
  const { old, fresh, motion } = visit(TEETH[1], 5, 3, 0.5);
  const r = registerScans(fresh, prepareTarget(old), { initial: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] });
  assert.equal(r.candidates, 1);
  assert.ok(motionError(multiply(r.transform, motion), old).rmsMm < MAX_RMS_MM);
});
