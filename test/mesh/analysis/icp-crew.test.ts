// ICP with its pairing shared by a second, real worker thread (icp-crew.ts) gives exactly
// what ICP on one thread gives — motion, residual, cost, iterations — while the helper did
// pair part of the samples; and a crew too small for a run leaves that run to this thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildFlatBvh } from '../../../src/mesh/bvh/flat-bvh.js';
import { createCrew, type CrewSetup } from '../../../src/mesh/analysis/icp-crew.js';
import { icp, type IcpResult } from '../../../src/mesh/analysis/icp.js';
import { prepareTarget } from '../../../src/mesh/analysis/signed-distance.js';
import { sampleSurface } from '../../../src/mesh/analysis/surface-samples.js';
import { generateToothMesh } from '../../bench/generate-mesh.js';
import { addNoise, cut, longAxis, moved, pushPatch, randomMotion } from './ground-truth.js';

// The helper runs the compiled module, as the compare's side thread does (npm run build).
const CREW_JS = fileURLToPath(new URL('../../../dist/src/mesh/analysis/icp-crew.js', import.meta.url));

/** A real thread in `helpCrew(setup)` until the crew closes; resolves to the chunks it paired. */
function helper(setup: CrewSetup): { ready: Promise<void>; paired: Promise<number>; worker: Worker } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import(${JSON.stringify(CREW_JS)}).then(({ helpCrew }) => { parentPort.postMessage('ready'); parentPort.postMessage(helpCrew(workerData)); });`,
    { eval: true, workerData: setup },
  );
  let ready!: () => void;
  const readyP = new Promise<void>((resolve) => (ready = resolve));
  const paired = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: string | number) => (m === 'ready' ? ready() : resolve(m as number)));
    worker.on('error', reject);
  });
  return { ready: readyP, paired, worker };
}

function samePairing(one: IcpResult, two: IcpResult): void {
  assert.deepEqual(two.transform, one.transform);
  assert.equal(two.rms, one.rms);
  assert.equal(two.cost, one.cost);
  assert.equal(two.iterations, one.iterations);
  assert.equal(two.inlierFraction, one.inlierFraction);
  assert.equal(two.converged, one.converged);
}

test('ICP paired on two threads: the same motion, residual and cost to the last bit, the helper pairing part of the samples', async () => {
  const whole = generateToothMesh(200_000, 7);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, -0.1 * length).mesh;
  const fresh = moved(addNoise(pushPatch(cut(whole, axis, center, 0.05 * length).mesh, 500, 1.5, 0.3).mesh, 0.015, 3), randomMotion(3, 4, 1, center));
  // The tree in shared memory, as compareScansWith builds it when a side helps.
  const target = prepareTarget(old, undefined, buildFlatBvh(old, undefined, true));
  const samples = sampleSurface(fresh.positions, fresh.indices, 20_000, 1);
  const coarse = sampleSurface(fresh.positions, fresh.indices, 600, 2);
  const start = randomMotion(9, 0, 0, center);
  const alone = [icp(target, samples, start, { maxIterations: 40 }), icp(target, coarse, start, { maxIterations: 8, maxDistance: 5, floor: 0.1 })];
  assert.ok(alone[0].iterations > 3 && alone[0].inlierFraction > 0.5, `a real alignment: ${alone[0].iterations} iterations, ${alone[0].inlierFraction} paired`);

  const crew = createCrew(target, 20_000);
  const h = helper(crew.setup);
  try {
    await h.ready;
    const shared = [icp(target, samples, start, { maxIterations: 40, crew }), icp(target, coarse, start, { maxIterations: 8, maxDistance: 5, floor: 0.1, crew })];
    samePairing(alone[0], shared[0]);
    samePairing(alone[1], shared[1]);
  } finally {
    crew.close();
  }
  const paired = await h.paired;
  // 20 000 samples make 64 chunks an iteration: the helper, waiting from the start, took some.
  assert.ok(paired > 0, 'the helper paired no chunk');
  await h.worker.terminate();
});

test('a run larger than the crew, or after it closed, is paired on this thread alone, with the same result', () => {
  const mesh = generateToothMesh(40_000, 8);
  const target = prepareTarget(mesh);
  const samples = sampleSurface(mesh.positions, mesh.indices, 3000, 1);
  const start = randomMotion(4, 3, 0.5, [0, 0, 0]);
  const alone = icp(target, samples, start);
  const small = createCrew(target, 1000);
  assert.equal(small.begin(samples, new Uint32Array(3000), { maxDistance: Infinity, minCos: 0.5, cap: 0.5 }), undefined);
  samePairing(alone, icp(target, samples, start, { crew: small }));
  const closed = createCrew(target, 5000);
  closed.close();
  closed.close();
  samePairing(alone, icp(target, samples, start, { crew: closed }));
});
