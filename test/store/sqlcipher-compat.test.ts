// Cusp's database must be genuine SQLCipher 4: the reference implementation (SQLCipher
// 4.x via @journeyapps/sqlcipher) opens it with nothing but PRAGMA key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

const require = createRequire(import.meta.url);

interface SqliteDb {
  run(sql: string, cb: (err: Error | null) => void): void;
  all(sql: string, cb: (err: Error | null, rows: Array<Record<string, unknown>>) => void): void;
  close(cb: (err: Error | null) => void): void;
}
const sqlcipher = require('@journeyapps/sqlcipher') as { Database: new (path: string, cb: (err: Error | null) => void) => SqliteDb };

function open(path: string): Promise<SqliteDb> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(path, (err) => (err ? reject(err) : resolve(db)));
  });
}
const run = (db: SqliteDb, sql: string) => new Promise<void>((res, rej) => db.run(sql, (e) => (e ? rej(e) : res())));
const all = (db: SqliteDb, sql: string) => new Promise<Array<Record<string, unknown>>>((res, rej) => db.all(sql, (e, rows) => (e ? rej(e) : res(rows))));
const close = (db: SqliteDb) => new Promise<void>((res, rej) => db.close((e) => (e ? rej(e) : res())));

test('stock SQLCipher 4 opens a Cusp database with nothing but PRAGMA key', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  const key = randomBytes(32);
  const store = openStore(path, key);
  const patient = store.patients.create({ lastName: 'Musterfrau', firstName: 'Erika' });
  const blob = store.blobs.put(randomBytes(600_000));
  store.close();

  const db = await open(path);
  try {
    await run(db, `PRAGMA key = "x'${key.toString('hex')}'"`);
    const version = await all(db, 'PRAGMA cipher_version');
    assert.match(String(version[0].cipher_version), /^4\./);
    const rows = await all(db, `SELECT pseudo_id, last_name FROM patients`);
    assert.deepEqual(rows, [{ pseudo_id: patient.pseudoId, last_name: 'Musterfrau' }]);
    const sizes = await all(db, `SELECT sum(c.size) AS n FROM blob_chunks bc JOIN chunks c ON c.hash = bc.chunk_hash WHERE bc.blob_hash = '${blob.hash}'`);
    assert.equal(sizes[0].n, 600_000);
    const integrity = await all(db, 'PRAGMA cipher_integrity_check');
    assert.deepEqual(integrity, [], 'every page HMAC verifies');
  } finally {
    await close(db);
  }
});

test('stock SQLCipher 4 refuses the file with a wrong key', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  openStore(path, randomBytes(32)).close();
  const db = await open(path);
  try {
    await run(db, `PRAGMA key = "x'${randomBytes(32).toString('hex')}'"`);
    await assert.rejects(all(db, 'SELECT count(*) FROM sqlite_master'), /file is not a database/);
  } finally {
    await close(db);
  }
});
