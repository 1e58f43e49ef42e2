import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { readKeyFile } from '../../src/store/key.js';
import { recoverPendingRotation, rekeyDatabase, rotateKeyFile } from '../../src/store/rekey.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const store = openStore(path, key);
  const patient = store.patients.create({ lastName: 'Rotation', firstName: 'Test' });
  const blob = store.blobs.put(randomBytes(700_000));
  store.close();
  return { path, keyFile, key, patient, blob };
}

test('key rotation keeps all data, the old key stops working, the WAL comes back', (t) => {
  const { path, keyFile, key, patient, blob } = setup(t);
  const newKey = rotateKeyFile(path, keyFile);
  assert.notDeepEqual(newKey, key);
  assert.deepEqual(readKeyFile(keyFile), newKey);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(existsSync(`${keyFile}.new`), false);
  assert.throws(() => openDatabase(path, key), /the key does not open database/);
  const store = openStore(path, newKey);
  t.after(() => store.close());
  assert.equal(store.patients.get(patient.id)?.lastName, 'Rotation');
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
});

test('rekeying an open handle works in WAL mode (it leaves WAL and returns)', (t) => {
  const { path, key } = setup(t);
  const db = openDatabase(path, key);
  const newKey = randomBytes(32);
  rekeyDatabase(db, newKey);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  openDatabase(path, newKey).close();
});

test('a rotation interrupted after the rekey is finished at the next start', (t) => {
  const { path, keyFile, key } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  const db = openDatabase(path, key);
  rekeyDatabase(db, newKey);
  db.close();
  // crash here: key file still holds the old key
  assert.equal(recoverPendingRotation(path, keyFile), true);
  assert.equal(readFileSync(keyFile, 'utf8').trim(), newKey.toString('hex'));
  openDatabase(path, readKeyFile(keyFile)).close();
});

test('a rotation interrupted before the rekey leaves the old key in force', (t) => {
  const { path, keyFile, key } = setup(t);
  writeFileSync(`${keyFile}.new`, randomBytes(32).toString('hex'), { mode: 0o600 });
  assert.equal(recoverPendingRotation(path, keyFile), false);
  assert.equal(existsSync(`${keyFile}.new`), false);
  assert.deepEqual(readKeyFile(keyFile), key);
});
