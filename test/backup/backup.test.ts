import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendCheckpointLine } from '../../src/audit/audit-log.js';
import { loadSigningKey, signCheckpoint } from '../../src/audit/signing.js';
import { createBackup, type CreateBackupOptions } from '../../src/backup/create.js';
import { ENTRY, keyId } from '../../src/backup/manifest.js';
import { checkBackup } from '../../src/backup/verify.js';
import { hasPlaintextHeader, openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/temp.js';
import { installation, MARKER, type Installation } from './installation.js';
import { dbOf } from '../helpers/db.js';

function options(inst: Installation, file: string, extra: Partial<CreateBackupOptions> = {}): CreateBackupOptions {
  return { ...inst.files, dbKey: inst.key, file, cuspVersion: '9.9.9-test', ...extra };
}

test('a backup is one tar holding the encrypted database, checkpoints, the signing key\'s public half and the sealed CA key, listed with sizes and hashes in its manifest', async (t) => {
  const inst = installation(t);
  const file = join(tempDir(t), 'nightly.cuspbak');
  const result = await createBackup(options(inst, file));

  assert.equal(result.file, file);
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup is private to its owner');
  const listing = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  assert.equal(listing.status, 0, `system tar reads the backup: ${listing.stderr}`);
  assert.deepEqual(listing.stdout.trim().split('\n'), [ENTRY.manifest, ENTRY.database, ENTRY.checkpoints, ENTRY.signingPublicKey, ENTRY.caCert, ENTRY.caKey]);

  const bytes = readFileSync(file);
  assert.equal(bytes.indexOf(MARKER), -1, 'scan bytes never appear in plain form');
  assert.equal(bytes.indexOf(Buffer.from('SQLite format 3\0')), -1, 'the database copy is encrypted');
  assert.equal(bytes.indexOf(readFileSync(inst.files.signingKeyFile)), -1, 'the signing key is not in it (under the database key alone)');
  assert.equal(bytes.indexOf(readFileSync(inst.files.caKeyFile!)), -1, 'the CA key is sealed');

  const { manifest } = result;
  assert.equal(manifest.audit.headSeq, 25);
  assert.equal(manifest.audit.events, 25);
  assert.equal(manifest.schemaVersion, dbOf(inst.store).pragma('user_version', { simple: true }));
  assert.equal(manifest.key.kind, 'database');
  assert.equal(manifest.key.id, keyId(inst.key));
  assert.equal(manifest.cuspVersion, '9.9.9-test');
  assert.equal(manifest.instanceId, inst.store.meta.get('instance_id'));
  assert.deepEqual(manifest.files.map((f) => f.name), [ENTRY.database, ENTRY.checkpoints, ENTRY.signingPublicKey, ENTRY.caCert, ENTRY.caKey]);
  assert.ok(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0));
  assert.deepEqual(readdirSync(join(file, '..')), ['nightly.cuspbak'], 'no staging files are left behind');
});

test('the backup checks out: hashes, integrity, schema and the whole audit chain, and holds exactly what the database held', async (t) => {
  const inst = installation(t);
  const file = join(tempDir(t), 'b.cuspbak');
  await createBackup(options(inst, file));
  inst.activity(5);

  const work = tempDir(t);
  const checked = await checkBackup(file, inst.key, work);
  assert.equal(checked.audit.ok, true);
  assert.equal(checked.audit.headSeq, 25, 'events appended after the backup are not in it');
  assert.equal(checked.audit.fileCheckpoints, 3);
  assert.equal(hasPlaintextHeader(checked.files.database), false);
  const copy = openDatabase(checked.files.database, inst.key, { readonly: true });
  t.after(() => copy.close());
  const blob = copy.prepare('SELECT size FROM blobs WHERE hash = ?').get(inst.blobHash) as { size: number };
  assert.equal(blob.size, MARKER.length + 20_000);
  assert.equal(checked.files.signingKey, undefined, 'under the database key alone the signing key stays out');
  assert.equal(readFileSync(checked.files.signingPublicKey, 'utf8'), loadSigningKey(inst.files.signingKeyFile).publicPem);
});

test('a backup taken while another connection keeps writing is one consistent point in time', async (t) => {
  const inst = installation(t, { events: 3 });
  const file = join(tempDir(t), 'busy.cuspbak');
  // The daemon's connection (inst.store) writes between the steps of the backup.
  const writing = setInterval(() => inst.activity(1), 1);
  t.after(() => clearInterval(writing));
  await createBackup(options(inst, file));
  clearInterval(writing);
  const checked = await checkBackup(file, inst.key, tempDir(t));
  assert.equal(checked.audit.ok, true, JSON.stringify(checked.audit.problems));
});

