// Restart after a crash always works: the data folder is held by a lock the kernel drops
// when the daemon dies (cusp.lock), not by a pid number. A SIGKILLed daemon is restarted at
// once — before anyone reaps it — five times in a row; a pid file naming an unrelated live
// process does not block a start; a second daemon beside a live one is still refused; and
// what a killed backup left in the backup folder is gone after the next start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startDaemon, writeConfig, freePort } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { assertAnswers, assertAuditIntact } from './harness.js';

function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'data'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'data', 'cusp.key'), randomBytes(32).toString('hex'), { mode: 0o600 });
  return dir;
}

test('a SIGKILLed daemon restarts at once, five times in a row, and a second one beside a live daemon is still refused', async (t) => {
  const dir = setup(t);
  const port = await freePort();
  const configPath = writeConfig(dir, port);
  let daemon = await startDaemon(dir, { configPath, port });
  for (let i = 0; i < 5; i++) {
    // No wait for the exit: the dead process may still be unreaped when the next starts.
    daemon.child.kill('SIGKILL');
    daemon = await startDaemon(dir, { configPath, port });
    await assertAnswers(daemon);
  }
  const second = await runCli(['daemon', '--config', configPath], { cwd: dir });
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`^cusp daemon: another cusp daemon is running on this data folder \\(pid ${daemon.child.pid} from the pid file\\) — stop it first`, 'm'));
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0);
  assert.equal(existsSync(join(dir, 'data', 'cusp.pid')), false, 'a clean stop removes its pid file');
  await assertAuditIntact(configPath, dir);
});

test('a pid file naming an unrelated live process (this test, a sleep) does not block a start', async (t) => {
  const dir = setup(t);
  const port = await freePort();
  const configPath = writeConfig(dir, port);
  const first = await startDaemon(dir, { configPath, port });
  assert.equal(await first.stop(), 0);
  const pidFile = join(dir, 'data', 'cusp.pid');

  writeFileSync(pidFile, `${process.pid}\n`);
  const a = await startDaemon(dir, { configPath, port });
  await assertAnswers(a);
  assert.equal(await a.stop(), 0);

  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => sleeper.kill('SIGKILL'));
  writeFileSync(pidFile, `${sleeper.pid}\n`);
  const b = await startDaemon(dir, { configPath, port });
  await assertAnswers(b);
  // Commands that look for a running daemon ask the lock too: with it stopped and the pid
  // file naming the live sleep again, a restore goes ahead instead of "the daemon runs".
  assert.equal(await b.stop(), 0);
  writeFileSync(pidFile, `${sleeper.pid}\n`);
  const restore = await runCli(['restore', join(dir, 'no-such.cuspbak'), '--config', configPath], { cwd: dir });
  assert.doesNotMatch(restore.stderr, /is running/);
  await assertAuditIntact(configPath, dir);
});

test('the staging folder and .partial file of a killed backup, and a killed restore\'s work folder, are gone after the next start; nothing else is touched', async (t) => {
  const dir = setup(t);
  const port = await freePort();
  const configPath = writeConfig(dir, port);
  const first = await startDaemon(dir, { configPath, port });
  assert.equal(await first.stop(), 0);
  const backups = join(dir, 'data', 'backups');
  // Exactly the names create.ts and restore.ts give them (mkdtemp adds six characters).
  const staging = join(backups, '.cusp-20261206-040000.cuspbak.staging-Ab3xYz');
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'cusp.db'), randomBytes(3_000_000));
  writeFileSync(join(backups, 'cusp-20261206-040000.cuspbak.partial'), randomBytes(1000));
  const restoreWork = join(dir, 'data', '.cusp-restore-Q1w2E3');
  mkdirSync(restoreWork);
  writeFileSync(join(restoreWork, 'cusp.db'), randomBytes(1000));
  // Not Cusp's leftovers, or not leftovers: kept.
  writeFileSync(join(backups, 'cusp-20261205-040000.cuspbak'), randomBytes(1000));
  mkdirSync(join(backups, '.my-notes.staging-Ab3xYz'));
  mkdirSync(join(dir, 'data', '.pre-restore-20261205T040000Z'));

  const daemon = await startDaemon(dir, { configPath, port });
  t.after(() => daemon.stop('SIGKILL'));
  assert.deepEqual(readdirSync(backups).sort(), ['.my-notes.staging-Ab3xYz', 'cusp-20261205-040000.cuspbak']);
  assert.equal(existsSync(restoreWork), false);
  assert.equal(existsSync(join(dir, 'data', '.pre-restore-20261205T040000Z')), true);
  assert.match(daemon.output(), /removed 3 leftover\(s\) of a killed backup or restore/);
  assert.equal(await daemon.stop(), 0);
});
