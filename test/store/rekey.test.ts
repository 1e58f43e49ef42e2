import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { readKeyFile } from '../../src/store/key.js';
import { recoverPendingRotation, recoverRekeyCopy, rekeyDatabase, removeRekeyCopy, rotateKeyFile } from '../../src/store/rekey.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

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
  assert.equal(dbOf(store).pragma('journal_mode', { simple: true }), 'wal');
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
  assert.deepEqual(recoverPendingRotation(path, keyFile), { outcome: 'finished' });
  assert.equal(readFileSync(keyFile, 'utf8').trim(), newKey.toString('hex'));
  assert.equal(existsSync(`${keyFile}.new`), false);
  openDatabase(path, readKeyFile(keyFile)).close();
});

test('a rotation interrupted before the rekey leaves the old key in force and sets the unused key aside, never deleting it', (t) => {
  const { path, keyFile, key } = setup(t);
  const unused = randomBytes(32);
  writeFileSync(`${keyFile}.new`, unused.toString('hex'), { mode: 0o600 });
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'undone');
  assert.match(result.asidePath!, /cusp\.key\.new\.unused-\d{8}T\d{6}Z$/);
  assert.deepEqual(readKeyFile(result.asidePath!), unused);
  assert.equal(existsSync(`${keyFile}.new`), false);
  assert.deepEqual(readKeyFile(keyFile), key);
});

test('beside a running daemon (read-only probes) the settling finishes a committed rekey without writing the database', (t) => {
  const { path, keyFile, key } = setup(t);
  const daemonDb = openDatabase(path, key);
  t.after(() => daemonDb.close());
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  rekeyDatabase(daemonDb, newKey);
  assert.deepEqual(recoverPendingRotation(path, keyFile, { readonly: true }), { outcome: 'finished' });
  assert.deepEqual(readKeyFile(keyFile), newKey);
  assert.equal(daemonDb.prepare('SELECT count(*) AS n FROM patients').get() !== undefined, true);
});

