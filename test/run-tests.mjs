// Runs every *.test.ts and *.test.tsx under test/ with Node's test runner through tsx.
// Node 20's `node --test test/` silently skips .ts files, so the files are listed here.
// Usage: node test/run-tests.mjs [--suite faults] [substring…]
//   without --suite: every test but the fault suite (test/faults/), as `npm test` runs it;
//   --suite faults:  only test/faults/ (`npm run test:faults`: kill -9, full disks, slow
//                    writers, corrupted pages — slower, and some cases need root to mount).
//   substrings: only files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');
// Folders under test/ that hold no tests of the main suite.
const NOT_TESTS = new Set(['bench', 'fixtures']);
const SUITES = { faults: join(testDir, 'faults') };

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

const args = process.argv.slice(2);
let suite;
if (args[0] === '--suite') {
  suite = args[1];
  args.splice(0, 2);
  if (!SUITES[suite]) {
    console.error(`run-tests: no suite named ${suite} — known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(1);
  }
}
const filters = args;
const all = suite ? findTests(SUITES[suite], new Set()) : findTests(testDir, new Set(Object.values(SUITES)));
const files = all.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`run-tests: no test files matched ${filters.join(' ') || (suite ? `in suite ${suite}` : 'under test/')}`);
  process.exit(1);
}
// The fault suite starts and kills whole daemons and mounts small disks: one file at a time.
const concurrency = suite === 'faults' ? 1 : 2;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