test('a checkpoint signed after the database copy was taken does not make the backup look truncated', async (t) => {
  const inst = installation(t);
  // What a checkpoint written between the copy and the archiving looks like in the file:
  // signed by the real key, for an event the copy does not hold.
  const signing = loadSigningKey(inst.files.signingKeyFile);
  const time = new Date().toISOString();
  appendCheckpointLine(inst.files.checkpointFile, { seq: 40, hash: 'f'.repeat(64), time, keyId: signing.keyId, signature: signCheckpoint(signing, 40, 'f'.repeat(64), time) });
  const file = join(tempDir(t), 'race.cuspbak');
  await createBackup(options(inst, file));
  const checked = await checkBackup(file, inst.key, tempDir(t));
  assert.equal(checked.audit.ok, true, JSON.stringify(checked.audit.problems));
});

test('a separate backup key: the backup opens only with it, and says which key it needs', async (t) => {
  const inst = installation(t);
  const backupKey = randomBytes(32);
  const file = join(tempDir(t), 'offsite.cuspbak');
  const { manifest } = await createBackup(options(inst, file, { backupKey }));
  assert.equal(manifest.key.kind, 'separate');
  await assert.rejects(checkBackup(file, inst.key, tempDir(t)), (err: Error) => {
    assert.match(err.message, new RegExp(`made with another key \\(key id ${keyId(backupKey)}; the key given has id ${keyId(inst.key)}\\)`));
    return true;
  });
  const checked = await checkBackup(file, backupKey, tempDir(t));
  assert.equal(checked.audit.ok, true);
  assert.throws(() => openDatabase(checked.files.database, inst.key), /the key does not open/);
});

test('cusp backup never overwrites an existing file', async (t) => {
  const inst = installation(t);
  const file = join(tempDir(t), 'exists.cuspbak');
  writeFileSync(file, 'precious');
  await assert.rejects(createBackup(options(inst, file)), /already exists — cusp backup never overwrites/);
  assert.equal(readFileSync(file, 'utf8'), 'precious');
});

test('damage anywhere is found before anything is restored: a flipped byte, a cut-off file, a foreign file', async (t) => {
  const inst = installation(t);
  const dir = tempDir(t);
  const file = join(dir, 'good.cuspbak');
  await createBackup(options(inst, file));
  const good = readFileSync(file);

  const flipped = Buffer.from(good);
  flipped[512 * 4 + 3000] ^= 0x01; // inside the database entry
  writeFileSync(join(dir, 'flipped.cuspbak'), flipped);
  await assert.rejects(checkBackup(join(dir, 'flipped.cuspbak'), inst.key, tempDir(t)), /cusp\.db does not match its SHA-256 in the manifest/);

  writeFileSync(join(dir, 'cut.cuspbak'), good.subarray(0, Math.floor(good.length / 2)));
  await assert.rejects(checkBackup(join(dir, 'cut.cuspbak'), inst.key, tempDir(t)), /truncated/);

  writeFileSync(join(dir, 'foreign.cuspbak'), randomBytes(4096));
  await assert.rejects(checkBackup(join(dir, 'foreign.cuspbak'), inst.key, tempDir(t)), /not a Cusp backup or is damaged/);
});

test('a backup of a tampered audit trail does not check out', async (t) => {
  const inst = installation(t);
  dbOf(inst.store).exec('DROP TRIGGER audit_events_no_update');
  dbOf(inst.store).prepare("UPDATE audit_events SET actor = 'principal:2' WHERE seq = 7").run();
  const file = join(tempDir(t), 'tampered.cuspbak');
  await createBackup(options(inst, file));
  await assert.rejects(checkBackup(file, inst.key, tempDir(t)), /audit trail in the backup does not verify: event 7 was changed/);
});

test('a backup from a newer cusp (higher schema version) is refused with the versions named', async (t) => {
  const inst = installation(t);
  const current = dbOf(inst.store).pragma('user_version', { simple: true }) as number;
  dbOf(inst.store).pragma(`user_version = ${current + 5}`);
  const file = join(tempDir(t), 'future.cuspbak');
  await createBackup(options(inst, file));
  await assert.rejects(checkBackup(file, inst.key, tempDir(t)), new RegExp(`schema version ${current + 5}, but this cusp knows only up to ${current}`));
});
