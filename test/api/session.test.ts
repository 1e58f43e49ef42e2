// The review page's sign-in through the real Koa app over TLS on loopback, on the real
// SQLCipher store: a token exchanged for a session cookie with exactly the flags a browser
// must keep to itself, CSRF on writes, the same failure limiter and audit as bearer tokens,
// idle logoff, sign-out, and the roles of the API through the cookie.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbOf } from '../helpers/db.js';
import { FailureLimiter } from '../../src/api/auth.js';
import { configSchema } from '../../src/config/index.js';
import { apiStack } from '../helpers/api.js';
import { Browser } from '../helpers/browser.js';
import { until } from '../helpers/until.js';

type Api = Awaited<ReturnType<typeof apiStack>>;

function events(api: Api, action: string) {
  return dbOf(api.store).prepare('SELECT actor, object, outcome, source, details FROM audit_events WHERE action = ? ORDER BY seq').all(action) as
    Array<{ actor: string; object: string | null; outcome: string; source: string; details: string }>;
}

function principalId(api: Api, name: string): number {
  return api.store.principals.getByName(name)!.id;
}

const HSTS = 'max-age=31536000';

test('signing in with a clinician token sets a session cookie that is HttpOnly, Secure, SameSite=Strict, and the cookie is that clinician', async (t) => {
  const api = await apiStack(t);
  const browser = new Browser(api.url, api.ca);
  const res = await browser.signIn(api.tokens.clinician);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers['strict-transport-security'], HSTS);
  const id = principalId(api, 'test-clinician');
  assert.deepEqual(res.body.principal, { id, name: 'test-clinician', role: 'clinician' });
  assert.match(res.body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(res.body.idleLogoffMinutes, 15, 'the default of review.idleLogoffMinutes');
  assert.equal(res.body.limitedTo, null);

  const cookies = res.headers['set-cookie']!;
  assert.equal(cookies.length, 1);
  const [pair, ...attributes] = cookies[0].split(';').map((p) => p.trim());
  assert.match(pair, /^cusp_session=[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure'], 'exactly these flags: no Domain, no expiry (ends with the browser)');
  assert.notEqual(browser.cookie, res.body.csrfToken, 'the CSRF token is not the cookie');

  const me = await browser.api('GET', '/session');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, res.body, 'the session answers the same principal and CSRF token');
  const list = await browser.api('GET', '/patients');
  assert.equal(list.status, 200, 'an API read with the cookie alone works');
  assert.deepEqual(events(api, 'patient.search').map((e) => e.actor), [`principal:${id}`], 'audited as the clinician, exactly as with a bearer token');

  const started = events(api, 'session.start');
  assert.equal(started.length, 1);
  assert.equal(started[0].actor, `principal:${id}`);
  assert.equal(started[0].source, '127.0.0.1');
  assert.match(started[0].object!, /^session:[0-9a-f]{12}$/);
  const tokenId = api.store.principals.tokens(id)[0].id;
  assert.deepEqual(JSON.parse(started[0].details), { via: 'token', token: tokenId });

  const trail = JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all());
  const logs = api.captured.text();
  for (const secret of [api.tokens.clinician, browser.cookie!, res.body.csrfToken as string]) {
    assert.ok(!trail.includes(secret), 'no token, cookie or CSRF token in the audit trail');
    assert.ok(!logs.includes(secret), 'nor in the log');
  }
  assert.equal(api.verify().ok, true);
});

