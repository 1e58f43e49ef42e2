// The least-privilege table, walked: every route × every role × no token, against the
// real server. A route added without an access rule cannot slip through: the walk reads
// the same declarations the router mounts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Role } from '../../src/store/principals.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';

const ROLES: Role[] = ['admin', 'clinician', 'integration', 'auditor'];

function fillPath(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'uid') return randomUUID();
    if (/id$/i.test(name)) return '999999';
    return 'no-such-thing';
  });
}

test('every route answers 401 without a token, 403 to roles it does not allow, and lets its roles through', async (t) => {
  const api = await apiStack(t);
  assert.ok(api.routes.length >= 3);
  const rows: string[] = [];
  for (const route of api.routes) {
    const path = fillPath(route.path);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
    const anonymous = await api.as(null).send(route.method, path, { body });
    if (route.access === 'public') {
      assert.notEqual(anonymous.status, 401, `${route.method} ${route.path} is public`);
      continue;
    }
    assert.equal(anonymous.status, 401, `${route.method} ${route.path} without a token`);
    for (const role of ROLES) {
      const res = await api.as(role).send(route.method, path, { body });
      const allowed = route.access.includes(role);
      if (allowed) assert.ok(res.status !== 401 && res.status !== 403, `${role} may ${route.method} ${route.path}, got ${res.status} ${JSON.stringify(res.body)}`);
      else assert.equal(res.status, 403, `${role} may not ${route.method} ${route.path}`);
      rows.push(`${route.method} ${route.path} ${role} ${res.status}`);
    }
  }
  const denied = dbOf(api.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'access.denied'").get() as { n: number };
  const expectedDenied = api.routes.filter((r) => r.access !== 'public').reduce((n, r) => n + ROLES.filter((role) => !(r.access as Role[]).includes(role)).length, 0);
  assert.equal(denied.n, expectedDenied, 'every refusal is in the audit trail');
});

test('the admin socket is the local administrator without a token', async (t) => {
  const api = await apiStack(t);
  const page = await api.local.listScans();
  assert.deepEqual(page, { scans: [], next: null });
  const event = dbOf(api.store).prepare("SELECT actor, source FROM audit_events WHERE action = 'scan.list'").get();
  assert.deepEqual(event, { actor: 'local-admin', source: 'local' });
});

test('failed logins are audited and, past the limit, refused for a while with 429', async (t) => {
  const { FailureLimiter } = await import('../../src/api/auth.js');
  const api = await apiStack(t, { limiter: new FailureLimiter({ perCredential: 3, perAddress: 5, windowMs: 60_000 }) });
  const bad = api.as(null);
  for (let i = 0; i < 3; i++) {
    const res = await bad.send('GET', '/scans', { headers: { Authorization: `Bearer cusp_${'A'.repeat(43)}` } });
    assert.equal(res.status, 401);
    assert.match((res.body as { error: { message: string } }).error.message, /unknown, revoked or expired/);
  }
  const blocked = await bad.send('GET', '/scans', { headers: { Authorization: `Bearer cusp_${'A'.repeat(43)}` } });
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers['retry-after']) > 0);
  const fails = dbOf(api.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'auth.fail' AND outcome = 'denied'").get() as { n: number };
  assert.equal(fails.n, 3);
});

test('a break-glass token works and raises a security alert in the audit trail', async (t) => {
  const api = await apiStack(t);
  const p = api.store.principals.create('emergency', 'admin', 'user');
  const { token } = api.store.principals.issueToken(p.id, 'glass', { ttlDays: 1, scopes: ['break-glass'] });
  const { CuspClient } = await import('../../src/api/client.js');
  const client = new CuspClient({ url: api.url, ca: api.ca, token });
  await client.listScans();
  const alert = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'security.alert'").get() as { details: string };
  assert.match(alert.details, /break-glass token used/);
});

test('the OpenAPI document lists every route with its roles', async (t) => {
  const api = await apiStack(t);
  const doc = await api.as(null).call<{ openapi: string; paths: Record<string, Record<string, { 'x-roles': string[] }>> }>('GET', '/openapi.json');
  assert.equal(doc.openapi, '3.1.0');
  for (const r of api.routes) {
    const op = doc.paths[`/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.path} is documented`);
    assert.deepEqual(op['x-roles'], r.access === 'public' ? ['public'] : [...r.access]);
  }
});
