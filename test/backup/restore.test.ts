import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { createBackup } from '../../src/backup/create.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { AuditEventRepository } from '../../src/store/audit-events.js';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from '../helpers/temp.js';
import { installation, MARKER } from './installation.js';

test('restore onto another server: the data, audit trail, signing key and CA come back under that server\'s own key; the replaced files are kept aside', async (t) => {
  const old = installation(t);
  const file = join(tempDir(t), 'move.cuspbak');
  await createBackup({ ...old.files, dbKey: old.key, file, cuspVersion: 'test' });
  const oldCa = readFileSync(old.files.caFile!, 'utf8');
  const oldSigning = readFileSync(old.files.signingKeyFile, 'utf8');

  const fresh = installation(t, { events: 2 });
  fresh.close();
  const freshDb = readFileSync(fresh.files.dbPath);
  const asideDir = join(fresh.dir, '.pre-restore-test');
  const result = await restoreBackup({ file, dbKey: fresh.key, backupKey: old.key, targets: fresh.files, asideDir, signingKeyFile: old.files.signingKeyFile });

  assert.equal(result.audit.headSeq, 25);
  assert.equal(result.signingKey, 'given', 'the key came from the copy kept apart, not from the backup');
  assert.equal(result.restoredCa, true);
  assert.equal(readFileSync(fresh.files.caFile!, 'utf8'), oldCa, 'the CA fingerprint practice software pinned stays valid');
  assert.equal(readFileSync(fresh.files.signingKeyFile, 'utf8'), oldSigning);
  assert.equal(statSync(fresh.files.signingKeyFile).mode & 0o777, 0o600);
  assert.equal(statSync(fresh.files.caKeyFile!).mode & 0o777, 0o600);
  assert.ok(!existsSync(fresh.files.certFile!), 'the old server certificate is set aside so the daemon issues one from the restored CA');

  assert.throws(() => openDatabase(fresh.files.dbPath, old.key), /the key does not open/, 'the old server\'s key no longer opens it');
  const db = openDatabase(fresh.files.dbPath, fresh.key);
  t.after(() => db.close());
  const blob = db.prepare('SELECT c.data FROM blob_chunks bc JOIN chunks c ON c.hash = bc.chunk_hash WHERE bc.blob_hash = ? ORDER BY bc.seq LIMIT 1').get(old.blobHash) as { data: Buffer };
  assert.ok(blob.data.subarray(0, MARKER.length).equals(MARKER), 'the stored scan bytes came back');
  const signing = loadSigningKey(fresh.files.signingKeyFile);
  const audit = verifyAudit(new AuditEventRepository(db), { publicKey: signing.publicKey, keyId: signing.keyId, checkpointFile: fresh.files.checkpointFile });
  assert.equal(audit.ok, true, JSON.stringify(audit.problems));
  assert.equal(audit.headSeq, 25);

  assert.deepEqual(readdirSync(asideDir).sort(), ['ca.crt', 'ca.key', 'checkpoints.jsonl', 'cusp.db', 'server.crt', 'server.key', 'signing.key']);
  assert.ok(readFileSync(join(asideDir, 'cusp.db')).equals(freshDb), 'the replaced database is kept byte for byte');
  assert.deepEqual(readdirSync(fresh.dir).filter((n) => n.startsWith('.cusp-restore-')), [], 'no work folder is left');
});

test('a damaged backup changes nothing on the installation', async (t) => {
  const inst = installation(t);
  const file = join(tempDir(t), 'bad.cuspbak');
  await createBackup({ ...inst.files, dbKey: inst.key, file, cuspVersion: 'test' });
  const bytes = readFileSync(file);
  bytes[bytes.length - 2048] ^= 0xff;
  writeFileSync(file, bytes);
  inst.close();
  const before = readFileSync(inst.files.dbPath);
  const asideDir = join(inst.dir, '.pre-restore-x');
  await assert.rejects(restoreBackup({ file, dbKey: inst.key, targets: inst.files, asideDir }), /damaged|SHA-256|not a sealed|altered/);
  assert.ok(readFileSync(inst.files.dbPath).equals(before));
  assert.ok(!existsSync(asideDir));
});

test('restoring with the wrong key says which key the backup needs and touches nothing', async (t) => {
  const inst = installation(t);
  const file = join(tempDir(t), 'k.cuspbak');
  await createBackup({ ...inst.files, dbKey: inst.key, file, cuspVersion: 'test' });
  inst.close();
  const wrong = randomBytes(32);
  await assert.rejects(restoreBackup({ file, dbKey: wrong, targets: inst.files, asideDir: join(inst.dir, 'aside') }), /made with another key .* pass --key-file/);
  assert.ok(!existsSync(join(inst.dir, 'aside')));
  openDatabase(inst.files.dbPath, inst.key).close();
});

test('the signing key on a new server: asked for when the backup does not carry it, taken from a separate-key backup, or left out on purpose', async (t) => {
  const old = installation(t);
  const underDbKey = join(tempDir(t), 'db-key.cuspbak');
  await createBackup({ ...old.files, dbKey: old.key, file: underDbKey, cuspVersion: 'test' });
  const backupKey = randomBytes(32);
  const underBackupKey = join(tempDir(t), 'backup-key.cuspbak');
  await createBackup({ ...old.files, dbKey: old.key, backupKey, file: underBackupKey, cuspVersion: 'test' });
  const oldKeyId = loadSigningKey(old.files.signingKeyFile).keyId;

  const fresh = installation(t, { events: 2 });
  fresh.close();
  const before = readFileSync(fresh.files.dbPath);
  await assert.rejects(restoreBackup({ file: underDbKey, dbKey: fresh.key, backupKey: old.key, targets: fresh.files, asideDir: join(fresh.dir, 'aside-1') }),
    new RegExp(`does not carry the audit signing key \\(key id ${oldKeyId}\\).* Give --signing-key FILE .*--without-signing-key, then 'cusp audit new-signing-key`));
  assert.ok(readFileSync(fresh.files.dbPath).equals(before), 'nothing was replaced');
  await assert.rejects(restoreBackup({ file: underDbKey, dbKey: fresh.key, backupKey: old.key, targets: fresh.files, asideDir: join(fresh.dir, 'aside-2'), signingKeyFile: fresh.files.signingKeyFile }),
    new RegExp(`holds audit signing key \\w+, but the backup's trail is signed by ${oldKeyId}`));

  const separate = await restoreBackup({ file: underBackupKey, dbKey: fresh.key, backupKey, targets: fresh.files, asideDir: join(fresh.dir, 'aside-3') });
  assert.equal(separate.signingKey, 'backup');
  assert.equal(loadSigningKey(fresh.files.signingKeyFile).keyId, oldKeyId);

  const other = installation(t, { events: 2 });
  other.close();
  const none = await restoreBackup({ file: underDbKey, dbKey: other.key, backupKey: old.key, targets: other.files, asideDir: join(other.dir, 'aside'), withoutSigningKey: true });
  assert.equal(none.signingKey, 'none');
  assert.ok(!existsSync(other.files.signingKeyFile), 'no key: the daemon waits for cusp audit new-signing-key');
});
