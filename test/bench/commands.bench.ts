// Cusp's commands as whole processes, as a user runs them, against a reference measured in
// the same run, alternating the two so a burst of load on the shared machine falls on both:
//   version   `cusp version` and `cusp inspect --help` ÷ a bare `node -e 0` (target ≤ 3×)
//   inspect   `cusp inspect FILE` (start, read, weld, every check with self-intersection) of a
//             closed tooth-like binary STL ÷ Debian's `admesh FILE` (its default checks), wall
//             time and peak RSS (target ≤ 2.5× at 1M triangles, peak ≤ 2.5× at 2M)
// Each figure is the range (min–max) of the runs' ratios, every run pairing one cusp and one
// reference process started back to back. Meshes are generated into a temp folder and removed.
// Run: npm run bench -- commands [runs] (default 5 runs; needs the build in dist/)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { userEnv } from './command-time.js';
import { generateToothMesh } from './generate-mesh.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'daemon', 'cli.js');

interface Run {
  ms: number;
  /** Peak resident memory of the process, bytes. */
  peak: number;
}

/**
 * Wall time (bash's clock around the process, not the bench's spawn, whose fork grows with
 * the bench's heap) and peak RSS (GNU time's %M) of `command args…`; undefined if it failed.
 */
function runOnce(dir: string, command: string, args: string[], okStatus = [0]): Run | undefined {
  const mem = join(dir, 'time.out');
  const script = 'a=$EPOCHREALTIME; /usr/bin/time -f %M -o "$0" "$@" >/dev/null 2>&1; s=$?; b=$EPOCHREALTIME; echo "$s $a $b"';
  const r = spawnSync('bash', ['-c', script, mem, command, ...args], { encoding: 'utf8', env: userEnv() });
  const [status, a, b] = r.stdout.trim().split(' ').map(Number);
  // GNU time prints "Command exited with non-zero status N" before %M when N ≠ 0.
  const kb = Number(readFileSync(mem, 'utf8').trim().split('\n').pop());
  if (r.status !== 0 || !okStatus.includes(status) || !(kb > 0)) return undefined;
  return { ms: (b - a) * 1000, peak: kb * 1024 };
}

function range(xs: number[], digits = 2): string {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
}

/** `runs` alternating pairs (ours, reference); one warm-up pair first so both read from the page cache. */
function pairs(dir: string, runs: number, ours: [string, string[]], reference: [string, string[]]): { ours: Run[]; ref: Run[] } | undefined {
  const out = { ours: [] as Run[], ref: [] as Run[] };
  for (let i = -1; i < runs; i++) {
    const a = runOnce(dir, ...ours);
    const b = runOnce(dir, ...reference);
    if (!a || !b) return undefined;
    if (i >= 0) {
      out.ours.push(a);
      out.ref.push(b);
    }
  }
  return out;
}

function main(): void {
  const runs = Math.max(3, Number(process.argv[2] ?? 5) || 5);
  if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) {
    console.log('GNU time is not installed (apt-get install -y time): nothing measured');
    return;
  }
  const hasAdmesh = !spawnSync('admesh', ['--version']).error;
  const dir = mkdtempSync(join(tmpdir(), 'cusp-commands-bench-'));
  const lines: string[] = [];
  try {
    for (const [label, args] of [['cusp version', ['version']], ['cusp inspect --help', ['inspect', '--help']]] as const) {
      const r = pairs(dir, runs, [process.execPath, [cli, ...args]], [process.execPath, ['-e', '0']]);
      if (!r) throw new Error(`${label} failed — build first (npm run build)`);
      const ratios = r.ours.map((o, i) => o.ms / r.ref[i].ms);
      lines.push(`${label.padEnd(22)} ${range(r.ours.map((o) => o.ms), 0)} ms   node -e 0 ${range(r.ref.map((o) => o.ms), 0)} ms   ratio ${range(ratios)}× (target ≤ 3×)`);
    }
    if (!hasAdmesh) {
      lines.push('admesh not installed (apt-get install -y admesh): inspect rows skipped');
    } else {
      for (const k of [1000, 2000]) {
        const file = join(dir, `tooth-${k}k.stl`);
        writeFileSync(file, writeStlBinary(generateToothMesh(k * 1000, 1)));
        gc();
        // inspect exits 1 on a failing verdict; the generated tooth passes, so 0 is expected.
        const r = pairs(dir, runs, [process.execPath, [cli, 'inspect', file]], ['admesh', [file]]);
        if (!r) throw new Error(`cusp inspect or admesh failed on ${file}`);
        const time = r.ours.map((o, i) => o.ms / r.ref[i].ms);
        const peak = r.ours.map((o, i) => o.peak / r.ref[i].peak);
        lines.push(
          `cusp inspect ${k / 1000}M STL`.padEnd(22) +
            ` ${range(r.ours.map((o) => o.ms), 0)} ms, ${range(r.ours.map((o) => o.peak / 2 ** 20), 0)} MiB` +
            `   admesh ${range(r.ref.map((o) => o.ms), 0)} ms, ${range(r.ref.map((o) => o.peak / 2 ** 20), 0)} MiB` +
            `   time ${range(time)}×, peak ${range(peak)}×`,
        );
        rmSync(file);
      }
      lines.push('targets: inspect time ≤ 2.5× admesh at 1M, peak ≤ 2.5× admesh at 2M');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${runs} alternating runs each, ranges of the per-run ratios`);
  for (const l of lines) console.log(l);
  console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores, shared)`);
}

main();
