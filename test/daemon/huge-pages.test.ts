// The commands that read whole scans run with transparent huge pages (daemon/huge-pages.ts):
// `cusp convert` and `cusp inspect` of big enough input, on a machine where first touches of
// memory are slow (or with CUSP_HUGE_PAGES=always), start themselves again with glibc's
// hugetlb tunable, and that child really maps its big arrays with huge pages, passes its
// output, errors and exit status through, and goes down with a SIGTERM sent to the command.
// Seen from outside, through /proc, as an admin would.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HUGE_PAGES_MIN_BYTES, HUGE_PAGES_TUNABLE, SLOW_FIRST_TOUCH_MICROS, firstTouchMicros, wantsHugePages } from '../../daemon/huge-pages.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { CLI } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

const THP = '/sys/kernel/mm/transparent_hugepage/enabled';
const madvise = existsSync(THP) && readFileSync(THP, 'utf8').includes('[madvise]');
const skip = madvise ? false : 'transparent huge pages are not in "madvise" mode here: the commands rightly do not relaunch';

/** The pids of `pid`'s children (Linux 3.5+: /proc/PID/task/TID/children). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

test('only the heavy commands on big enough files relaunch, never for --help, never over tunables a person set', { skip }, (t) => {
  const dir = tempDir(t);
  // Sparse files: their size is what counts, and they cost no disk.
  const big = join(dir, 'big.stl');
  const half = join(dir, 'half.stl');
  const small = join(dir, 'small.stl');
  assert.equal(HUGE_PAGES_MIN_BYTES.inspect, HUGE_PAGES_MIN_BYTES.compare);
  assert.ok(HUGE_PAGES_MIN_BYTES.convert <= HUGE_PAGES_MIN_BYTES.inspect / 2);
  for (const [path, size] of [[big, HUGE_PAGES_MIN_BYTES.inspect], [half, HUGE_PAGES_MIN_BYTES.inspect / 2], [small, 2 << 20]] as const) {
    writeFileSync(path, '');
    truncateSync(path, size);
  }
  const env = { PATH: '/usr/bin' };
  // Probes that say what a first touch costs: slow (a machine where relaunching paid) and fast.
  let asked = 0;
  const slow = (): number => (asked++, SLOW_FIRST_TOUCH_MICROS + 4);
  const fast = (): number => (asked++, SLOW_FIRST_TOUCH_MICROS / 3);
  const wants = (argv: string[], e: NodeJS.ProcessEnv = env, probe = slow): boolean => wantsHugePages(argv, e, probe);
  assert.equal(wants(['inspect', big]), true);
  assert.equal(wants(['compare', half, half]), true, 'the inputs together');
  assert.equal(wants(['convert', half, join(dir, 'out.ply')]), true, 'convert reads the whole file: it pays from less');
  assert.equal(wants(['inspect', big], env, fast), false, 'first touches are cheap here: the second start would cost more than it saves');
  assert.equal(wants(['inspect', big], { ...env, CUSP_HUGE_PAGES: 'always' }, fast), true, 'always: whatever the probe says');
  assert.equal(wants(['inspect', big], { ...env, CUSP_HUGE_PAGES: 'never' }), false, 'never: whatever the probe says');
  assert.equal(wants(['inspect', big], { ...env, CUSP_HUGE_PAGES: 'auto' }), true);
  assert.throws(() => wants(['inspect', big], { ...env, CUSP_HUGE_PAGES: 'yes' }), /CUSP_HUGE_PAGES is 'yes' — use auto \(the default\), always or never/);
  asked = 0;
  assert.equal(wants(['inspect', half]), false, 'inspect reads an STL welded as it goes: it pays from more');
  assert.equal(wants(['inspect', small]), false, 'a small scan: one more Node start costs more than huge pages save');
  assert.equal(wants(['compare', small, half]), false);
  assert.equal(wants(['inspect', join(dir, 'missing.stl')]), false, 'the command itself reports a missing file');
  assert.equal(wants(['inspect', '--json', dir]), false, 'a folder is not an input');
  assert.equal(wants(['version']), false);
  assert.equal(wants(['toString', big]), false, 'only the named commands');
  assert.equal(wants(['daemon']), false, 'the daemon gets it from its unit, not by relaunching');
  assert.equal(wants(['inspect', '--help', big]), false);
  assert.equal(wants(['inspect', big], { ...env, GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }), false);
  assert.equal(wants(['inspect', big], { ...env, GLIBC_TUNABLES: HUGE_PAGES_TUNABLE }), false, 'the child does not relaunch again');
  assert.equal(asked, 0, 'the probe runs only when the command, its input and the THP mode say yes');
});

test('the first-touch probe times fresh pages, and a bad CUSP_HUGE_PAGES stops the command with a clear message', { skip }, (t) => {
  const micros = firstTouchMicros();
  // A page fault costs at least a fraction of a microsecond anywhere, and never a millisecond.
  assert.ok(micros > 0.05 && micros < 1000, `${micros} µs a page`);
  const dir = tempDir(t);
  const big = join(dir, 'big.stl');
  writeFileSync(big, '');
  truncateSync(big, HUGE_PAGES_MIN_BYTES.inspect);
  const env: NodeJS.ProcessEnv = { ...process.env, CUSP_HUGE_PAGES: 'sometimes' };
  delete env.GLIBC_TUNABLES;
  const r = spawnSync(process.execPath, [CLI, 'inspect', big], { env, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "cusp: CUSP_HUGE_PAGES is 'sometimes' — use auto (the default), always or never\n");
});

test('cusp inspect of a small scan runs in one process', { skip }, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'small.stl');
  writeFileSync(file, writeStlBinary(generateToothMesh(20_000, 1)));
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  const cli = spawn(process.execPath, [CLI, 'inspect', file], { env, stdio: 'ignore' });
  let spawned = 0;
  let done = false;
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  void exited.then(() => (done = true));
  while (!done) {
    spawned = Math.max(spawned, children(cli.pid!).length);
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await exited, 0);
  assert.equal(spawned, 0, 'no second process for a small scan');
});

test('cusp convert runs in a child with huge pages mapped, and passes its output, errors and exit status through', { skip, timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'tooth.stl');
  const tooth = generateToothMesh(400_000, 1);
  writeFileSync(file, writeStlBinary(tooth));
  assert.ok(statSync(file).size >= HUGE_PAGES_MIN_BYTES.convert);
  // Always: this machine's first touches may be cheap, and the relaunch is what is tested.
  const env: NodeJS.ProcessEnv = { ...process.env, CUSP_HUGE_PAGES: 'always' };
  delete env.GLIBC_TUNABLES;
  const cli = spawn(process.execPath, [CLI, 'convert', file, join(dir, 'tooth.ply')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  // Watch the child while it works: its environment and its huge pages.
  let seen = { environ: '', hugeKb: 0 };
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    for (const pid of children(cli.pid!)) {
      const environ = readProc(pid, 'environ');
      const huge = Number(/AnonHugePages:\s+(\d+)/.exec(readProc(pid, 'smaps_rollup'))?.[1] ?? 0);
      if (environ) seen = { environ, hugeKb: Math.max(seen.hugeKb, huge) };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await exited, 0, 'exit status 0 through the relaunch');
  assert.ok(seen.environ.split('\0').includes(`GLIBC_TUNABLES=${HUGE_PAGES_TUNABLE}`), 'the child runs with the tunable');
  assert.ok(seen.hugeKb >= 2048, `the child maps huge pages (${seen.hugeKb} kB seen)`);
  assert.match(stdout, new RegExp(`tooth\\.ply: ${tooth.indices.length / 3} triangles`), 'the child\'s summary reaches stdout');

  // The same input to a folder that does not exist: the child fails, and says so.
  const bad = spawnSync(process.execPath, [CLI, 'convert', file, join(dir, 'missing', 'tooth.ply')], { env, encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /cannot write .*tooth\.ply: its folder does not exist/, 'the child\'s error reaches stderr');
});

test('a SIGTERM to cusp inspect ends the child too, and the command dies of it', { skip, timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'tooth.stl');
  writeFileSync(file, writeStlBinary(generateToothMesh(1_000_000, 1)));
  const env: NodeJS.ProcessEnv = { ...process.env, CUSP_HUGE_PAGES: 'always' };
  delete env.GLIBC_TUNABLES;
  const cli = spawn(process.execPath, [CLI, 'inspect', file], { env, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.once('exit', (_code, signal) => resolve(signal)));
  const child = await until('the relaunched child', () => children(cli.pid!)[0], 30_000);
  cli.kill('SIGTERM');
  assert.equal(await exited, 'SIGTERM', 'the command reports the signal it died of');
  await until('the child gone', () => !existsSync(`/proc/${child}`) || readProc(child, 'stat').split(' ')[2] === 'Z', 10_000);
});
