// Runs every *.test.ts and *.test.tsx under test/ with Node's test runner through tsx.
// Node 20's `node --test test/` silently skips .ts files, so the files are listed here.
// Usage: node test/run-tests.mjs [substring…]  — only files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'bench' && entry.name !== 'fixtures') found.push(...findTests(path));
    } else if (/\.test\.tsx?$/.test(entry.name)) {
      found.push(relative(root, path));
    }
  }
  return found.sort();
}

const filters = process.argv.slice(2);
const files = findTests(testDir).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`run-tests: no test files matched ${filters.join(' ') || 'under test/'}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
