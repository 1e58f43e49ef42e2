import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { CuspError } from '../../src/errors.js';
import { openDatabase } from '../../src/store/database.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

const MARKER = 'PLAINTEXT-MARKER-Oberkiefer-Mustermann';

test('the database file is encrypted: no SQLite header, no stored plaintext, no blob bytes', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  const key = randomBytes(32);
  const store = openStore(path, key);
  store.patients.create({ lastName: MARKER, firstName: 'Erika', birthDate: '1964-08-12' });
  const blob = Buffer.from(`solid ${MARKER}\n`.repeat(2000));
  store.blobs.put(blob);
  dbOf(store).pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const bytes = readFileSync(path);
  assert.ok(bytes.length > 8192, 'the database holds the data');
  assert.notEqual(bytes.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  assert.equal(bytes.indexOf(MARKER), -1, 'the marker must not appear in the file');
  assert.equal(bytes.indexOf('1964-08-12'), -1, 'the birth date must not appear in the file');
  assert.equal(bytes.indexOf('CREATE TABLE'), -1, 'the schema must not appear in the file');
});

test('a wrong key is refused with one clear sentence', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  openStore(path, randomBytes(32)).close();
  assert.throws(() => openDatabase(path, randomBytes(32)), (err: unknown) => {
    assert.ok(err instanceof CuspError);
    assert.equal(err.code, 'key_invalid');
    assert.match(err.message, /the key does not open database .*cusp\.db/);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
});

test('an unencrypted SQLite file is refused, not silently used', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'plain.db');
  const plain = new Database(path);
  plain.exec('CREATE TABLE t (a)');
  plain.close();
  assert.throws(() => openDatabase(path, randomBytes(32)), /is not encrypted \(plain SQLite file\)/);
});

test('a file that is not a database at all gives the key error, not a crash', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'junk.db');
  writeFileSync(path, randomBytes(8192));
  assert.throws(() => openDatabase(path, randomBytes(32)), (err: unknown) => err instanceof CuspError && err.code === 'key_invalid');
});

test('the store runs with WAL, foreign keys and secure_delete on', (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  assert.equal(dbOf(store).pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(dbOf(store).pragma('foreign_keys', { simple: true }), 1);
  assert.equal(dbOf(store).pragma('secure_delete', { simple: true }), 1);
  assert.equal(dbOf(store).pragma('cipher', { simple: true }), 'sqlcipher');
  assert.equal(dbOf(store).pragma('synchronous', { simple: true }), 2, 'synchronous=FULL: commits are durable before originals are removed');
});

test('with an existing installation expected, a missing, 0-byte or schema-less database is refused before anything is written; an existing one is inspected before migrating', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  const key = randomBytes(32);
  const seen: string[] = [];
  const existing = {
    refuse: (state: 'missing' | 'empty', bytes: number) => new CuspError('store_failed', `refused: ${state} ${bytes}`),
    check: () => void seen.push('checked'),
  };
  assert.throws(() => openStore(path, key, { existing }), /refused: missing 0/);
  assert.equal(existsSync(path), false, 'no database was created');
  writeFileSync(path, '');
  assert.throws(() => openStore(path, key, { existing }), /refused: empty 0/);
  assert.equal(statSync(path).size, 0);
  rmSync(path);
  openDatabase(path, key).close(); // keyed, but no tables
  const bytes = statSync(path).size;
  assert.throws(() => openStore(path, key, { existing }), new RegExp(`refused: empty ${bytes}`));
  const probe = openDatabase(path, key);
  assert.equal(probe.pragma('user_version', { simple: true }), 0, 'not migrated');
  probe.close();
  rmSync(path);
  openStore(path, key).close();
  openStore(path, key, { existing }).close();
  assert.deepEqual(seen, ['checked']);
});
