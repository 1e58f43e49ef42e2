// Commands load only what they use: help comes from the command cards alone, and `cusp
// version` loads the database addon but none of the libraries of the daemon, the console or
// the mesh tools. Checked by the modules each process loaded (a loader hook), not by time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { commands } from '../../daemon/commands/index.js';
import { CLI } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const TRACE = fileURLToPath(new URL('../fixtures/module-trace.mjs', import.meta.url));

/** Run the built CLI with the module trace; its stdout, exit status and the loaded modules. */
function traced(dir: string, args: string[]): { stdout: string; status: number | null; modules: string[] } {
  const file = join(dir, `trace-${args.join('-').replace(/[^a-z-]/gi, '')}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACE, CLI, ...args], { encoding: 'utf8', env: { ...process.env, MODULE_TRACE_FILE: file } });
  const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  assert.ok(modules.some((m) => m.endsWith('/daemon/cli.js')), `the trace saw the CLI start: ${r.stderr}`);
  return { stdout: r.stdout, status: r.status, modules };
}

const packages = (modules: string[]) => [...new Set(modules.filter((m) => m.includes('/node_modules/')).map((m) => m.replace(/^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1')))].sort();
const commandModules = (modules: string[]) => modules.filter((m) => /\/daemon\/commands\/(?!index\.js)[^/]+\.js$/.test(m)).map((m) => m.replace(/^.*\//, ''));

test('cusp help and every command\'s --help load no command module and no library', (t) => {
  const dir = tempDir(t);
  const help = traced(dir, ['help']);
  assert.equal(help.status, 0);
  for (const card of commands) assert.ok(help.stdout.includes(`cusp ${card.path.join(' ')}`), `help lists ${card.path.join(' ')}`);
  assert.deepEqual(packages(help.modules), []);
  assert.deepEqual(commandModules(help.modules), []);
  for (const card of commands) {
    const r = traced(dir, [...card.path, '--help']);
    assert.equal(r.status, 0, card.path.join(' '));
    assert.ok(r.stdout.startsWith(`usage: cusp ${card.path.join(' ')}`), `${card.path.join(' ')} --help prints its usage: ${r.stdout.slice(0, 80)}`);
    assert.deepEqual(packages(r.modules), [], `${card.path.join(' ')} --help loaded libraries`);
    assert.deepEqual(commandModules(r.modules), [], `${card.path.join(' ')} --help loaded its module`);
  }
});

test('cusp version prints Cusp\'s, Node\'s and SQLCipher\'s versions and loads only the database addon', (t) => {
  const r = traced(tempDir(t), ['version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^cusp \d+\.\d+\.\d+\nnode \d+\.\d+\.\d+\nSQLCipher 4 format via SQLite3 Multiple Ciphers \d+\.\d+\.\d+ \(SQLite \d+\.\d+\.\d+\)\n$/);
  assert.deepEqual(packages(r.modules), ['better-sqlite3-multiple-ciphers']);
  assert.deepEqual(commandModules(r.modules), ['version.js']);
});

test('each card loads a module that runs it', async () => {
  for (const card of commands) {
    const runner = await card.load();
    assert.equal(typeof runner.run, 'function', card.path.join(' '));
  }
});

test('cusp inspect loads the mesh code but not the daemon\'s, the console\'s or the config\'s libraries', (t) => {
  const r = traced(tempDir(t), ['inspect', fileURLToPath(new URL('../../package.json', import.meta.url))]);
  assert.equal(r.status, 1, 'package.json is no mesh: exit 1');
  const loaded = packages(r.modules);
  for (const heavy of ['koa', '@koa/router', 'ink', 'react', 'winston', 'zod', 'better-sqlite3-multiple-ciphers', 'chokidar', 'node-forge', 'yaml']) {
    assert.ok(!loaded.includes(heavy), `cusp inspect loaded ${heavy}: ${loaded.join(', ')}`);
  }
  // The checks need no three.js: only --analyse loads it (with inspect-analysis.js).
  assert.ok(!loaded.includes('three') && !loaded.includes('three-mesh-bvh'), `cusp inspect loaded three.js: ${loaded.join(', ')}`);
  assert.deepEqual(commandModules(r.modules).sort(), ['inspect.js']);
});
