// sd_notify through the real systemd-notify tool, received on a real Unix datagram socket
// (made by python3, since Node has no datagram Unix sockets) — what systemd itself reads.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import { BlobStore } from '../../src/store/blobs.js';
import { openDatabase } from '../../src/store/database.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/store.js';
import { SystemdNotifier } from '../../src/systemd/notify.js';
import { tempDir } from '../helpers/temp.js';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const skip = !has('systemd-notify') ? 'systemd-notify missing (apt-get install systemd)' : !has('python3') ? 'python3 missing' : false;

const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
with open(sys.argv[2], 'a') as out:
    open(sys.argv[1] + '.ready', 'w').close()
    while True:
        try:
            data = s.recv(4096)
        except socket.timeout:
            break
        out.write(data.decode() + '\\n---\\n')
        out.flush()
`;

/** A datagram socket as systemd's NOTIFY_SOCKET, writing what it receives to `received`. */
async function listen(t: TestContext): Promise<{ dir: string; socketPath: string; received: string }> {
  const dir = tempDir(t);
  const socketPath = join(dir, 'notify.sock');
  const received = join(dir, 'received.txt');
  const listener = spawn('python3', ['-c', LISTENER, socketPath, received], { stdio: 'ignore' });
  t.after(() => listener.kill());
  for (let i = 0; i < 100 && !existsSync(`${socketPath}.ready`); i++) await new Promise((r) => setTimeout(r, 50));
  return { dir, socketPath, received };
}

test('READY=1 with a status, WATCHDOG=1 while healthy and none while not, STOPPING=1: as systemd receives them', { skip }, async (t) => {
  const { socketPath, received } = await listen(t);
  const messages = () => (existsSync(received) ? readFileSync(received, 'utf8') : '').split('\n---\n').filter((m) => m !== '' && m !== 'BARRIER=1');

  let healthy = true;
  const errors: string[] = [];
  const notifier = new SystemdNotifier({ env: { ...process.env, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '2000000' }, healthy: () => healthy, onError: (m) => errors.push(m) });
  assert.equal(notifier.watchdogMs, 2000);
  const alive = setTimeout(() => undefined, 10_000);
  t.after(() => clearTimeout(alive));

  await notifier.ready('serving on https://0.0.0.0:8443');
  assert.deepEqual(errors, [], errors.join('; '));
  assert.match(messages()[0], /READY=1/);
  assert.match(messages()[0], /STATUS=serving on https:\/\/0\.0\.0\.0:8443/);

  await new Promise((r) => setTimeout(r, 2300));
  const fed = messages().filter((m) => m.includes('WATCHDOG=1')).length;
  assert.ok(fed >= 1, 'the watchdog is fed every half interval');
  healthy = false;
  // Let a feed already on its way arrive, then count.
  await new Promise((r) => setTimeout(r, 1200));
  const before = messages().filter((m) => m.includes('WATCHDOG=1')).length;
  await new Promise((r) => setTimeout(r, 2300));
  assert.equal(messages().filter((m) => m.includes('WATCHDOG=1')).length, before, 'an unhealthy daemon stops feeding the watchdog, so systemd restarts it');

  await notifier.stopping('stopping (SIGTERM)');
  assert.match(messages().at(-1)!, /STOPPING=1/);
});

test('outside systemd (no NOTIFY_SOCKET) nothing is sent and nothing fails', async () => {
  const sent: string[][] = [];
  const notifier = new SystemdNotifier({ env: {}, healthy: () => true, send: async (args) => void sent.push(args) });
  assert.equal(notifier.enabled, false);
  assert.equal(notifier.watchdogMs, undefined);
  await notifier.ready('x');
  await notifier.stopping('y');
  assert.deepEqual(sent, []);
});

test('a watchdog meant for another process (WATCHDOG_PID) is left alone', () => {
  const notifier = new SystemdNotifier({ env: { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '1000000', WATCHDOG_PID: String(process.pid + 1) }, healthy: () => true });
  assert.equal(notifier.watchdogMs, undefined);
});

test('a long migration asks systemd for more start time (EXTEND_TIMEOUT_USEC), sized from the database', { skip }, async (t) => {
  const { dir, socketPath, received } = await listen(t);
  const notifier = new SystemdNotifier({ env: { ...process.env, NOTIFY_SOCKET: socketPath }, healthy: () => true });

  // A database at schema 3 holding a blob: opening it runs migration 4, which rewrites every chunk.
  const key = randomBytes(32);
  const path = join(dir, 'cusp.db');
  const old = openDatabase(path, key);
  migrate(old, loadMigrations().filter((m) => m.version <= 3));
  new BlobStore(old).put(randomBytes(3 * 1024 * 1024));
  old.close();
  const calls: Array<[number[], number]> = [];
  const store = openStore(path, key, {
    beforeMigrating: (versions, bytes) => {
      calls.push([versions, bytes]);
      notifier.extendStart(120 + bytes / 10e6, `applying database migrations ${versions.join(', ')}`);
    },
  });
  t.after(() => store.close());
  assert.deepEqual(calls.map(([v]) => v), [loadMigrations().filter((m) => m.version > 3).map((m) => m.version)]);
  assert.ok(calls[0][1] >= 3 * 1024 * 1024, `database size ${calls[0][1]}`);
  for (let i = 0; i < 100 && !existsSync(received); i++) await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 100 && !readFileSync(received, 'utf8').includes('EXTEND_TIMEOUT_USEC'); i++) await new Promise((r) => setTimeout(r, 50));
  const usec = Number(/EXTEND_TIMEOUT_USEC=(\d+)/.exec(readFileSync(received, 'utf8'))?.[1]);
  assert.equal(usec, Math.ceil((120 + calls[0][1] / 10e6) * 1e6));
  assert.match(readFileSync(received, 'utf8'), /STATUS=applying database migrations 4/);
  // Opening it again migrates nothing and asks for nothing.
  store.close();
  openStore(path, key, { beforeMigrating: () => assert.fail('no migration is pending') }).close();
});
