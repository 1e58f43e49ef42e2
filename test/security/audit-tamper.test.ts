// Issue 18, point 1: the audit trail holds against someone with the database key. Each
// rewrite seen in the review is done here as that person would, and must be detected and
// named: (a) the unsigned tail removed under a running daemon, (b) the chain recomputed
// and re-signed, (c) the tail and every later checkpoint removed from the database and
// from checkpoints.jsonl.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

/** What someone with the database key can do: lift the append-only triggers. */
function dropTriggers(store: Store): void {
  dbOf(store).exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;');
}

function liveLog(t: TestContext) {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const dbPath = join(dir, 'cusp.db');
  const store = openStore(dbPath, key);
  t.after(() => store.close());
  const signingKey = loadOrCreateSigningKey(join(dir, 'audit', 'signing.key'));
  const checkpointFile = join(dir, 'audit', 'checkpoints.jsonl');
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 10, checkpointMinutes: 60 });
  const verify = () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile });
  return { dir, key, dbPath, store, audit, verify, checkpointFile, signingKey };
}

test('(a) a tail event removed under the running log is not signed over: the next checkpoint records it and verify names it', (t) => {
  const f = liveLog(t);
  for (let i = 1; i <= 14; i++) f.audit.append({ actor: 'principal:1', action: 'scan.read', object: `scan:${i}` });
  assert.equal(f.audit.lastCheckpoint()?.seq, 10);
  // A second connection with the database key, as an attacker would open it.
  const other = openStore(f.dbPath, f.key);
  dropTriggers(other);
  dbOf(other).prepare('DELETE FROM audit_events WHERE seq = 14').run();
  other.close();
  const cp = f.audit.checkpoint();
  assert.equal(cp?.seq, 14, 'the checkpoint signs the head this process appended, not the table\'s');
  assert.match(f.audit.tamper ?? '', /audit event 14, appended by this daemon, is gone from the table/);
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 14);
  assert.match(r.problems[0].message, /events 14–14 were cut off|event 14/);
});

test('(a) after a tail event is removed, the next append goes on from the true head: verify names the gap', (t) => {
  const f = liveLog(t);
  for (let i = 1; i <= 13; i++) f.audit.append({ actor: 'principal:1', action: 'scan.read', object: `scan:${i}` });
  const other = openStore(f.dbPath, f.key);
  dropTriggers(other);
  dbOf(other).prepare('DELETE FROM audit_events WHERE seq = 13').run();
  other.close();
  f.audit.append({ actor: 'principal:1', action: 'scan.read', object: 'scan:after' });
  assert.match(f.audit.tamper ?? '', /audit event 13, appended by this daemon, is gone/);
  const cp = f.audit.checkpoint();
  assert.equal(cp?.seq, 14, 'the next event is 14, linked to the removed 13');
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 13);
  assert.match(r.problems[0].message, /event 13 is missing/);
});

test('(a) events appended in a rolled-back transaction are never signed and raise no alarm', (t) => {
  const f = liveLog(t);
  for (let i = 1; i <= 5; i++) f.audit.append({ actor: 'principal:1', action: 'scan.read', object: `scan:${i}` });
  const tx = dbOf(f.store).transaction(() => {
    f.audit.append({ actor: 'principal:1', action: 'scan.create', object: 'scan:x' });
    throw new Error('rolled back');
  });
  assert.throws(() => tx(), /rolled back/);
  f.audit.append({ actor: 'principal:1', action: 'scan.read', object: 'scan:6' });
  const inTx = dbOf(f.store).transaction(() => f.audit.append({ actor: 'principal:1', action: 'scan.create', object: 'scan:7' }));
  inTx();
  const cp = f.audit.checkpoint();
  assert.equal(cp?.seq, 7);
  assert.equal(f.audit.tamper, undefined);
  assert.equal(f.verify().ok, true);
});
