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
import { generateToothMesh, seededRandom } from './generate-mesh.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function cutBelow(mesh: IndexedMesh, level: number): IndexedMesh {
  const { positions: p, indices } = mesh;
  const keep: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    if (p[3 * indices[t] + 2] + p[3 * indices[t + 1] + 2] + p[3 * indices[t + 2] + 2] > 3 * level) keep.push(t);
  }
  const map = new Int32Array(p.length / 3).fill(-1);
  const out = new Uint32Array(3 * keep.length);
  let n = 0;
  keep.forEach((t, j) => {
    for (let k = 0; k < 3; k++) {
      const v = indices[t + k];
      if (map[v] < 0) map[v] = n++;
      out[3 * j + k] = map[v];
    }
  });
  const positions = new Float32Array(3 * n);
  for (let v = 0; v < map.length; v++) if (map[v] >= 0) positions.set(p.subarray(3 * v, 3 * v + 3), 3 * map[v]);
  return { positions, indices: out };
}

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
