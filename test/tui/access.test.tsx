// The access screen against a real daemon: create an API client, issue a token that is
// shown once and works on the LAN API, revoke it (asked first) and see it refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

test('access: create a client, issue a token shown once, revoke it after a question — the API then refuses it', async (t) => {
  const { socketPath, daemon } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'access' });
  await app.waitFor('nobody yet — press n to add a user or client');

  await app.press('n');
  await app.type('pms-server');
  await app.press(KEYS.enter);
  await app.waitFor('Role (admin, clinician, integration, auditor):');
  await app.type('integration');
  await app.press(KEYS.enter);
  await app.press(KEYS.enter); // kind: the default, client
  let frame = await app.waitFor('✓ created client pms-server (integration)');
  frame = await app.waitFor(/›pms-server\s+client\s+integration\s+\d{4}-\d\d-\d\d principal:\d+/);
  assertFits(frame);
  // The id the audit trail shows for this client, beside its name.
  const principalId = /›pms-server.*principal:(\d+)/.exec(frame)![1];

  await app.press('t');
  await app.type('front desk');
  await app.press(KEYS.enter);
  await app.type('30');
  await app.press(KEYS.enter);
  frame = await app.waitFor('shown once, copy it now');
  const token = /cusp_[A-Za-z0-9_-]{43}/.exec(frame)?.[0];
  assert.ok(token, `a token is shown:\n${frame}`);
  assertFits(frame);
  const works = await daemon.request('GET', '/api/v1/scans', { token });
  assert.equal(works.status, 200);

  await app.press(' ');
  // The audit screen names the token's call by the same id.
  await app.press('6');
  frame = await app.waitFor(new RegExp(`#\\d+\\s+\\S+ \\S+\\s+principal:${principalId}\\s+scan\\.`));
  assertFits(frame);
  await app.press('5');
  frame = await app.waitFor(/#\d+\s+front desk\s+active\s+expires in (29|30)d/);
  assert.doesNotMatch(frame, /cusp_[A-Za-z0-9_-]{43}/, 'the token is gone from the screen');

  await app.press('x');
  await app.waitFor('select a token first (Tab to the token list)');
  await app.press(KEYS.tab, 'x');
  await app.waitFor(/\[y yes · other key: no\] Revoke token \d+ "front desk" of pms-server/);
  await app.press('y');
  frame = await app.waitFor(/#\d+\s+front desk\s+revoked/);
  assertFits(frame);
  const refused = await daemon.request('GET', '/api/v1/scans', { token });
  assert.equal(refused.status, 401);
});
