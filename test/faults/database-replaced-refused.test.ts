// The database is never silently replaced. With audit checkpoints outside it (the proof
// this installation had data), an emptied (0 bytes), a header-only, a missing and a foreign
// database are each refused: the daemon exits non-zero with one line saying what happened
// and the way out, and the data folder is left exactly as it was (a listing with sizes).
// `cusp audit verify` reports the broken state; `cusp restore FILE` is the way back and the
// daemon then starts with every scan. A brand-new data folder still starts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { freePort, runCli, startDaemon, writeConfig } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger } from './harness.js';

/** Every file below `dir` with its size, as sorted lines. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

const REFUSAL = /Cusp will not put a new database in its place: restore the latest backup with 'cusp restore FILE'; only for a deliberate fresh start, move .*checkpoints\.jsonl and .*cusp\.db\* aside first$/;

async function refused(dir: string, configPath: string, what: RegExp): Promise<void> {
  const data = join(dir, 'data');
  const before = listing(data);
  const run = await runCli(['daemon', '--config', configPath], { cwd: dir });
  assert.notEqual(run.code, 0);
  const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('cusp daemon:'));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], what);
  assert.match(lines[0], REFUSAL);
  assert.deepEqual(listing(data), before, 'the refused start left the data folder as it was');
  const verify = await runCli(['audit', 'verify', '--config', configPath], { cwd: dir });
  assert.equal(verify.code, 1);
  assert.match(verify.stdout, /^audit chain BROKEN: database /);
  assert.deepEqual(listing(data), before, 'audit verify left the data folder as it was');
}

test('an emptied, header-only, missing or foreign database with checkpoints outside is refused; restore is the way back', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(join(data, 'cusp.key'), key.toString('hex'), { mode: 0o600 });
  const port = await freePort();
  const configPath = writeConfig(dir, port);
  const ledger = new Ledger();
  const daemon = await startDaemon(dir, { configPath, port });
  for (const name of ['openfulljaw_P26_mandible_tooth24_incisor.stl', 'openfulljaw_P26_maxilla_tooth08_incisor.stl']) {
    const bytes = corpusBytes(`dental/${name}`);
    ledger.add(name, bytes);
    writeFileSync(join(data, 'inbox', name), bytes);
  }
  await until('both scans stored', () => readdirSync(join(data, 'inbox')).filter((n) => n.endsWith('.stl')).length === 0);
  const backup = join(dir, 'before.cuspbak');
  const made = await runCli(['backup', backup, '--config', configPath], { cwd: dir });
  assert.equal(made.code, 0, made.stderr);
  assert.equal(await daemon.stop(), 0);
  const db = join(data, 'cusp.db');

  truncateSync(db, 0);
  await refused(dir, configPath, /^cusp daemon: database .*cusp\.db is empty \(0 bytes\), but the audit checkpoints in .*checkpoints\.jsonl show it held data \(up to audit event \d+\)/);

  // Header-only: a keyed SQLCipher file with no tables (what an open-and-close makes).
  rmSync(db);
  const blank = openDatabase(db, key);
  blank.close();
  assert.ok(statSync(db).size > 0);
  await refused(dir, configPath, /^cusp daemon: database .*cusp\.db is empty \(\d+ bytes, no tables\)/);

  rmSync(db);
  await refused(dir, configPath, /^cusp daemon: database .*cusp\.db is missing, but the audit checkpoints in .*checkpoints\.jsonl show this installation had one/);

  // Foreign: another installation's database under the same key.
  const other = tempDir(t);
  mkdirSync(join(other, 'data'), { mode: 0o700 });
  writeFileSync(join(other, 'data', 'cusp.key'), key.toString('hex'), { mode: 0o600 });
  const otherPort = await freePort();
  const otherDaemon = await startDaemon(other, { configPath: writeConfig(other, otherPort), port: otherPort });
  assert.equal(await otherDaemon.stop(), 0);
  copyFileSync(join(other, 'data', 'cusp.db'), db);
  await refused(dir, configPath, /^cusp daemon: database .*cusp\.db (is not this installation's: its audit event \d+ differs from the one signed in|ends at audit event \d+, but the signed checkpoints in)/);

  // The way out named in the line: cusp restore FILE.
  renameSync(db, join(dir, 'foreign.db'));
  const restored = await runCli(['restore', backup, '--config', configPath], { cwd: dir });
  assert.equal(restored.code, 0, restored.stderr);
  const after = await startDaemon(dir, { configPath, port });
  t.after(() => after.stop('SIGKILL'));
  await assertAnswers(after);
  assert.equal(await after.stop(), 0);
  assertNothingLost(ledger, { dbPath: db, key, dropDirs: [], quarantineDirs: [] });
  await assertAuditIntact(configPath, dir);
});

test('a brand-new data folder (no database, no checkpoints, no key) starts on the built-in default; with its database and key gone later, it is refused, not recreated', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const data = join(dir, 'cusp-data');
  const daemon = await startDaemon(dir, { configPath: null, dataDir: data, env: { CUSP_API_PORT: String(port) }, port });
  t.after(() => daemon.stop('SIGKILL'));
  await assertAnswers(daemon);
  assert.match(daemon.output(), /generated a new database key/);
  assert.equal(await daemon.stop(), 0);
  rmSync(join(data, 'cusp.db'));
  rmSync(join(data, 'cusp.key'));
  const before = listing(data);
  const run = await runCli(['daemon'], { cwd: dir, env: { CUSP_API_PORT: String(port) } });
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /^cusp daemon: database .*cusp\.db is missing, but the audit checkpoints/m);
  assert.deepEqual(listing(data), before, 'no new key, no new database');
});
