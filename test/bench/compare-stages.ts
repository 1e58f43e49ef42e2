// Per-stage timestamps of the full compare on the analysis bench's 1M pair (dev aid):
//   node --expose-gc --import tsx test/bench/compare-stages.ts [runs] [--files DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startCompareSide } from '../../src/jobs/compare-side.js';
import { compareScans, compareScansWith } from '../../src/mesh/analysis/compare.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { cutBelow, generateToothMesh } from './generate-mesh.js';
import { laterVisit } from './scan-pair.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// This thread's time on a CPU (ms), from the kernel's schedstat: what the load of the other
// work on a shared machine does not inflate, unlike wall time.
const cpuMs = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

const runs = Number(process.argv[2] ?? 3);
const filesAt = process.argv.indexOf('--files');
const old = cutBelow(generateToothMesh(1_720_000, 2), -4);
const fresh = laterVisit(cutBelow(generateToothMesh(1_720_000, 2), -3), 3).mesh;
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
