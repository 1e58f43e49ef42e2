// Per-stage timestamps of the full compare on the analysis bench's 1M pair (dev aid):
//   node --expose-gc --import tsx test/bench/compare-stages.ts [runs] [--files DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startCompareSide } from '../../src/jobs/compare-side.js';
import { compareScans, compareScansWith } from '../../src/mesh/analysis/compare.js';
import { multiply, rotationAbout, transformPositions, translation } from '../../src/mesh/analysis/rigid-transform.js';
import { vertexNormals } from '../../src/mesh/analysis/surface.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { cutBelow, generateToothMesh, seededRandom } from './generate-mesh.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function laterVisit(scan: IndexedMesh, seed: number): IndexedMesh {
  const random = seededRandom(seed);
  const normals = vertexNormals(scan.positions, scan.indices);
  const p = scan.positions.slice();
  for (let v = 0; v < p.length / 3; v++) {
    const r = Math.hypot(p[3 * v] - 2, p[3 * v + 1], p[3 * v + 2] - 8);
    const bump = r < 1.5 ? 0.3 : r < 2.25 ? 0.15 + 0.15 * Math.cos((Math.PI * (r - 1.5)) / 0.75) : 0;
    const noise = 0.01 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    for (let k = 0; k < 3; k++) p[3 * v + k] += (bump + noise) * normals[3 * v + k];
  }
  const motion = multiply(translation(1.8, -1.5, 1.9), rotationAbout([0.6, 0.64, 0.48], (10 * Math.PI) / 180, [0, 0, 2]));
  return { positions: transformPositions(p, motion), indices: scan.indices };
}

// This thread's time on a CPU (ms), from the kernel's schedstat: what the load of the other
// work on a shared machine does not inflate, unlike wall time.
const cpuMs = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

const runs = Number(process.argv[2] ?? 3);
const filesAt = process.argv.indexOf('--files');
const old = cutBelow(generateToothMesh(1_720_000, 2), -4);
const fresh = laterVisit(cutBelow(generateToothMesh(1_720_000, 2), -3), 3);
if (filesAt > 0) {
  const dir = process.argv[filesAt + 1];
  writeFileSync(join(dir, 'old.stl'), writeStlBinary(old));
  writeFileSync(join(dir, 'new.stl'), writeStlBinary(fresh));
}
const oneThread = process.argv.includes('--one');
let json = '';
for (let run = 0; run < runs; run++) {
  gc();
  const marks: string[] = [];
  const t0 = performance.now();
  const c0 = cpuMs();
  let last = '';
  const onProgress = (_f: number, stage: string): void => {
    if (stage !== last) marks.push(`${stage} ${(performance.now() - t0).toFixed(0)}/${(cpuMs() - c0).toFixed(0)}`);
    last = stage;
  };
  if (oneThread) json = JSON.stringify(compareScans(old, fresh, { onProgress }).result);
  else {
    const side = startCompareSide(fresh);
    try {
      json = JSON.stringify((await compareScansWith(old, side, { onProgress })).result);
    } finally {
      await side.close();
    }
  }
  console.log(`${(performance.now() - t0).toFixed(0)} ms wall, ${(cpuMs() - c0).toFixed(0)} ms this thread's CPU  [wall/CPU at each stage: ${marks.join(', ')}]  load ${loadavg()[0].toFixed(1)}`);
}
console.error(json.slice(0, 300));
