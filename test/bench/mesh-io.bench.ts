// Mesh file reading speed and memory, per format and size, against references measured in
// the same run: a plain readFileSync of the same file, and Debian's `assimp info -r` (raw
// import, no post-processing) when installed. Meshes are generated (seeded tooth-like
// shapes), written with Cusp's own writers to a temp folder, and removed afterwards.
//
//   npm run bench -- mesh-io [thousands of triangles…]
//
// run.ts times the build in dist/ on plain node, as the daemon runs (through tsx the same
// code reads ASCII STL 20% slower; see run.ts).
// Columns: parse = readMeshSync on bytes already in memory (median after a warm-up call; a
// cold first call in a fresh process takes ~10% longer while V8 compiles); total = readFileSync + parse;
// assimp = wall time of `assimp info -r` (its own process: start-up, read, import; timed in a
// small shell so forking this big process is not counted);
// peak = growth of the max RSS of a child process that reads and parses the file once.
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeshFormat } from '../../src/mesh/mesh.js';
import { readMeshSync } from '../../src/mesh/read/index.js';
import { writeMesh } from '../../src/mesh/write/index.js';
import { commandMs } from './command-time.js';
import { generateToothMesh } from './generate-mesh.js';
import { peakBytes } from './peak-memory.js';

interface Variant {
  label: string;
  ext: string;
  format: MeshFormat;
  ascii: boolean;
}

const VARIANTS: Variant[] = [
  { label: 'STL binary', ext: 'stl', format: 'stl', ascii: false },
  { label: 'STL ASCII', ext: 'stl', format: 'stl', ascii: true },
  { label: 'PLY binary', ext: 'ply', format: 'ply', ascii: false },
  { label: 'PLY ASCII', ext: 'ply', format: 'ply', ascii: true },
  { label: 'OBJ', ext: 'obj', format: 'obj', ascii: false },
  { label: 'GLB', ext: 'glb', format: 'glb', ascii: false },
];

const self = fileURLToPath(import.meta.url);

/** Child mode: read and parse one file, report the peak RSS above the RSS before it, in KiB. */
if (process.argv[2] === '--child') {
  const before = process.memoryUsage().rss;
  const bytes = readFileSync(process.argv[3]);
  const { mesh } = readMeshSync({ bytes, name: process.argv[3] });
  process.stdout.write(JSON.stringify({ peakKiB: (peakBytes() - before) / 1024, triangles: mesh.indices.length / 3 }));
  process.exit(0);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `runs` calls of `f`, after one untimed call (the JIT's first compile). */
function time(runs: number, f: () => void): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    f();
    t.push(performance.now() - start);
  }
  return median(t);
}

function hasAssimp(): boolean {
  return spawnSync('assimp', ['version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Median wall time of `assimp info -r` over `runs`, after one untimed run, as for our side;
 * timed inside a small shell (see command-time.ts). Each run starts after a GC and a short
 * pause, so our process's background threads (sweeping, freeing the buffers just read) are
 * not competing with assimp for the two cores.
 */
function assimpMs(path: string, runs: number): number | undefined {
  const t: number[] = [];
  for (let i = -1; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const ms = commandMs('assimp', ['info', path, '-r']);
    if (ms === undefined) return undefined;
    if (i >= 0) t.push(ms);
  }
  return median(t);
}

function childPeak(path: string): { peakKiB: number; triangles: number } {
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child failed on ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { peakKiB: number; triangles: number };
}

const fmt = (v: number | undefined, digits = 0): string => (v === undefined ? '—' : v.toFixed(digits));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const thousands = sizes.length > 0 ? sizes : [100, 500, 1000, 2000];
const assimp = hasAssimp();
if (!assimp) console.log('note: assimp not installed (apt-get install -y assimp-utils): its column is empty');

const header = ['triangles', 'format', 'file MB', 'readFile ms', 'parse ms', 'parse/readFile', 'total ms', 'assimp -r ms', 'total/assimp', 'peak MB', 'peak/file'];
const rows: string[][] = [];
for (const k of thousands) {
  const mesh = generateToothMesh(k * 1000, 42);
  const triangles = mesh.indices.length / 3;
  const dir = mkdtempSync(join(tmpdir(), 'cusp-mesh-io-'));
  try {
    for (const v of VARIANTS) {
      const path = join(dir, `tooth-${k}k${v.ascii ? '-ascii' : ''}.${v.ext}`);
      // Written through to disk before timing: with 200 MB still being written back, the
      // reads measured (ours and assimp's) were up to twice as slow and varied run to run.
      const fd = openSync(path, 'w');
      writeSync(fd, writeMesh(mesh, v.format, { ascii: v.ascii }));
      fsyncSync(fd);
      closeSync(fd);
      const size = readFileSync(path).length;
      const runs = size > 200e6 ? 3 : 5;
      const readMs = time(runs, () => readFileSync(path));
      const bytes = readFileSync(path);
      const parseMs = time(runs, () => readMeshSync({ bytes, name: path }));
      const assimpTime = assimp ? assimpMs(path, size > 200e6 ? 1 : 3) : undefined;
      const { peakKiB, triangles: read } = childPeak(path);
      if (read !== triangles) throw new Error(`${path}: read ${read} triangles, wrote ${triangles}`);
      rows.push([
        String(triangles),
        v.label,
        fmt(size / 1e6, 1),
        fmt(readMs, 1),
        fmt(parseMs),
        fmt(parseMs / readMs, 1),
        fmt(readMs + parseMs),
        fmt(assimpTime),
        assimpTime === undefined ? '—' : fmt((readMs + parseMs) / assimpTime, 2),
        fmt((peakKiB * 1024) / 1e6, 0),
        fmt((peakKiB * 1024) / size, 1),
      ]);
      console.log(rows[rows.length - 1].join('  '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
for (const r of rows) console.log(line(r));
