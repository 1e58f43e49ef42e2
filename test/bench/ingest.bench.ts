// Ingest: the real daemon (built CLI) watching a real folder. Figures, over RUNS runs each on
// a fresh daemon and database, as median and range:
// - drop → validated for the 1st and the 5th of five 1M-triangle binary STLs dropped one
//   after another (each `cp` waits for the one before to be validated) — the 5th shows
//   whether a file waits for anything but its own stability time (issue 15: before the raw
//   events, a file whose add chokidar lost waited for the 5-minute rescan);
// - a burst of 20 × 200k-triangle STLs copied at once → all validated;
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
import { dbOf } from '../helpers/db.js';

const STABILITY_S = 0.5;
// CUSP_BENCH_RUNS=N for more (each run costs minutes: 5 × 50 MB through the whole pipeline).
const RUNS = Number(process.env.CUSP_BENCH_RUNS ?? 3);
const SEQUENTIAL = 5;
const BURST = 20;
const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-ingest-'));
const src = join(dir, 'src');
mkdirSync(src);

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

// Different bytes per run, so no drop is a duplicate of an earlier one.
const bigNames: string[][] = [];
const burstNames: string[][] = [];
for (let run = 0; run < RUNS; run++) {
  bigNames.push([]);
  burstNames.push([]);
  for (let i = 0; i < SEQUENTIAL; i++) {
    const name = `r${run}_big${i}_upper.stl`;
    writeFileSync(join(src, name), writeMesh(generateToothMesh(1_000_000, 1 + run * 100 + i), 'stl'));
    bigNames[run].push(name);
  }
  for (let i = 0; i < BURST; i++) {
    const name = `r${run}_burst${i}_lower.stl`;
    writeFileSync(join(src, name), writeMesh(generateToothMesh(200_000, 10_000 + run * 100 + i), 'stl'));
    burstNames[run].push(name);
  }
}

function cpInto(target: string, files: string[]): number {
  const t0 = performance.now();
  execFileSync('cp', files.map((f) => join(src, f)).concat(target));
  return performance.now() - t0;
}

interface Run { first: number; fifth: number; burst: number; cpBig: number; cpBurst: number }

async function oneRun(run: number): Promise<Run> {
  const rdir = join(dir, `run${run}`);
  const inbox = join(rdir, 'inbox');
  const cpTarget = join(rdir, 'cp-target');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(cpTarget);
  const key = randomBytes(32);
  writeFileSync(join(rdir, 'cusp.key'), key.toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(rdir, {
    port: 19150 + run,
    extraConfig: `store:\n  keyFile: ${join(rdir, 'cusp.key')}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: ${STABILITY_S}\n    after: delete\n`,
  });
  const store = openStore(join(rdir, 'data', 'cusp.db'), key);
  const done = () => (dbOf(store).prepare("SELECT count(*) AS n FROM scans WHERE status IN ('validated', 'analysed', 'rejected')").get() as { n: number }).n;
  const until = async (target: number, t0: number) => {
    while (done() < target) await sleep(20);
    return performance.now() - t0;
  };
  try {
    const cpBig = cpInto(cpTarget, [bigNames[run][0]]);
    const seq: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now();
      cpInto(inbox, [bigNames[run][i]]);
      seq.push(await until(i + 1, t0));
    }
    const cpBurst = cpInto(cpTarget, burstNames[run]);
    const t0 = performance.now();
    cpInto(inbox, burstNames[run]);
    const burst = await until(SEQUENTIAL + BURST, t0);
    return { first: seq[0], fifth: seq[SEQUENTIAL - 1], burst, cpBig, cpBurst };
  } finally {
    store.close();
    await daemon.stop();
  }
}

const runs: Run[] = [];
for (let run = 0; run < RUNS; run++) runs.push(await oneRun(run));
rmSync(dir, { recursive: true, force: true });

function stats(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}
const row = (label: string, cusp: number[], cp: number[]) => {
  const c = stats(cusp);
  const ratios = stats(cusp.map((v, i) => v / cp[i]));
  const p = stats(cp);
  console.log(`${label.padEnd(44)} ${(c.median / 1000).toFixed(2).padStart(6)} s (${(c.min / 1000).toFixed(2)}–${(c.max / 1000).toFixed(2)})   cp ${p.median.toFixed(0).padStart(5)} ms   ${ratios.median.toFixed(0)}× (${ratios.min.toFixed(0)}–${ratios.max.toFixed(0)}×)`);
};
console.log(`ingest through the real daemon: drop → validated (stability ${STABILITY_S} s, SQLCipher, validation in worker threads), ${RUNS} runs, median (range)`);
row('1st of 5 sequential 1M-triangle STL (50 MB)', runs.map((r) => r.first), runs.map((r) => r.cpBig));
row('5th of 5 sequential 1M-triangle STL (50 MB)', runs.map((r) => r.fifth), runs.map((r) => r.cpBig));
row(`burst of ${BURST} × 200k-triangle STL (10 MB)`, runs.map((r) => r.burst), runs.map((r) => r.cpBurst));
