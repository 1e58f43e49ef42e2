// What the console shows when it cannot do its job: the daemon down (and coming back),
// permission denied on the admin socket, a refused token, a role that may not, an
// untrusted certificate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { assertFits, consoleDaemon, Connection, flat, renderConsole } from './console-helpers.js';

test('daemon down: the overview says so and what to do, other screens show the reason; it recovers when the daemon starts', async (t) => {
  const dir = tempDir(t, 'cusp-tui-');
  const socketPath = join(dir, 'data', 'cusp.sock');
  const app = renderConsole(t, Connection.socket(socketPath));
  let frame = await app.waitFor('Cannot reach the daemon');
  assert.match(flat(frame), /the daemon is not running: nothing listens on the admin socket \S*cusp\.sock — start it/);
  assert.match(frame.split('\n')[0], /● unreachable$/);
  assertFits(frame);
  await app.press('3');
  frame = await app.waitFor(/✗ the daemon is not running/);
  assertFits(frame);

  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  mkdirSync(join(dir, 'inbox'));
  const extraConfig = `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${join(dir, 'inbox')}\n`;
  let daemon = await startDaemon(dir, { extraConfig });
  t.after(() => daemon.stop('SIGKILL'));
  await app.press('1');
  frame = await app.waitFor(/Daemon\s+ready · v\d.* · live/, 20_000);
  assert.match(frame.split('\n')[0], /● ready · v/);

  // A restart: the console notices, waits, and takes up the event stream again.
  await daemon.stop();
  await app.waitFor('Cannot reach the daemon', 20_000);
  daemon = await startDaemon(dir, { extraConfig, port: daemon.port });
  await app.waitFor(/Daemon\s+ready · v\d.* · live/, 30_000);
  if (!hasCorpus()) return;
  // The counts refresh on the stream's scan events (their timer is a minute): a new scan shows at once.
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(dir, 'inbox', 'Mustermann_Erika_2026-11-20_upper.stl'));
  await app.waitFor(/Scans\s+today 1/, 30_000);
});

test('permission denied on the admin socket is named as such, with what to do', async (t) => {
  const { socketPath } = await consoleDaemon(t);
  if (process.getuid?.() === 0) {
    // root passes every permission check: run the console as nobody instead.
    const script = fileURLToPath(new URL('./fixtures/print-frame.tsx', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, socketPath, 'Cannot reach'], {
      uid: 65534, gid: 65534, cwd: fileURLToPath(new URL('../..', import.meta.url)), env: { ...process.env, HOME: '/tmp' }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Cannot reach the daemon/);
    assert.match(flat(r.stdout), /permission denied on the admin socket \S*cusp\.sock — run the console as the cusp service user/);
    assertFits(r.stdout);
  } else {
    chmodSync(socketPath, 0o000);
    const app = renderConsole(t, Connection.socket(socketPath));
    const frame = await app.waitFor((f) => /permission denied on the admin socket \S*cusp\.sock — run the console as the cusp service user/.test(flat(f)));
    assert.match(frame, /Cannot reach the daemon/);
    assertFits(frame);
  }
});

test('remote: a refused token, a role that may not, and an untrusted certificate each say what is wrong', async (t) => {
  const { daemon, dir } = await consoleDaemon(t);
  const url = `https://127.0.0.1:${daemon.port}`;
  const ca = readFileSync(join(dir, 'data', 'tls', 'ca.crt'));

  const bogus = renderConsole(t, Connection.remote(url, `cusp_${'x'.repeat(43)}`, ca), { initialScreen: 'scans' });
  assertFits(await bogus.waitFor(/✗ the daemon refused the token \(unknown, revoked or expired\)/));
  bogus.unmount();

  const created = await runCli(['token', 'create', '--name', 'front-desk', '--role', 'clinician', '--config', daemon.configPath]);
  assert.equal(created.code, 0, created.stderr);
  const clinician = renderConsole(t, Connection.remote(url, created.stdout.trim(), ca), { initialScreen: 'folders' });
  assertFits(await clinician.waitFor(/✗ not allowed for your role: /));
  clinician.unmount();

  const untrusted = renderConsole(t, Connection.remote(url, created.stdout.trim()));
  const frame = await untrusted.waitFor((f) => /the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted — pass --ca/.test(flat(f)));
  assert.match(frame, /Cannot reach the daemon/);
  assertFits(frame);
});
