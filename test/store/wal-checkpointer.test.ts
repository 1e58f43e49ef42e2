// The WAL checkpoint thread against a real SQLCipher database: it, not the connection that
// writes, copies the WAL into the database file; big writers are paced so the WAL starts
// over instead of growing; it stops cleanly, pauses for a key rotation, and a thread that
// cannot open the database leaves checkpoints where they were.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WAL_AUTOCHECKPOINT_PAGES, WAL_BACKSTOP_PAGES } from '../../src/store/database.js';
import { rekeyDatabase } from '../../src/store/rekey.js';
import { openStore } from '../../src/store/store.js';
import { RESTART_PAGES, startCheckpointThread, WalCheckpointer } from '../../src/store/wal-checkpointer.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

test('the thread copies the WAL into the database while the writer only appends; big writes restart the WAL', async (t) => {
  const key = randomBytes(32);
  const store = openStore(join(tempDir(t), 'cusp.db'), key);
  const logging = captureLogging('info');
  const checkpointer = await startCheckpointThread(store, key, logging.logging.logger('store'));
  t.after(async () => {
    await checkpointer.stop();
    store.close();
  });
  assert.equal(checkpointer.stats.running, true);
  assert.ok(logging.lines().some((l) => l.msg === 'WAL checkpoints run on a thread of their own'));
  assert.equal(dbOf(store).pragma('wal_autocheckpoint', { simple: true }), WAL_BACKSTOP_PAGES, 'the writer only checkpoints as a backstop');

  // 48 MiB: more than RESTART_PAGES (32 MiB) of WAL, far less than the 64 MiB backstop.
  const bytes = randomBytes(48 * 1024 * 1024);
  const walSizes: number[] = [];
  const staged = await store.blobs.stage(bytes);
  walSizes.push(size(`${store.path}-wal`));
  store.transaction(() => store.blobs.put(bytes, undefined, staged));
  // The database file comes to hold the blob although the writer never reached its backstop
  // (64 MiB of WAL): the thread copied it.
  await until('the blob in the database file', () => size(store.path) >= 48 * 1024 * 1024);
  const pages = (48 * 1024 * 1024) / 4096;
  await until('the thread to report its copies', () => checkpointer.stats.frames >= pages);
  // Paced writes let the WAL start over: it never held the whole 48 MiB.
  assert.ok(walSizes[0] < 44 * 1024 * 1024, `WAL file ${walSizes[0]} bytes after staging 48 MiB (restart at ${RESTART_PAGES} pages)`);
  assert.ok(checkpointer.stats.wal.log < RESTART_PAGES, `WAL length ${checkpointer.stats.wal.log} pages`);
  assert.deepEqual(Buffer.from((await store.blobs.readArrayBuffer(staged.hash))!), bytes);
});

test('stop returns checkpoints to the writer; pause and resume carry a key rotation', async (t) => {
  const key = randomBytes(32);
  const path = join(tempDir(t), 'cusp.db');
  const store = openStore(path, key);
  t.after(() => store.close());
  const logging = captureLogging('info');
  const checkpointer = new WalCheckpointer({ db: dbOf(store), path, log: logging.logging.logger('store') });
  assert.equal(await checkpointer.start(key), true);
  await checkpointer.pause();
  assert.equal(checkpointer.stats.running, false);
  assert.equal(dbOf(store).pragma('wal_autocheckpoint', { simple: true }), WAL_AUTOCHECKPOINT_PAGES);
  const newKey = randomBytes(32);
  rekeyDatabase(dbOf(store), newKey); // needs the only connection: it fails while the thread's is open
  assert.equal(await checkpointer.resume(newKey), true, 'the thread opens the rekeyed database with the new key');
  store.blobs.put(randomBytes(2 * 1024 * 1024));
  await until('a checkpoint under the new key', () => checkpointer.stats.frames > 0);
  await checkpointer.stop();
  assert.equal(checkpointer.stats.running, false);
  assert.equal(dbOf(store).pragma('wal_autocheckpoint', { simple: true }), WAL_AUTOCHECKPOINT_PAGES);
  assert.equal(await checkpointer.resume(), false, 'resume only after a pause');
  assert.ok(!logging.lines().some((l) => l.level === 'warn' || l.level === 'error'), 'a requested stop is not a warning');
});

test('a stop during a key rotation is final: neither the resume nor a start still opening its thread brings a thread back', async (t) => {
  const key = randomBytes(32);
  const path = join(tempDir(t), 'cusp.db');
  const store = openStore(path, key);
  t.after(() => store.close());
  const logging = captureLogging('info');
  const checkpointer = new WalCheckpointer({ db: dbOf(store), path, log: logging.logging.logger('store') });
  assert.equal(await checkpointer.start(key), true);
  await checkpointer.pause();
  await checkpointer.stop(); // the daemon stops while the rotation runs
  assert.equal(await checkpointer.resume(key), false);
  assert.equal(checkpointer.stats.running, false);
  // A stop for good that comes while the pause still waits for its thread to end.
  assert.equal(await checkpointer.start(key), true);
  const pausing = checkpointer.pause();
  await checkpointer.stop();
  await pausing;
  assert.equal(await checkpointer.resume(key), false, 'a stop during the pause is final too (the resume started a thread after the daemon closed the database)');
  assert.equal(checkpointer.stats.running, false);
  // A start whose thread is still opening when the stop comes gives up.
  const starting = checkpointer.start(key);
  await checkpointer.stop();
  assert.equal(await starting, false);
  assert.equal(checkpointer.stats.running, false, 'no thread left holding the database (it kept a stopped daemon alive)');
});

test('a thread that cannot open the database leaves checkpoints on the writer, with a warning', async (t) => {
  const path = join(tempDir(t), 'cusp.db');
  const store = openStore(path, randomBytes(32));
  t.after(() => store.close());
  const logging = captureLogging('info');
  const checkpointer = await startCheckpointThread(store, randomBytes(32), logging.logging.logger('store'));
  assert.equal(checkpointer.stats.running, false);
  assert.equal(dbOf(store).pragma('wal_autocheckpoint', { simple: true }), WAL_AUTOCHECKPOINT_PAGES);
  const warning = logging.lines().find((l) => l.level === 'warn');
  assert.match(String(warning?.msg), /checkpoints stay on the main thread: their thread could not open the database \(the key does not open database/);
  assert.equal(checkpointer.writeRoom(66), undefined, 'writers are not paced by a thread that does not run');
});
