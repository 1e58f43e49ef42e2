import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

function freshStore(t: TestContext) {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  return store;
}

test('patients are found by external id and by name, and carry a pseudonymous id', (t) => {
  const store = freshStore(t);
  const p = store.patients.create({ lastName: 'Smith', firstName: 'John', birthDate: '1980-02-03', externalIds: [{ system: 'pms', value: '4711' }] });
  assert.match(p.pseudoId, /^p_[a-z2-7]{16}$/);
  assert.equal(store.patients.findByExternalId('pms', '4711')?.id, p.id);
  assert.equal(store.patients.findByName('smith', 'JOHN')?.id, p.id, 'names match case-insensitively');
  assert.equal(store.patients.findByName('Smith', 'John', '1990-01-01'), undefined, 'a different birth date is another patient');
  assert.equal(store.patients.getByPseudoId(p.pseudoId)?.lastName, 'Smith');
});

test('scans: insert, duplicate arrivals, versions, status', (t) => {
  const store = freshStore(t);
  const p = store.patients.create({ lastName: 'Smith', firstName: 'John' });
  const blob = store.blobs.put(randomBytes(100));
  const s1 = store.scans.insert({ patientId: p.id, jaw: 'upper', capturedAt: '2026-11-20', originalName: 'a.stl', format: 'stl', size: 100, sha256: blob.hash, sourceFolder: '/in' });
  assert.equal(s1.status, 'received');
  store.scans.recordDuplicate(s1.id, '/in', 'a (copy).stl');
  assert.deepEqual(store.scans.arrivals(s1.id).map((a) => [a.originalName, a.duplicate]), [['a.stl', false], ['a (copy).stl', true]]);
  assert.equal(store.scans.findBySha256(blob.hash)?.id, s1.id);
  const blob2 = store.blobs.put(randomBytes(100));
  const s2 = store.scans.insert({ patientId: p.id, jaw: 'upper', capturedAt: '2026-11-20', originalName: 'a.stl', format: 'stl', size: 100, sha256: blob2.hash, version: 2, supersedes: s1.id });
  assert.equal(store.scans.latestVersion(p.id, 'upper', '2026-11-20')?.id, s2.id);
  store.scans.setStatus(s2.id, 'validated', 'warn');
  assert.equal(store.scans.get(s2.id)?.verdict, 'warn');
  assert.throws(() => store.scans.insert({ jaw: 'upper', originalName: 'x', format: 'stl', size: 1, sha256: 'not-stored' }), /FOREIGN KEY/);
});

test('jobs: claimed once, retried later, requeued after a crash', (t) => {
  const store = freshStore(t);
  const j1 = store.jobs.enqueue('validate', null);
  const j2 = store.jobs.enqueue('validate', null, { runAfter: new Date(Date.now() + 60_000) });
  const claimed = store.jobs.claimNext();
  assert.equal(claimed?.id, j1.id);
  assert.equal(claimed?.attempts, 1);
  assert.equal(store.jobs.claimNext(), undefined, 'j2 is not due yet and j1 is taken');
  store.jobs.setProgress(j1.id, 0.5, 'welding');
  assert.equal(store.jobs.get(j1.id)?.stage, 'welding');
  store.jobs.retryLater(j1.id, 'worker exited', 0);
  assert.equal(store.jobs.claimNext()?.id, j1.id);
  assert.equal(store.jobs.requeueInterrupted(), 1);
  assert.equal(store.jobs.get(j1.id)?.state, 'queued');
  assert.equal(store.jobs.claimNext(new Date(Date.now() + 120_000))?.id, j1.id);
  store.jobs.finish(j1.id);
  assert.equal(store.jobs.get(j1.id)?.state, 'done');
  assert.equal(store.jobs.cancel(j2.id), true);
  assert.deepEqual(store.jobs.counts(), { queued: 0, running: 0, done: 1, failed: 0, cancelled: 1 });
});

test('tokens: shown once, stored hashed, expire, revoke, disabled principals refused', (t) => {
  const store = freshStore(t);
  const pms = store.principals.create('practice-software', 'integration');
  const { token, info } = store.principals.issueToken(pms.id, 'main', { ttlDays: 30 });
  assert.match(token, /^cusp_[A-Za-z0-9_-]{43}$/);
  const stored = dbOf(store).prepare('SELECT hash FROM tokens WHERE id = ?').get(info.id) as { hash: string };
  assert.notEqual(stored.hash, token);
  assert.equal(store.principals.authenticate(token)?.principal.name, 'practice-software');
  assert.equal(store.principals.authenticate(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), undefined, 'one character changed');
  assert.equal(store.principals.authenticate(token, new Date(Date.now() + 31 * 86_400_000)), undefined, 'expired');
  store.principals.revokeToken(info.id);
  assert.equal(store.principals.authenticate(token), undefined, 'revoked');
  assert.throws(() => store.principals.create('practice-software', 'admin'), /exists already/);
  assert.throws(() => store.principals.create('x', 'root' as never), /unknown role 'root'/);
});

test('a token revoked or a principal disabled by another process is refused on the next request, though authentication is cached', (t) => {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const store = openStore(join(dir, 'cusp.db'), key);
  t.after(() => store.close());
  const pms = store.principals.create('practice-software', 'integration');
  const lab = store.principals.create('lab', 'integration');
  const { token, info } = store.principals.issueToken(pms.id, 'main');
  const labToken = store.principals.issueToken(lab.id, 'main').token;
  for (let i = 0; i < 3; i++) assert.equal(store.principals.authenticate(token)?.token.id, info.id);
  assert.equal(store.principals.authenticate(labToken)?.principal.name, 'lab');
  // `cusp token revoke` and the like run in a process of their own: another connection.
  const cli = openStore(join(dir, 'cusp.db'), key);
  try {
    cli.principals.revokeToken(info.id);
    assert.equal(store.principals.authenticate(token), undefined, 'revoked from the other connection');
    assert.equal(store.principals.authenticate(labToken)?.principal.name, 'lab', 'the other token still works');
    dbOf(cli).prepare('UPDATE principals SET disabled = 1 WHERE id = ?').run(lab.id);
    assert.equal(store.principals.authenticate(labToken), undefined, 'principal disabled from the other connection');
  } finally {
    cli.close();
  }
});

test('the changes feed has increasing ids and pages from a position', (t) => {
  const store = freshStore(t);
  const a = store.changes.append('scan.received', 'scan', 'u1');
  const b = store.changes.append('scan.validated', 'scan', 'u1', { verdict: 'ok' });
  assert.ok(b > a);
  assert.deepEqual(store.changes.since(a).map((c) => [c.type, c.data]), [['scan.validated', { verdict: 'ok' }]]);
  assert.equal(store.changes.lastSeq(), b);
});
