// Users, API clients and their tokens through the API: created by an admin, shown once,
// stored hashed, expiring, scoped, revocable — and every step in the audit trail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { hashToken } from '../../src/store/principals.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';

test('an admin creates a client, issues a token that works once shown and is stored only hashed, lists it without the secret, and revokes it', async (t) => {
  const api = await apiStack(t);
  const admin = api.as('admin');
  const pms = await admin.createPrincipal('dentsoft-pms', 'integration');
  assert.deepEqual([pms.name, pms.role, pms.kind, pms.disabled], ['dentsoft-pms', 'integration', 'client', false]);
  assert.ok((await admin.principals()).principals.some((p) => p.id === pms.id));
  await assert.rejects(admin.createPrincipal('dentsoft-pms', 'clinician'), (e: ApiError) => e.status === 409 && /exists already/.test(e.message));

  const issued = await admin.issueToken(pms.id, 'front desk', { days: 30 });
  assert.match(issued.token, /^cusp_[A-Za-z0-9_-]{43}$/);
  const days = (Date.parse(issued.info.expiresAt!) - Date.now()) / 86_400_000;
  assert.ok(days > 29.9 && days <= 30, `expires in 30 days, not ${days}`);
  const client = new CuspClient({ url: api.url, ca: api.ca, token: issued.token });
  assert.deepEqual(await client.listScans(), { scans: [], next: null });
  await assert.rejects(client.principals(), (e: ApiError) => e.status === 403, 'an integration client does not manage principals');

  const stored = dbOf(api.store).prepare('SELECT hash FROM tokens WHERE id = ?').get(issued.info.id) as { hash: string };
  assert.equal(stored.hash, hashToken(issued.token));
  const listing = await admin.send('GET', `/principals/${pms.id}/tokens`);
  assert.equal(listing.status, 200);
  assert.ok(!JSON.stringify(listing.body).includes(issued.token), 'a token is never shown again');
  const listed = (listing.body as { tokens: Array<{ id: number; lastUsedAt: string | null }> }).tokens;
  assert.equal(listed.length, 1);
  assert.notEqual(listed[0].lastUsedAt, null, 'the listing shows when the token was last used');

  const revoked = await admin.revokeToken(issued.info.id);
  assert.notEqual(revoked.revokedAt, null);
  await assert.rejects(client.listScans(), (e: ApiError) => e.status === 401 && /revoked/.test(e.message));
  await assert.rejects(admin.revokeToken(issued.info.id), (e: ApiError) => e.status === 409);
  await assert.rejects(admin.revokeToken(999_999), (e: ApiError) => e.status === 404);
  await assert.rejects(admin.issueToken(999_999, 'x'), (e: ApiError) => e.status === 404);

  const adminId = api.store.principals.getByName('test-admin')!.id;
  const trail = dbOf(api.store).prepare("SELECT action, actor, object, details FROM audit_events WHERE action LIKE 'principal.%' OR action LIKE 'token.%' ORDER BY seq").all() as Array<{ action: string; actor: string; object: string; details: string }>;
  assert.deepEqual(trail.map((e) => e.action), ['principal.create', 'principal.list', 'token.create', 'token.list', 'token.revoke']);
  assert.ok(trail.every((e) => e.actor === `principal:${adminId}`));
  assert.ok(trail.every((e) => !e.details.includes(issued.token)), 'no secret in the audit trail');
  assert.equal(trail[2].object, `token:${issued.info.id}`);
});

test('a token without days lasts api.tokenTtlDays; a scoped token reaches only its scopes', async (t) => {
  const api = await apiStack(t);
  const admin = api.as('admin');
  const nurse = await admin.createPrincipal('nurse.kim', 'clinician', 'user');
  assert.equal(nurse.kind, 'user');
  const plain = await admin.issueToken(nurse.id, 'laptop');
  const days = (Date.parse(plain.info.expiresAt!) - Date.now()) / 86_400_000;
  assert.ok(Math.abs(days - api.config.api.tokenTtlDays) < 0.01);

  const scoped = await admin.issueToken(nurse.id, 'viewer', { scopes: ['scans:read'] });
  const viewer = new CuspClient({ url: api.url, ca: api.ca, token: scoped.token });
  assert.deepEqual(await viewer.listScans(), { scans: [], next: null });
  await assert.rejects(viewer.changes(), (e: ApiError) => e.status === 403 && /limited to scans:read/.test(e.message));

  await assert.rejects(admin.issueToken(nurse.id, 'x', { scopes: ['scans:delete-everything'] }), (e: ApiError) => e.status === 400 && /scope/.test(e.message));
  await assert.rejects(admin.issueToken(nurse.id, 'x', { days: 0 }), (e: ApiError) => e.status === 400 && /body\.days/.test(e.message));
  await assert.rejects(admin.createPrincipal('boss', 'superuser' as never), (e: ApiError) => e.status === 400 && /body\.role/.test(e.message));
});
