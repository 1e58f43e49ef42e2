import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { EventBus } from '../../src/events/bus.js';
import { busEvent, record } from '../../src/events/record.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

/** A real store, audit log and bus; `heard` lists each bus event with what the feed held when it came. */
function fixture(t: TestContext) {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const signingKey = loadOrCreateSigningKey(join(dir, 'signing.key'));
  const checkpointFile = join(dir, 'checkpoints.jsonl');
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 1000, checkpointMinutes: 60 });
  const bus = new EventBus();
  const heard: Array<{ name: string; folder: unknown; changesSeen: number }> = [];
  bus.onAny((name, payload) => heard.push({ name, folder: (payload as { folder?: unknown }).folder, changesSeen: store.changes.lastSeq() }));
  const verify = () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile });
  return { store, audit, bus, heard, verify };
}

const skipped = (folder: string) => ({
  audit: { actor: 'system', action: 'file.skip', object: `folder:${folder}` },
  changes: [{ type: 'file.skipped', objectType: 'folder', objectId: folder, data: { kind: 'fifo' } }],
  events: [busEvent('file.skipped', { folder, kind: 'fifo' })],
});

test('a fact is its audit event, its change and its bus event; the bus hears of it only once the transaction committed', (t) => {
  const f = fixture(t);
  let heardInside = -1;
  const stored = f.store.transaction(() => {
    const event = record(f, skipped('lab'));
    heardInside = f.heard.length;
    return event;
  });
  assert.equal(heardInside, 0, 'nothing on the bus while the transaction is open');
  assert.equal(stored?.action, 'file.skip');
  assert.deepEqual(f.audit.events().map((e) => [e.seq, e.action, e.object]), [[1, 'file.skip', 'folder:lab']]);
  assert.deepEqual(f.store.changes.since(0).map((c) => [c.type, c.objectType, c.objectId, c.data]), [['file.skipped', 'folder', 'lab', { kind: 'fifo' }]]);
  assert.deepEqual(f.heard, [{ name: 'file.skipped', folder: 'lab', changesSeen: 1 }], 'the listener already sees the change row');
  assert.equal(f.verify().ok, true);
});

test('outside a transaction a fact is written in one of its own and heard at once', (t) => {
  const f = fixture(t);
  record(f, skipped('ortho'));
  assert.equal(f.audit.events().length, 1);
  assert.equal(f.store.changes.lastSeq(), 1);
  assert.deepEqual(f.heard.map((h) => h.name), ['file.skipped']);
});

test('a transaction that rolls back takes the whole fact with it: no audit event, no change, nothing heard', (t) => {
  const f = fixture(t);
  assert.throws(() => f.store.transaction(() => {
    record(f, skipped('lab'));
    throw new Error('the write after it failed');
  }), /the write after it failed/);
  assert.equal(f.audit.events().length, 0);
  assert.equal(f.store.changes.lastSeq(), 0);
  assert.deepEqual(f.heard, []);
  // The next fact chains on from the true head: the rolled-back event left no trace.
  record(f, skipped('ortho'));
  assert.deepEqual(f.audit.events().map((e) => e.seq), [1]);
  assert.equal(f.verify().ok, true);
});

test('a nested transaction that fails drops only its own facts; the outer one commits and is heard in order', (t) => {
  const f = fixture(t);
  f.store.transaction(() => {
    record(f, skipped('first'));
    try {
      f.store.transaction(() => {
        record(f, skipped('inner'));
        throw new Error('inner step failed');
      });
    } catch {
      // the caller carries on without the inner step
    }
    record(f, skipped('last'));
  });
  assert.deepEqual(f.store.changes.since(0).map((c) => c.objectId), ['first', 'last']);
  assert.deepEqual(f.audit.events().map((e) => e.object), ['folder:first', 'folder:last']);
  assert.deepEqual(f.heard.map((h) => h.folder), ['first', 'last']);
  assert.equal(f.verify().ok, true);
});

test('a fact of changes alone needs neither the audit log nor the bus; one with an event names what is missing', (t) => {
  const f = fixture(t);
  record({ store: f.store }, { changes: [{ type: 'patient.created', objectType: 'patient', objectId: 'p_1' }] });
  assert.deepEqual(f.store.changes.since(0).map((c) => [c.type, c.data]), [['patient.created', {}]]);
  assert.throws(() => record({ store: f.store, audit: f.audit }, skipped('lab')), /record: the fact needs the event bus/);
  assert.throws(() => record({ store: f.store, bus: f.bus }, skipped('lab')), /record: the fact needs the audit log/);
  assert.equal(f.store.changes.lastSeq(), 1, 'a refused fact writes nothing');
});
