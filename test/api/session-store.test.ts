// The session table on the real store and audit log, with a clock the test moves: requests
// keep a session alive, idleness ends it exactly once, and what it keeps shows no cookie.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbOf } from '../helpers/db.js';
import { LOCAL_ADMIN } from '../../src/api/auth.js';
import type { AuditLog } from '../../src/audit/audit-log.js';
import { CuspError } from '../../src/errors.js';
import { SessionStore, csrfMatches, sessionCookie } from '../../src/api/session.js';
import { stack } from '../helpers/stack.js';

test('requests restart the idle clock; a session idle for the limit ends once, audited, and is then answered as expired', (t) => {
  const s = stack(t);
  let now = 1_000_000;
  const sessions = new SessionStore({ store: s.store, audit: s.audit, log: s.captured.logging.logger('api'), idleMinutes: 10, now: () => now });
  t.after(() => sessions.stop());
  const { cookie, session } = sessions.start(LOCAL_ADMIN, '127.0.0.1', 'token');
  for (let i = 0; i < 5; i++) {
    now += 9 * 60_000; // 45 minutes in all, never 10 without a request
    const found = sessions.lookup(cookie);
    assert.ok(found && 'session' in found, `still open after ${(i + 1) * 9} minutes of steady use`);
  }
  now += 10 * 60_000;
  sessions.sweep();
  const expired = sessions.lookup(cookie);
  assert.ok(expired && 'expired' in expired);
  assert.equal(expired.expired.id, session.id);
  assert.ok(sessions.lookup(cookie) && 'expired' in sessions.lookup(cookie)!, 'asked again: still expired, not unknown');
  const audited = dbOf(s.store).prepare("SELECT object FROM audit_events WHERE action = 'session.expired'").all();
  assert.deepEqual(audited, [{ object: `session:${session.id}` }], 'audited once');
  assert.equal(sessions.size, 0);
  assert.equal(sessions.lookup('A'.repeat(43)), undefined, 'an unknown cookie is unknown');
  assert.equal(sessions.lookup('not a cookie'), undefined);
});

test('a session idle past the limit is ended by the request that finds it, before it can be used', (t) => {
  const s = stack(t);
  let now = 0;
  const sessions = new SessionStore({ store: s.store, audit: s.audit, log: s.captured.logging.logger('api'), idleMinutes: 1, now: () => now });
  t.after(() => sessions.stop());
  const { cookie } = sessions.start(LOCAL_ADMIN, '127.0.0.1', 'token');
  now += 60_000;
  assert.ok('expired' in sessions.lookup(cookie)!);
  assert.equal((dbOf(s.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'session.expired'").get() as { n: number }).n, 1);
});

test('CSRF tokens compare exactly; the cookie is read from a Cookie header among others', () => {
  const session = { csrfToken: 'x'.repeat(43) } as Parameters<typeof csrfMatches>[0];
  assert.equal(csrfMatches(session, 'x'.repeat(43)), true);
  assert.equal(csrfMatches(session, 'y'.repeat(43)), false);
  assert.equal(csrfMatches(session, 'x'.repeat(42)), false);
  assert.equal(csrfMatches(session, undefined), false);
  assert.equal(sessionCookie('theme=dark; cusp_session=abc; other=1'), 'abc');
  assert.equal(sessionCookie('xcusp_session=abc'), undefined);
  assert.equal(sessionCookie(undefined), undefined);
});

test('no session opens when its start cannot be audited (a full disk): sign-in fails closed', (t) => {
  const s = stack(t);
  // The trail refusing a write, as it does on a full disk (the fault suite fills real disks; here only the refusal matters).
  const full = { append: () => { throw new CuspError('disk_full', 'the data disk is full'); } } as unknown as AuditLog;
  const sessions = new SessionStore({ store: s.store, audit: full, log: s.captured.logging.logger('api'), idleMinutes: 10 });
  t.after(() => sessions.stop());
  assert.throws(() => sessions.start(LOCAL_ADMIN, '127.0.0.1', 'token'), /disk is full/);
  assert.equal(sessions.size, 0);
});
