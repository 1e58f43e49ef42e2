import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AuditLog, MAX_LATE_READS } from '../../src/audit/audit-log.js';
import { canonicalJson } from '../../src/audit/canonical.js';
import { eventHash, GENESIS_HASH } from '../../src/audit/event.js';
import { loadOrCreateSigningKey, signCheckpoint } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

interface Fixture { store: Store; audit: AuditLog; verify: () => ReturnType<typeof verifyAudit>; checkpointFile: string; keyPath: string }

/** A log of 25 events with checkpoints every 10 (at 10 and 20). */
function fixture(t: TestContext, events = 25): Fixture {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const keyPath = join(dir, 'audit', 'signing.key');
  const signingKey = loadOrCreateSigningKey(keyPath);
  const checkpointFile = join(dir, 'audit', 'checkpoints.jsonl');
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 10, checkpointMinutes: 60 });
  for (let i = 1; i <= events; i++) {
    audit.append({ actor: 'principal:1', action: i % 2 ? 'scan.read' : 'scan.create', object: `scan:${i}`, source: '10.0.0.7', details: { n: i } });
  }
  const verify = () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile });
  return { store, audit, verify, checkpointFile, keyPath };
}

/** What an attacker with the database key can do: lift the append-only triggers. */
function withoutTriggers(store: Store, fn: () => void): void {
  dbOf(store).exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_checkpoints_no_delete;');
  fn();
}

/** Rewrite the chain from `fromSeq` on so every hash and link is consistent again. */
function rehash(store: Store, fromSeq: number): void {
  const rows = dbOf(store).prepare('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq').all(fromSeq) as Array<Record<string, unknown>>;
  let prev = fromSeq === 1 ? GENESIS_HASH : (dbOf(store).prepare('SELECT hash FROM audit_events WHERE seq = ?').get(fromSeq - 1) as { hash: string }).hash;
  const update = dbOf(store).prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = eventHash(prev, { seq: r.seq as number, time: r.time as string, actor: r.actor as string, action: r.action as string,
      object: r.object as string | null, outcome: r.outcome as 'success', source: r.source as string | null, details: JSON.parse(r.details as string) });
    update.run(prev, hash, r.seq);
    prev = hash;
  }
}

test('an untouched log verifies, with checkpoints in the database and the file', (t) => {
  const f = fixture(t);
  const result = f.verify();
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.equal(result.events, 25);
  assert.equal(result.checkpoints, 2);
  assert.equal(result.fileCheckpoints, 2);
  assert.equal(result.lastCheckpoint?.seq, 20);
  assert.equal(statSync(f.checkpointFile).mode & 0o777, 0o600);
  assert.equal(statSync(f.keyPath).mode & 0o777, 0o600);
});

test('the database refuses UPDATE and DELETE of events and checkpoints', (t) => {
  const f = fixture(t);
  assert.throws(() => dbOf(f.store).prepare("UPDATE audit_events SET outcome = 'failure' WHERE seq = 3").run(), /append-only/);
  assert.throws(() => dbOf(f.store).prepare('DELETE FROM audit_events WHERE seq = 25').run(), /append-only/);
  assert.throws(() => dbOf(f.store).prepare('DELETE FROM audit_checkpoints').run(), /append-only/);
});

test('a changed field is caught at that event', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => dbOf(f.store).prepare("UPDATE audit_events SET actor = 'principal:2' WHERE seq = 7").run());
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 7);
  assert.match(r.problems[0].message, /event 7 was changed after it was written/);
});

test('a changed field with the whole chain rehashed is caught by the signed checkpoint', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => {
    dbOf(f.store).prepare("UPDATE audit_events SET details = '{\"n\":999}' WHERE seq = 7").run();
    rehash(f.store, 7);
  });
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 10);
  assert.match(r.problems[0].message, /checkpoint signed at .* does not match event 10 \(the log was rewritten up to here\)/);
});

test('a deleted event is caught and named', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => dbOf(f.store).prepare('DELETE FROM audit_events WHERE seq = 12').run());
  const r = f.verify();
  assert.equal(r.problems[0].seq, 12);
  assert.match(r.problems[0].message, /event 12 is missing/);
});

test('reordered events are caught', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => {
    const a = dbOf(f.store).prepare('SELECT * FROM audit_events WHERE seq = 5').get() as Record<string, unknown>;
    const b = dbOf(f.store).prepare('SELECT * FROM audit_events WHERE seq = 6').get() as Record<string, unknown>;
    const swap = dbOf(f.store).prepare('UPDATE audit_events SET time = ?, actor = ?, action = ?, object = ?, details = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    swap.run(b.time, b.actor, b.action, b.object, b.details, b.prev_hash, b.hash, 5);
    swap.run(a.time, a.actor, a.action, a.object, a.details, a.prev_hash, a.hash, 6);
  });
  const r = f.verify();
  assert.equal(r.problems[0].seq, 5);
  assert.match(r.problems[0].message, /event 5 does not link/);
});

