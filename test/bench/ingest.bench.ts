// Ingest: the real daemon (built CLI) watching a real folder. Figures:
// - latency: a 1M-triangle binary STL landing in the folder → its scan `validated`
//   (includes the folder's stability wait, reported separately);
// - throughput: a burst of 100 scans (100k triangles each) → all validated;
// each next to plain `cp` of the same files into a folder on the same disk.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMesh } from '../../src/mesh/write/index.js';
import { openStore } from '../../src/store/store.js';
import { startDaemon } from '../helpers/daemon.js';
import { generateToothMesh } from './generate-mesh.js';

const STABILITY_S = 0.5;
const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-ingest-'));
const src = join(dir, 'src');
const inbox = join(dir, 'inbox');
const cpTarget = join(dir, 'cp-target');
for (const d of [src, inbox, cpTarget]) mkdirSync(d);
const key = randomBytes(32);
writeFileSync(join(dir, 'cusp.key'), key.toString('hex'), { mode: 0o600 });

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

const big = writeMesh(generateToothMesh(1_000_000, 1), 'stl');
writeFileSync(join(src, 'big_upper.stl'), big);
const burst: string[] = [];
for (let i = 0; i < 100; i++) {
  const name = `burst_${i}_lower.stl`;
  writeFileSync(join(src, name), writeMesh(generateToothMesh(100_000, 100 + i), 'stl'));
  burst.push(name);
}

function cp(files: string[]): number {
  const t0 = performance.now();
  execFileSync('cp', files.map((f) => join(src, f)).concat(cpTarget));
  return performance.now() - t0;
}

const daemon = await startDaemon(dir, {
  extraConfig: `store:\n  keyFile: ${join(dir, 'cusp.key')}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: ${STABILITY_S}\n    after: delete\n`,
});
const store = openStore(join(dir, 'data', 'cusp.db'), key);
const count = (status: string) => (store.db.prepare('SELECT count(*) AS n FROM scans WHERE status = ?').get(status) as { n: number }).n;

async function timeUntil(target: number): Promise<number> {
  const t0 = performance.now();
  while (count('validated') + count('analysed') + count('rejected') < target) await sleep(20);
  return performance.now() - t0;
}

const cpBig = cp(['big_upper.stl']);
let t0 = performance.now();
execFileSync('cp', [join(src, 'big_upper.stl'), inbox]);
const copyBig = performance.now() - t0;
const latency = copyBig + (await timeUntil(1));

const cpBurst = cp(burst);
t0 = performance.now();
execFileSync('cp', burst.map((f) => join(src, f)).concat(inbox));
const copyBurst = performance.now() - t0;
const burstMs = copyBurst + (await timeUntil(101));
await daemon.stop();
store.close();
rmSync(dir, { recursive: true, force: true });

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
console.log(`ingest through the real daemon (stability ${STABILITY_S} s, SQLCipher, validation in worker threads)`);
console.log('case                                     cusp          plain cp     ratio');
console.log(`1M-triangle STL (${mb(big.length)} MB) → validated      ${(latency / 1000).toFixed(2).padStart(6)} s     ${cpBig.toFixed(0).padStart(6)} ms    ${(latency / cpBig).toFixed(1)}×   (of which ${STABILITY_S} s stability wait)`);
console.log(`burst of 100 × 100k-triangle STL → validated ${(burstMs / 1000).toFixed(2).padStart(6)} s     ${cpBurst.toFixed(0).padStart(6)} ms    ${(burstMs / cpBurst).toFixed(1)}×   (${(100 / (burstMs / 1000)).toFixed(1)} scans/s)`);