test('a write with the cookie needs the X-CSRF-Token header: without it or with a wrong one 403 csrf_required and nothing changes', async (t) => {
  const api = await apiStack(t);
  const browser = new Browser(api.url, api.ca);
  await browser.signIn(api.tokens.clinician);
  const patients = () => (dbOf(api.store).prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;

  const bare = await browser.api('POST', '/patients', { body: { lastName: 'Doe' }, csrf: false });
  assert.equal(bare.status, 403);
  assert.equal(bare.body.error.code, 'csrf_required');
  assert.match(bare.body.error.message, /X-CSRF-Token/);
  assert.equal(bare.headers['strict-transport-security'], HSTS);
  const wrong = await browser.api('POST', '/patients', { body: { lastName: 'Doe' }, csrf: 'A'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.code, 'csrf_required');
  assert.equal(patients(), 0, 'no patient was made by the refused writes');
  const denied = events(api, 'access.denied');
  assert.equal(denied.length, 2, 'each refusal is audited');
  assert.equal(JSON.parse(denied[0].details).reason, 'csrf');
  assert.equal(denied[0].actor, `principal:${principalId(api, 'test-clinician')}`);

  const ok = await browser.api('POST', '/patients', { body: { lastName: 'Doe' } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(patients(), 1);
  assert.equal(events(api, 'patient.create')[0].actor, `principal:${principalId(api, 'test-clinician')}`);

  const bearer = await api.as('clinician').send('POST', '/patients', { body: { lastName: 'Roe' } });
  assert.equal(bearer.status, 201, 'a bearer token needs no CSRF token');
  const bearerSession = await api.as('clinician').send('GET', '/session');
  assert.equal(bearerSession.status, 200);
  assert.equal((bearerSession.body as { csrfToken: unknown }).csrfToken, null, 'a bearer caller has no CSRF token');
});

test('a bad token at sign-in is 401, audited as a failed login, and counted by the same limiter as bearer failures', async (t) => {
  const api = await apiStack(t, { limiter: new FailureLimiter({ perCredential: 3, perAddress: 50, windowMs: 60_000 }) });
  const wrong = `cusp_${'B'.repeat(43)}`;
  const browser = new Browser(api.url, api.ca);
  const first = await browser.signIn(wrong);
  assert.equal(first.status, 401);
  assert.equal(first.body.error.code, 'unauthorized');
  assert.match(first.body.error.message, /unknown, revoked or expired/);
  assert.equal(first.headers['set-cookie'], undefined, 'no cookie for a bad token');
  assert.equal(browser.cookie, undefined);
  // Two more failures of the same token, as bearer: the limit of 3 is reached across both ways.
  for (let i = 0; i < 2; i++) assert.equal((await api.as(null).send('GET', '/scans', { headers: { Authorization: `Bearer ${wrong}` } })).status, 401);
  const locked = await browser.signIn(wrong);
  assert.equal(locked.status, 429, 'the fourth failure, at sign-in, is refused by the shared limiter');
  assert.ok(Number(locked.headers['retry-after']) > 0);
  const fails = events(api, 'auth.fail');
  assert.equal(fails.length, 3);
  assert.deepEqual(fails.map((f) => JSON.parse(f.details).reason), Array(3).fill('unknown, revoked or expired token'));
  assert.equal(events(api, 'auth.lockout').length, 1);
  assert.equal(events(api, 'session.start').length, 0);

  const good = await browser.signIn(api.tokens.clinician);
  assert.equal(good.status, 201, 'a valid token still signs in from that address');
  const empty = await new Browser(api.url, api.ca).send('POST', '/api/v1/session', { body: { token: '' } });
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /body\.token/);
});

test('GET /session without a session is 401 unauthenticated; a revoked token ends its sessions at once', async (t) => {
  const api = await apiStack(t);
  const none = await new Browser(api.url, api.ca).api('GET', '/session');
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'unauthenticated');
  assert.equal(none.headers['strict-transport-security'], HSTS);

  const browser = new Browser(api.url, api.ca);
  await browser.signIn(api.tokens.clinician);
  assert.equal((await browser.api('GET', '/session')).status, 200);
  const id = principalId(api, 'test-clinician');
  const tokenId = api.store.principals.tokens(id)[0].id;
  assert.equal((await api.as('admin').send('DELETE', `/tokens/${tokenId}`)).status, 200);
  const after = await browser.api('GET', '/patients');
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'unauthenticated');
  assert.match(after.body.error.message, /revoked or expired/);
  const ended = events(api, 'session.end');
  assert.equal(ended.length, 1);
  assert.equal(JSON.parse(ended[0].details).reason, 'credential-void');
});

test('sign-out: DELETE /session needs the CSRF token, answers 204, clears the cookie, and the old cookie opens nothing', async (t) => {
  const api = await apiStack(t);
  const browser = new Browser(api.url, api.ca);
  await browser.signIn(api.tokens.clinician);
  const cookie = browser.cookie!;
  const forged = await browser.api('DELETE', '/session', { csrf: false });
  assert.equal(forged.status, 403, 'another site cannot sign the clinician out either');
  assert.equal((await browser.api('GET', '/session')).status, 200, 'still signed in');

  const out = await browser.api('DELETE', '/session');
  assert.equal(out.status, 204);
  assert.equal(out.headers['strict-transport-security'], HSTS);
  assert.match(out.headers['set-cookie']![0], /^cusp_session=; .*Max-Age=0/);
  assert.equal(browser.cookie, undefined, 'the browser dropped the cookie');
  const ended = events(api, 'session.end');
  assert.equal(ended.length, 1);
  assert.equal(ended[0].actor, `principal:${principalId(api, 'test-clinician')}`);
  assert.equal(JSON.parse(ended[0].details).reason, 'signed-out');
  assert.equal(ended[0].object, events(api, 'session.start')[0].object, 'the same session');

  browser.cookie = cookie; // a copy of the old cookie, replayed
  const replay = await browser.api('GET', '/patients');
  assert.equal(replay.status, 401);
  assert.equal(replay.body.error.code, 'unauthenticated');
  assert.match(replay.body.error.message, /sign in again/);
  assert.equal((await browser.api('GET', '/health')).status, 200, 'a dead cookie does not break public routes');
});

test('signing in again replaces the browser\'s session: the old cookie ends (audited as replaced)', async (t) => {
  const api = await apiStack(t);
  const browser = new Browser(api.url, api.ca);
  await browser.signIn(api.tokens.clinician);
  const first = browser.cookie!;
  await browser.signIn(api.tokens.admin);
  assert.notEqual(browser.cookie, first);
  assert.equal((await browser.api('GET', '/session')).body.principal.role, 'admin');
  assert.deepEqual(events(api, 'session.end').map((e) => JSON.parse(e.details).reason), ['replaced']);
  browser.cookie = first;
  assert.equal((await browser.api('GET', '/session')).status, 401);
});

test('the roles of the API hold through the cookie: an auditor session cannot read patients, a clinician session cannot manage principals', async (t) => {
  const api = await apiStack(t);
  const auditor = new Browser(api.url, api.ca);
  await auditor.signIn(api.tokens.auditor);
  const patients = await auditor.api('GET', '/patients');
  assert.equal(patients.status, 403, 'as with a bearer token');
  assert.equal((await api.as('auditor').send('GET', '/patients')).status, 403, 'the bearer answer it matches');
  assert.equal((await auditor.api('GET', '/audit/status')).status, 200, 'what the auditor role may do works');
  const clinician = new Browser(api.url, api.ca);
  await clinician.signIn(api.tokens.clinician);
  assert.equal((await clinician.api('GET', '/principals')).status, 403);
  assert.equal((await clinician.api('POST', '/principals', { body: { name: 'x', role: 'admin' } })).status, 403, 'with a valid CSRF token, still the role decides');
  const denied = events(api, 'access.denied').map((e) => JSON.parse(e.details) as { route: string; role: string });
  assert.deepEqual(denied.map((d) => `${d.role} ${d.route}`), ['auditor /patients', 'auditor /patients', 'clinician /principals', 'clinician /principals']);
});

test('idle logoff: a session with no request for review.idleLogoffMinutes ends, is audited as session.expired, and the next request is 401 session_expired', async (t) => {
  const api = await apiStack(t, {
    services: (s) => ({ config: configSchema.parse({ dataDir: s.dataDir, folders: [{ path: s.inbox, name: 'inbox' }], review: { idleLogoffMinutes: 0.02 } }) }),
  });
  const browser = new Browser(api.url, api.ca);
  const signedIn = await browser.signIn(api.tokens.clinician);
  assert.equal(signedIn.body.idleLogoffMinutes, 0.02);
  // The sweep ends it without any request from the browser.
  const expired = await until('the idle session to be ended', () => events(api, 'session.expired')[0], 30_000);
  assert.equal(expired.actor, `principal:${principalId(api, 'test-clinician')}`);
  assert.equal(expired.object, events(api, 'session.start')[0].object);
  assert.equal(JSON.parse(expired.details).idleMinutes, 0.02);

  const next = await browser.api('GET', '/patients');
  assert.equal(next.status, 401);
  assert.equal(next.body.error.code, 'session_expired');
  assert.match(next.body.error.message, /0\.02 minutes without activity/);
  assert.equal(next.headers['strict-transport-security'], HSTS);
  const me = await browser.api('GET', '/session');
  assert.equal(me.body.error.code, 'session_expired', 'the page learns why it must sign in again');
  assert.equal(events(api, 'session.expired').length, 1, 'expired once, audited once');
  assert.equal((await browser.signIn(api.tokens.clinician)).status, 201, 'signing in again works');
  assert.equal(api.verify().ok, true);
});

test('a break-glass token signs in too, and every request of its session raises a security alert, as with bearer', async (t) => {
  const api = await apiStack(t);
  const admin = api.store.principals.create('emergency', 'admin', 'user');
  const { token } = api.store.principals.issueToken(admin.id, 'glass', { ttlDays: 1, scopes: ['break-glass'] });
  const browser = new Browser(api.url, api.ca);
  assert.equal((await browser.signIn(token)).status, 201);
  assert.equal((await browser.api('GET', '/patients')).status, 200);
  assert.equal((await browser.api('GET', '/principals')).status, 200);
  const alerts = events(api, 'security.alert').map((e) => JSON.parse(e.details) as { route: string });
  assert.deepEqual(alerts.map((a) => a.route), ['/api/v1/session', '/api/v1/patients', '/api/v1/principals']);
  assert.ok(!JSON.stringify(alerts).includes(token));
});
