import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobStore, CHUNK_SIZE } from '../../src/store/blobs.js';
import { openDatabase } from '../../src/store/database.js';
import { codeSchemaVersion, loadMigrations, migrate } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

test('a new database is migrated to the code version, and a second open applies nothing', (t) => {
  const path = join(tempDir(t), 'cusp.db');
  const key = randomBytes(32);
  const first = openStore(path, key);
  assert.deepEqual(first.migrated, loadMigrations().map((m) => m.version));
  assert.equal(dbOf(first).pragma('user_version', { simple: true }), codeSchemaVersion());
  first.close();
  const second = openStore(path, key);
  assert.deepEqual(second.migrated, []);
  second.close();
});

test('a database newer than the code is refused with what to do', (t) => {
  const path = join(tempDir(t), 'cusp.db');
  const key = randomBytes(32);
  openStore(path, key).close();
  const db = openDatabase(path, key);
  db.pragma(`user_version = ${codeSchemaVersion() + 1}`);
  db.close();
  assert.throws(() => openStore(path, key), /written by a newer cusp; install that version again or restore a backup/);
});

test('a failing migration leaves the database at the previous version, nothing half-applied', (t) => {
  const dir = tempDir(t);
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001-one.sql'), 'CREATE TABLE a (x INTEGER);');
  writeFileSync(join(migrations, '002-two.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
  const db = openDatabase(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => db.close());
  assert.throws(() => migrate(db, loadMigrations(migrations)), /no such table: nowhere/);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  assert.deepEqual(tables, [{ name: 'a' }]);
});

test('migration files must be numbered without gaps', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, '001-one.sql'), 'SELECT 1;');
  writeFileSync(join(dir, '003-three.sql'), 'SELECT 1;');
  assert.throws(() => loadMigrations(dir), /gap or duplicate at 3-three/);
});

test('the audit tables refuse UPDATE and DELETE', (t) => {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  dbOf(store).prepare("INSERT INTO audit_events (seq, time, actor, action, outcome, prev_hash, hash) VALUES (1, 't', 'a', 'x', 'ok', 'p', 'h')").run();
  assert.throws(() => dbOf(store).prepare("UPDATE audit_events SET actor = 'b'").run(), /append-only/);
  assert.throws(() => dbOf(store).prepare('DELETE FROM audit_events').run(), /append-only/);
});

test('migration 4 moves stored chunks to a rowid table: every blob reads back, references hold, foreign keys stay on', (t) => {
  const key = randomBytes(32);
  const path = join(tempDir(t), 'cusp.db');
  const db = openDatabase(path, key);
  const all = loadMigrations();
  migrate(db, all.filter((m) => m.version <= 3));
  // Two blobs at schema 3 (chunks WITHOUT ROWID), sharing a chunk.
  const shared = randomBytes(CHUNK_SIZE);
  const a = Buffer.concat([shared, randomBytes(1000)]);
  const b = Buffer.concat([shared, randomBytes(CHUNK_SIZE), randomBytes(7)]);
  const before = new BlobStore(db);
  const infos = [before.put(a), before.put(b)];
  assert.match(String((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'chunks'").get() as { sql: string }).sql), /WITHOUT ROWID/);

  assert.deepEqual(migrate(db, all), all.filter((m) => m.version > 3).map((m) => m.version));
  assert.doesNotMatch(String((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'chunks'").get() as { sql: string }).sql), /WITHOUT ROWID/);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.equal((db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n, 4, 'the shared chunk is still stored once');
  const after = new BlobStore(db);
  assert.deepEqual(after.get(infos[0].hash), a);
  assert.deepEqual(after.get(infos[1].hash), b);
  // The reference from blob_chunks to chunks is enforced on the new table.
  assert.throws(() => db.prepare('INSERT INTO blob_chunks (blob_hash, seq, chunk_hash) VALUES (?, 9, ?)').run(infos[0].hash, 'f'.repeat(64)), /FOREIGN KEY/);
  db.close();
});
