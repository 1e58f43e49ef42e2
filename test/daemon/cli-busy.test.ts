// A CLI command beside a daemon that holds the write lock for a while (a big scan's commit on
// a busy machine) waits for it instead of failing with "internal error: database is locked"
// after the daemon's own 5 s (seen in the full suite under load).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { dbOf } from '../helpers/db.js';
import { openStore } from '../../src/store/store.js';
import { runCli, writeConfig } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

test('cusp token create waits for a write lock held 7 s by another process and then succeeds', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const config = writeConfig(dir, 1, `store:\n  keyFile: ${keyFile}\n`);
  // The database made and migrated once, then held under a write lock by "the daemon".
  assert.equal((await runCli(['token', 'list', '--config', config])).code, 0);
  const holder = openStore(join(dir, 'data', 'cusp.db'), key);
  t.after(() => holder.close());
  dbOf(holder).exec('BEGIN IMMEDIATE');
  const started = Date.now();
  const created = runCli(['token', 'create', '--name', 'late', '--role', 'clinician', '--config', config]);
  setTimeout(() => dbOf(holder).exec('COMMIT'), 7000);
  const r = await created;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cusp_[A-Za-z0-9_-]{43}\n?$/);
  assert.ok(Date.now() - started >= 6000, 'it waited for the lock rather than finding none');
});