test('a rekey SIGKILLed with its hot journal on disk: the copy under the old key is put back; the new key is set aside, not trusted', async (t) => {
  const { path, keyFile, key, blob } = setup(t);
  const store0 = openStore(path, key);
  for (let i = 0; i < 12; i++) store0.blobs.put(randomBytes(2_000_000));
  store0.close();
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  // A real rekey in a child process, SIGKILLed while its rollback journal is on disk.
  const script = `
    import { openDatabase } from ${JSON.stringify(new URL('../../src/store/database.ts', import.meta.url).href)};
    import { rekeyDatabase } from ${JSON.stringify(new URL('../../src/store/rekey.ts', import.meta.url).href)};
    const db = openDatabase(process.argv[1], Buffer.from(process.argv[2], 'hex'));
    db.pragma('cache_size = 10');
    rekeyDatabase(db, Buffer.from(process.argv[3], 'hex'));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path, key.toString('hex'), newKey.toString('hex')], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let finished = false;
  void exited.then(() => (finished = true));
  while (!finished) {
    let size = 0;
    try {
      size = statSync(`${path}-journal`).size;
    } catch {
      // not yet
    }
    if (size > 100_000) break;
    await new Promise((r) => setImmediate(r));
  }
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL' || !existsSync(`${path}-journal`)) return t.skip('the rekey finished before the kill (machine too fast for this database size)');
  // For the record (the cause): on a scratch copy of the file and its hot journal, does either
  // key open the database and pass quick_check? (Often neither: pages and journal under mixed keys.)
  const verdicts = [key, newKey].map((k) => {
    // A scratch copy per key: opening plays the journal back, which writes.
    const scratch = join(tempDir(t), 'cusp.db');
    copyFileSync(path, scratch);
    copyFileSync(`${path}-journal`, `${scratch}-journal`);
    try {
      const db = openDatabase(scratch, k);
      try {
        return String(db.pragma('quick_check', { simple: true })).slice(0, 40);
      } finally {
        db.close();
      }
    } catch (err) {
      return (err as { code?: string }).code ?? 'error';
    }
  });
  t.diagnostic(`the killed rekey on a scratch copy: old key → ${verdicts[0]}; new key → ${verdicts[1]}; the copy under the old key is there: ${existsSync(`${path}.pre-rekey`)}`);
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'restored', 'the copy taken before the rekey is put back; the live file is not probed');
  assert.ok(existsSync(result.brokenPath!), 'the interrupted file is kept aside');
  assert.deepEqual(readKeyFile(keyFile), key);
  assert.deepEqual(readKeyFile(result.asidePath!), newKey, 'the pending key is kept aside');
  const store = openStore(path, key);
  t.after(() => store.close());
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
  assert.equal(dbOf(store).pragma('quick_check', { simple: true }), 'ok');
});

test('when neither key opens the database, nothing is touched and the start stops with one line', (t) => {
  const { path, keyFile } = setup(t);
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  writeFileSync(`${keyFile}.new`, randomBytes(32).toString('hex'), { mode: 0o600 });
  assert.throws(() => recoverPendingRotation(path, keyFile), /neither the key file .*cusp\.key nor the pending key .*cusp\.key\.new of an interrupted key rotation opens database/);
  assert.equal(existsSync(`${keyFile}.new`), true);
});

test('a missing or empty database is no evidence: the pending key is left alone', (t) => {
  const { path, keyFile } = setup(t);
  writeFileSync(`${keyFile}.new`, randomBytes(32).toString('hex'), { mode: 0o600 });
  truncateSync(path, 0);
  assert.deepEqual(recoverPendingRotation(path, keyFile), { outcome: 'none' });
  assert.equal(existsSync(`${keyFile}.new`), true);
});

test('a rotation never writes over an existing pending key', (t) => {
  const { path, keyFile } = setup(t);
  const pending = randomBytes(32);
  writeFileSync(`${keyFile}.new`, pending.toString('hex'), { mode: 0o600 });
  assert.throws(() => rotateKeyFile(path, keyFile), /already exists \(the new key of an unfinished rotation\)/);
  assert.deepEqual(readKeyFile(`${keyFile}.new`), pending);
});

// The safety copy under the old key (`cusp.db.pre-rekey`), and what recovery decides with it.

/** Leave the database as a kill right after the copy (before the rekey) leaves it. */
function copyAsRekeyWould(path: string, key: Buffer): void {
  const db = openDatabase(path, key);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  copyFileSync(path, `${path}.pre-rekey`);
  db.pragma('journal_mode = WAL');
  db.close();
}

/** Overwrite a stretch in the middle of the file (pages of the blob) with random bytes. */
function damage(path: string): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, randomBytes(16_384), 0, 16_384, Math.floor(statSync(path).size / 2 / 4096) * 4096);
  closeSync(fd);
}

test('a rekey leaves a copy under the old key until the rotation is settled; a full rotation leaves none', (t) => {
  const { path, keyFile, key, blob } = setup(t);
  const newKey = randomBytes(32);
  const db = openDatabase(path, key);
  rekeyDatabase(db, newKey);
  db.close();
  const copy = openDatabase(`${path}.pre-rekey`, key, { readonly: true });
  assert.equal(copy.pragma('quick_check', { simple: true }), 'ok');
  assert.equal((copy.prepare('SELECT count(*) AS n FROM blobs WHERE hash = ?').get(blob.hash) as { n: number }).n, 1);
  copy.close();
  removeRekeyCopy(path);
  assert.equal(existsSync(`${path}.pre-rekey`), false);
  writeFileSync(keyFile, newKey.toString('hex'), { mode: 0o600 });
  rotateKeyFile(path, keyFile);
  assert.deepEqual(readdirSync(dirname(path)).filter((n) => n.includes('pre-rekey')), []);
});

test('copy present, the database passes under the old key (killed before the rekey): the new key is set aside, the copy removed', (t) => {
  const { path, keyFile, key } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  copyAsRekeyWould(path, key);
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'undone');
  assert.deepEqual(readKeyFile(result.asidePath!), newKey);
  assert.deepEqual(readKeyFile(keyFile), key);
  assert.equal(existsSync(`${path}.pre-rekey`), false);
});

test('copy present, the database passes under the pending key (killed after the rekey): the rotation is finished, the copy removed', (t) => {
  const { path, keyFile, key, blob } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  const db = openDatabase(path, key);
  rekeyDatabase(db, newKey);
  db.close();
  assert.deepEqual(recoverPendingRotation(path, keyFile), { outcome: 'finished' });
  assert.deepEqual(readKeyFile(keyFile), newKey);
  assert.equal(existsSync(`${path}.pre-rekey`), false);
  const store = openStore(path, newKey);
  t.after(() => store.close());
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
});

test('copy present, no key passes quick_check on the database: it is moved aside and the copy restored under the old key', (t) => {
  const { path, keyFile, key, blob } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  const db = openDatabase(path, key);
  rekeyDatabase(db, newKey);
  db.close();
  damage(path); // page 1 still opens under the new key; the blob's pages no longer read
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'restored');
  assert.match(result.brokenPath!, /cusp\.db\.broken-\d{8}T\d{6}Z$/);
  assert.ok(existsSync(result.brokenPath!), 'the damaged file is kept');
  assert.deepEqual(readKeyFile(result.asidePath!), newKey, 'the new key is kept aside');
  assert.deepEqual(readKeyFile(keyFile), key);
  assert.equal(existsSync(`${path}.pre-rekey`), false);
  const store = openStore(path, key);
  t.after(() => store.close());
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
  assert.equal(dbOf(store).pragma('quick_check', { simple: true }), 'ok');
});

test('copy present with a hot journal (killed inside the rekey): the copy is restored without playing the journal back', (t) => {
  const { path, keyFile, key, blob } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  copyAsRekeyWould(path, key);
  const before = readFileSync(path);
  writeFileSync(`${path}-journal`, randomBytes(8192));
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'restored');
  assert.deepEqual(readFileSync(result.brokenPath!), before, 'the interrupted file was not written to');
  assert.ok(existsSync(`${path}-journal.broken-${result.brokenPath!.slice(`${path}.broken-`.length)}`), 'its journal is kept beside it');
  assert.equal(existsSync(`${path}-journal`), false);
  const store = openStore(path, key);
  t.after(() => store.close());
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
});

test('a partial copy (killed while copying, before the rekey) is removed; the untouched database keeps the old key', (t) => {
  const { path, keyFile, key } = setup(t);
  const newKey = randomBytes(32);
  writeFileSync(`${keyFile}.new`, newKey.toString('hex'), { mode: 0o600 });
  writeFileSync(`${path}.pre-rekey.partial`, readFileSync(path).subarray(0, 8192));
  const result = recoverPendingRotation(path, keyFile);
  assert.equal(result.outcome, 'undone');
  assert.deepEqual(readKeyFile(result.asidePath!), newKey);
  assert.equal(existsSync(`${path}.pre-rekey.partial`), false);
  openDatabase(path, key).close();
});

test('without room for the copy the rotation is refused before any key is written', (t) => {
  if (process.getuid?.() !== 0) return t.skip('mounting a small tmpfs needs root');
  const dir = mkdtempSync(join(tmpdir(), 'cusp-rekey-small-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir]);
  } catch {
    rmSync(dir, { recursive: true });
    return t.skip('cannot mount a tmpfs here');
  }
  t.after(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true });
  });
  const path = join(dir, 'cusp.db');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const store = openStore(path, key);
  store.blobs.put(randomBytes(1_000_000));
  store.close();
  assert.throws(() => rotateKeyFile(path, keyFile), (err: Error & { code?: string }) => err.code === 'disk_full' && /key rotation needs \d+ MB free beside the database/.test(err.message));
  assert.equal(existsSync(`${keyFile}.new`), false);
  assert.deepEqual(readKeyFile(keyFile), key);
  openDatabase(path, key).close();
});

test('with a credential key (--new-key-file): a copy is removed when the database passes, and never put back over a database under the unknown new key', (t) => {
  const { path, key, blob } = setup(t);
  copyAsRekeyWould(path, key);
  assert.deepEqual(recoverRekeyCopy(path, key), { outcome: 'none' });
  assert.equal(existsSync(`${path}.pre-rekey`), false);
  const newKey = randomBytes(32);
  const db = openDatabase(path, key);
  rekeyDatabase(db, newKey);
  db.close();
  assert.throws(() => recoverRekeyCopy(path, key), /does not read under the credential key, .*install that key as the credential/);
  assert.equal(existsSync(`${path}.pre-rekey`), true, 'the copy is left');
  assert.deepEqual(recoverRekeyCopy(path, newKey), { outcome: 'none' }, 'with the new key installed as the credential, the copy goes');
  assert.equal(existsSync(`${path}.pre-rekey`), false);
  const store = openStore(path, newKey);
  t.after(() => store.close());
  assert.equal(store.blobs.get(blob.hash)?.length, 700_000);
});
