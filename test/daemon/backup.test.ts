// Backup, key rotation and restore on the real daemon, as clinic IT runs them: backup and
// rotation while it serves, restore after stopping it, then the restored server starts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const skip = !hasCorpus() && 'no corpus';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function scanNames(daemon: RunningDaemon, token: string): Promise<string[]> {
  const res = await daemon.request('GET', '/api/v1/scans', { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { scans: Array<{ source: { originalName: string } }> }).scans.map((s) => s.source.originalName).sort();
}

test('backup and key rotation while the daemon serves; restore after it stops brings back exactly the backed-up state', { skip }, async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const extraConfig = `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.3\n`;
  // As under systemd: the daemon reads the key from $CREDENTIALS_DIRECTORY, a copy of the
  // key file made at each start (LoadCredential=); commands read the key file itself.
  const credentials = join(dir, 'credentials');
  const loadCredential = () => {
    mkdirSync(credentials, { recursive: true });
    copyFileSync(keyFile, join(credentials, 'cusp.key'));
  };
  loadCredential();
  const env = { CREDENTIALS_DIRECTORY: credentials };
  let daemon = await startDaemon(dir, { extraConfig, env });
  t.after(() => daemon.stop('SIGKILL'));
  const cli = (...args: string[]) => runCli([...args, '--config', daemon.configPath], { cwd: dir });

  const token = (await cli('token', 'create', '--name', 'pms', '--role', 'clinician')).stdout.trim();
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth14_molar.stl'), join(inbox, 'Muster_Max_2026-11-20_upper.stl'));
  await until('the first scan', async () => (await scanNames(daemon, token)).length === 1);

  const backup = await cli('backup');
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /^backup written: .*\/data\/backups\/cusp-\d{8}-\d{6}\.cuspbak \(.* MiB, schema \d+, audit events 1–\d+\), encrypted with the database key \(id [0-9a-f]{16}\) by the running daemon \(pid \d+\)/);
  const [name] = readdirSync(join(dir, 'data', 'backups'));
  const file = join(dir, 'data', 'backups', name);

  const oldKey = join(dir, 'old.key');
  copyFileSync(keyFile, oldKey);
  const rotate = await cli('key', 'rotate');
  assert.equal(rotate.code, 0, rotate.stderr);
  assert.match(rotate.stdout, /rotated by the running daemon/);
  assert.ok(!existsSync(`${keyFile}.new`));
  assert.notEqual(readFileSync(keyFile, 'utf8'), readFileSync(oldKey, 'utf8'));

  // The daemon keeps working under the new key, backups included.
  copyFileSync(corpusPath('dental/openfulljaw_P26_mandible_tooth19_molar.stl'), join(inbox, 'Muster_Max_2026-11-20_lower.stl'));
  await until('the second scan', async () => (await scanNames(daemon, token)).length === 2);
  const after = await cli('backup');
  assert.equal(after.code, 0, after.stderr);
  assert.equal(readdirSync(join(dir, 'data', 'backups')).length, 2);

  const refused = await cli('restore', file);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is running on this data folder — stop it first/);
  const check = await cli('restore', file, '--check', '--key-file', oldKey);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /is good: made .* audit events 1–\d+ verified against \d+ signed checkpoints/);

  assert.equal(await daemon.stop(), 0);
  assert.throws(() => openDatabase(join(dir, 'data', 'cusp.db'), Buffer.from(readFileSync(oldKey, 'utf8').trim(), 'hex')), /the key does not open/, 'the old key is dead after rotation');

  const withoutKey = await cli('restore', file);
  assert.equal(withoutKey.code, 1);
  assert.match(withoutKey.stderr, /made with another key .* pass --key-file/);
  const restore = await cli('restore', file, '--key-file', oldKey);
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, /^restored cusp-.*the local CA came back too/);
  const aside = readdirSync(join(dir, 'data')).filter((n) => n.startsWith('.pre-restore-'));
  assert.equal(aside.length, 1);
  assert.ok(existsSync(join(dir, 'data', aside[0], 'cusp.db')), 'the replaced database is kept');

  loadCredential();
  daemon = await startDaemon(dir, { configPath: daemon.configPath, port: daemon.port, env });
  assert.deepEqual(await scanNames(daemon, token), ['Muster_Max_2026-11-20_upper.stl'], 'the state of the backup: the token and the first scan');
  assert.equal(await daemon.stop(), 0);
  const verify = await cli('audit', 'verify', '--json');
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.equal((JSON.parse(verify.stdout) as { ok: boolean }).ok, true);
});
