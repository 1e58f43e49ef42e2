// Point 2 of the security brief: failed logins lock out the failing credential, never the
// clinic's valid tokens from the same address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureLimiter } from '../../src/api/auth.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';

const bad = (c: string) => ({ headers: { Authorization: `Bearer cusp_${c.repeat(43)}` } });

test('one address with mixed good and bad tokens: the bad ones are locked out, the good ones never are', async (t) => {
  const api = await apiStack(t, { limiter: new FailureLimiter({ perCredential: 10, perAddress: 25, windowMs: 15 * 60_000 }) });
  const anonymous = api.as(null);
  // A neighbour's script with one revoked token, hammering.
  for (let i = 0; i < 10; i++) assert.equal((await anonymous.send('GET', '/scans', bad('A'))).status, 401);
  const locked = await anonymous.send('GET', '/scans', bad('A'));
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  // Every valid token from the same address still works, interleaved with more failures.
  for (const role of ['integration', 'auditor', 'admin'] as const) {
    assert.equal((await api.as(role).send('GET', '/changes')).status, 200, `${role} is not refused for others' failures`);
    assert.equal((await anonymous.send('GET', '/scans', bad('A'))).status, 429);
  }
  // A guesser trying many different tokens hits the per-address ceiling (25 failures)…
  let first429 = -1;
  for (let i = 0; i < 20; i++) {
    const res = await anonymous.send('GET', '/scans', bad(String.fromCharCode(66 + i)));
    if (res.status === 429 && first429 < 0) first429 = i;
  }
  assert.equal(first429, 15, '10 + 15 failures reach the ceiling of 25; the 16th new token is refused with 429');
  // …and still no valid token is refused.
  for (const role of ['integration', 'auditor', 'admin', 'clinician'] as const) assert.equal((await api.as(role).send('GET', '/changes')).status, 200);

  const count = (action: string) => (dbOf(api.store).prepare('SELECT count(*) AS n FROM audit_events WHERE action = ?').get(action) as { n: number }).n;
  assert.equal(count('auth.fail'), 25, 'every counted failure is audited; refusals during a lockout are not (no flood)');
  assert.equal(count('auth.lockout'), 2, 'the per-credential lockout and the per-address ceiling each leave one event');
});