test('an inserted event (later events renumbered and rehashed) is caught by the checkpoints', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => {
    dbOf(f.store).exec('UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 8; UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1008');
    dbOf(f.store).prepare("INSERT INTO audit_events (seq, time, actor, action, object, outcome, source, details, prev_hash, hash) VALUES (8, '2026-01-01T00:00:00.000Z', 'principal:9', 'scan.delete', 'scan:3', 'success', NULL, '{}', '', '')").run();
    rehash(f.store, 8);
  });
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 10);
  assert.match(r.problems[0].message, /does not match event 10/);
});

test('a truncated tail (events and their database checkpoints removed) is caught from the checkpoint file', (t) => {
  const f = fixture(t);
  withoutTriggers(f.store, () => {
    dbOf(f.store).exec('DELETE FROM audit_events WHERE seq > 15; DELETE FROM audit_checkpoints WHERE seq > 15;');
  });
  const r = f.verify();
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].seq, 16);
  assert.match(r.problems[0].message, /the log ends at event 15, but the file checkpoint .* records event 20: events 16–20 were cut off/);
});

test('a forged checkpoint (signed with another key, or altered) is caught', (t) => {
  const f = fixture(t);
  const dir = tempDir(t);
  const otherKey = loadOrCreateSigningKey(join(dir, 'other.key'));
  const head = f.audit.head()!;
  const time = new Date().toISOString();
  dbOf(f.store).prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?)')
    .run(head.seq, head.hash, time, otherKey.keyId, signCheckpoint(otherKey, head.seq, head.hash, time));
  const lines = readFileSync(f.checkpointFile, 'utf8').trim().split('\n');
  const first = JSON.parse(lines[0]);
  first.seq = 11;
  writeFileSync(f.checkpointFile, `${[JSON.stringify(first), ...lines.slice(1)].join('\n')}\n`);
  const r = f.verify();
  assert.equal(r.ok, false);
  const messages = r.problems.map((p) => p.message).join('\n');
  assert.match(messages, /file checkpoint at event 11 has an invalid signature/);
  assert.match(messages, /database checkpoint at event 25 has an invalid signature/);
  assert.match(messages, /checkpoint at event 10 is in the database but not in/);
});

test('a rolled-back transaction leaves no event and no stale chain head', (t) => {
  const f = fixture(t, 3);
  assert.throws(() => f.store.transaction(() => {
    f.audit.append({ actor: 'system', action: 'scan.store', object: 'scan:x' });
    throw new Error('disk full');
  }), /disk full/);
  const next = f.audit.append({ actor: 'system', action: 'scan.store', object: 'scan:y' });
  assert.equal(next.seq, 4);
  assert.equal(f.verify().ok, true);
});

test('checkpoints also come after checkpointMinutes with few events', (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  let now = Date.parse('2026-11-20T08:00:00Z');
  const signingKey = loadOrCreateSigningKey(join(dir, 'k'));
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile: join(dir, 'c.jsonl'), checkpointEvery: 1000, checkpointMinutes: 10, clock: () => now });
  audit.append({ actor: 'system', action: 'daemon.start' });
  assert.equal(audit.lastCheckpoint(), undefined);
  now += 11 * 60_000;
  audit.append({ actor: 'system', action: 'scan.read' });
  assert.equal(audit.lastCheckpoint()?.seq, 2);
});

test('canonical JSON does not depend on key order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }), '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: 'x' }), '{"b":"x"}');
});

test('a read event committed without its own fsync is in the chain at once and the connection goes back to FULL', (t) => {
  const f = fixture(t, 2);
  const event = f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:1' })!;
  assert.equal(event.seq, 3);
  assert.deepEqual(f.audit.head(), { seq: 3, hash: event.hash });
  assert.equal(dbOf(f.store).pragma('synchronous', { simple: true }), 2, 'FULL again for everything else');
  assert.equal(f.verify().ok, true);
});

