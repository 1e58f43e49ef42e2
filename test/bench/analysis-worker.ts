// The second core of the deviation bench: a worker thread that measures a range of the
// points against a distance target whose arrays live in SharedArrayBuffers, so nothing is
// copied. Messages: {target, points, order, out} once, then {start, end} per run → 'done'.
import { parentPort } from 'node:worker_threads';
import { signedDistanceRange, type DistanceTarget } from '../../src/mesh/analysis/signed-distance.js';

interface Setup {
  target: DistanceTarget;
  points: Float32Array;
  order: Uint32Array;
  out: Float32Array;
}

let setup: Setup | null = null;
parentPort?.on('message', (message: Setup | { start: number; end: number }) => {
  if ('target' in message) {
    setup = message;
    parentPort?.postMessage('ready');
    return;
  }
  if (!setup) throw new Error('analysis worker: no setup message');
  signedDistanceRange(setup.target, setup.points, setup.order, message.start, message.end, {}, setup.out);
  parentPort?.postMessage('done');
});
