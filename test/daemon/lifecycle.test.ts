import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { test } from 'node:test';
import { freePort, runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

test('the daemon starts on a config, answers health over HTTPS, refuses old TLS, stops cleanly on SIGTERM and records it all in the audit chain', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, { extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));

  const health = await daemon.request('GET', '/api/v1/health');
  assert.equal(health.status, 200);
  assert.equal((health.body as { status: string }).status, 'ready');
  assert.equal((await daemon.request('GET', '/api/v1/nowhere')).status, 404);

  const oldTls = await new Promise<string>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: daemon.port, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', rejectUnauthorized: false });
    socket.on('secureConnect', () => { socket.destroy(); resolve('connected'); });
    socket.on('error', (err) => resolve(err.message));
  });
  assert.notEqual(oldTls, 'connected', 'a TLS 1.0/1.1 handshake must fail');

  assert.equal(statSync(join(dir, 'data', 'cusp.db')).mode & 0o777, 0o600, 'the database is private to the service user');
  const t0 = Date.now();
  assert.equal(await daemon.stop('SIGTERM'), 0);
  assert.ok(Date.now() - t0 < 5000, 'stops within a few seconds');
  assert.match(daemon.output(), /"msg":"stopped"/);

  const verify = await runCli(['audit', 'verify', '--config', daemon.configPath, '--json'], { cwd: dir });
  assert.equal(verify.code, 0, verify.stderr);
  const result = JSON.parse(verify.stdout);
  assert.equal(result.ok, true);
  assert.equal(result.events, 2, 'daemon.start and daemon.stop');
  assert.equal(result.lastCheckpoint.seq, 2, 'the stop writes a checkpoint');
  assert.equal(readFileSync(join(dir, 'data', 'audit', 'checkpoints.jsonl'), 'utf8').trim().split('\n').length, 1);
});

test('a wrong key, a readable key file, and a second daemon on the same data are each refused with one clear line', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, { extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));

  const second = await runCli(['daemon', '--config', daemon.configPath], { cwd: dir });
  assert.equal(second.code, 1);
  assert.match(second.stderr, /^cusp daemon: another cusp daemon is running on this data folder \(pid \d+ from the pid file\) — stop it first/m);
  assert.equal(await daemon.stop(), 0);

  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const wrong = await runCli(['daemon', '--config', daemon.configPath], { cwd: dir });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^cusp daemon: the key does not open database .*cusp\.db \(wrong key, or not a Cusp database\)/m);
  assert.equal(wrong.stderr.trim().split('\n').filter((l) => l.startsWith('cusp daemon:')).length, 1);

  chmodSync(keyFile, 0o644);
  const readable = await runCli(['daemon', '--config', daemon.configPath], { cwd: dir });
  assert.equal(readable.code, 1);
  assert.match(readable.stderr, /readable by group or others \(mode 644\) — run 'chmod 600/);
});

test('with no config at all the daemon runs on the built-in default and generates its key with a warning', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const daemon = await startDaemon(dir, { configPath: null, dataDir: join(dir, 'cusp-data'), env: { CUSP_API_PORT: String(port) }, port });
  t.after(() => daemon.stop('SIGKILL'));
  assert.match(daemon.output(), /built-in default config/);
  assert.match(daemon.output(), /generated a new database key at .*cusp-data\/cusp\.key \(mode 0600\)/);
  assert.equal(statSync(join(dir, 'cusp-data', 'cusp.key')).mode & 0o777, 0o600);
  assert.ok(statSync(join(dir, 'cusp-data', 'inbox')).isDirectory());
  if (hasCorpus()) {
    // The default inbox lives inside the data folder: it must be watched all the same.
    copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(dir, 'cusp-data', 'inbox', 'tooth_upper.stl'));
    const deadline = Date.now() + 30_000;
    while (existsSync(join(dir, 'cusp-data', 'inbox', 'tooth_upper.stl')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(join(dir, 'cusp-data', 'inbox', 'tooth_upper.stl')), false, 'the scan was taken in from the default inbox');
  }
  assert.equal(await daemon.stop(), 0);
});