test('a read event that cannot be written leaves the connection at FULL and the chain intact', (t) => {
  const f = fixture(t, 1);
  assert.throws(() => f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:b', details: { n: 1n } }), /cannot encode bigint/);
  assert.equal(dbOf(f.store).pragma('synchronous', { simple: true }), 2);
  assert.equal(f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:c' })?.seq, 2);
  assert.equal(f.verify().ok, true);
});

/** Let the database grow by no page from now on: the next write that needs one fails SQLITE_FULL, as on a full disk. */
function fillDatabase(store: Store): () => void {
  const db = dbOf(store);
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  return () => db.pragma('max_page_count = 1073741823');
}

test('reads on a full disk are answered: their events wait in memory, in order, and are written with the time of the read once there is room', (t) => {
  const f = fixture(t, 2);
  const heard: Array<[number, number]> = [];
  f.audit.onLateReads((waiting, written) => heard.push([waiting, written]));
  const room = fillDatabase(f.store);
  const read = (n: number) => f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: `scan:${n}`, details: { pad: 'x'.repeat(400) } });
  let n = 0;
  while (f.audit.lateReads === 0 && n < 1000) read(++n);
  assert.equal(f.audit.lateReads, 1, 'a read whose event found no room waits');
  const firstLate = n;
  assert.equal(read(++n), undefined, 'the next read waits behind it, not written ahead of it');
  assert.equal(f.audit.writeLateReads(), false, 'still no room');
  assert.deepEqual(heard, [[1, 0], [2, 0]]);
  const headBefore = f.audit.head()!.seq;

  room();
  assert.equal(read(++n)?.seq, headBefore + 3, 'the next read writes the waiting ones first, then its own');
  assert.deepEqual(heard.at(-1), [0, 2]);
  assert.equal(f.audit.lateReads, 0);
  const last = f.audit.events(headBefore, 10);
  assert.deepEqual(last.map((e) => e.object), [`scan:${firstLate}`, `scan:${firstLate + 1}`, `scan:${firstLate + 2}`]);
  assert.equal(typeof last[0].details.readAt, 'string', 'a late event says when its read happened');
  assert.ok(Date.parse(last[0].details.readAt as string) <= Date.parse(last[0].time));
  assert.equal(last[2].details.readAt, undefined, 'an event written on time carries no readAt');
  assert.equal(f.verify().ok, true);
});

test('past maxLateReads (MAX_LATE_READS by default) waiting on a full disk a read is refused (disk_full), not answered unrecorded', (t) => {
  assert.equal(MAX_LATE_READS, 10_000);
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const signingKey = loadOrCreateSigningKey(join(dir, 'signing.key'));
  const checkpointFile = join(dir, 'checkpoints.jsonl');
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 10, checkpointMinutes: 60, maxLateReads: 40 });
  const f = { store, audit, verify: () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile }) };
  const room = fillDatabase(f.store);
  let n = 0;
  while (f.audit.lateReads === 0 && n < 1000) f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: `scan:${++n}`, details: { pad: 'x'.repeat(400) } });
  while (f.audit.lateReads < 40) f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:more' });
  assert.throws(() => f.audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:refused' }), (err: Error & { code?: string }) => err.code === 'disk_full' && /40 reads already wait/.test(err.message));
  room();
  assert.equal(f.audit.writeLateReads(), true);
  assert.equal(f.audit.events(0, 20_000).filter((e) => e.object === 'scan:refused').length, 0, 'the refused read left no event: it was not answered');
  assert.equal(f.verify().ok, true);
});

test('a checkpoint due when the disk is full does not fail the append whose event is committed', (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  // /dev/full: every write of the checkpoint line fails with ENOSPC.
  const audit = new AuditLog(store.auditEvents, { signingKey: loadOrCreateSigningKey(join(dir, 'signing.key')), checkpointFile: '/dev/full', checkpointEvery: 2, checkpointMinutes: 60 });
  audit.append({ actor: 'system', action: 'a' });
  const read = audit.appendRead({ actor: 'principal:1', action: 'scan.read', object: 'scan:1' });
  assert.equal(read?.seq, 2, 'the read is recorded and answered');
  assert.equal(audit.append({ actor: 'system', action: 'b' }).seq, 3);
  assert.equal(audit.lastCheckpoint(), undefined, 'no checkpoint could be signed');
  assert.throws(() => audit.checkpoint(), /ENOSPC/, 'asked for directly, the checkpoint says why it failed');
});

test('a checkpoint another process wrote is found, not repeated on every append', (t) => {
  const f = fixture(t, 5);
  const other = new AuditLog(f.store.auditEvents, { signingKey: loadOrCreateSigningKey(f.keyPath), checkpointFile: f.checkpointFile, checkpointEvery: 10, checkpointMinutes: 60 });
  for (let i = 0; i < 7; i++) other.append({ actor: 'system', action: 'x' });
  assert.equal(f.audit.lastCheckpoint()?.seq, 10, 'the other log checkpointed at 10');
  for (let i = 0; i < 3; i++) f.audit.append({ actor: 'system', action: 'y' });
  assert.equal(f.audit.lastCheckpoint()?.seq, 10, 'not due yet: 5 events past the other\'s checkpoint');
  for (let i = 0; i < 7; i++) f.audit.append({ actor: 'system', action: 'y' });
  assert.equal(f.audit.lastCheckpoint()?.seq, 20);
  assert.equal(f.verify().ok, true);
});
