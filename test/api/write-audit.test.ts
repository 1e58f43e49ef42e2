// An API write and its audit event are one: the event is written in the transaction of the
// change (input.record), so when the audit append fails the change is not stored either.
// Real parts: the real API over HTTPS on the real SQLCipher store, whose audit append is
// made to fail for real by a trigger on audit_events. Also: every write route says how it
// is audited, and a write that records nothing is an error, not a silent gap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import type { ApiState } from '../../src/api/auth.js';
import { CuspClient } from '../../src/api/client.js';
import { errorMiddleware } from '../../src/api/errors.js';
import { mountRoutes } from '../../src/api/mount.js';
import { route, type RouteSpec } from '../../src/api/route.js';
import { listenSocket } from '../../src/api/server.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';
import { stack } from '../helpers/stack.js';

/** Every row of the tables an API write changes, and of the audit trail and change feed. */
const TABLES = ['patients', 'patient_external_ids', 'visits', 'annotations', 'principals', 'tokens', 'legal_holds', 'changes', 'audit_events'];
function snapshot(db: ReturnType<typeof dbOf>): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

test('when the audit append fails, a write answers an error and stores nothing: no data change, no change row, no event', async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  const admin = api.as('admin');
  const patient = await c.call<{ id: string }>('POST', '/patients', { body: { lastName: 'Roe', externalIds: [{ system: 'pms', value: '17' }] } });
  const visit = await c.call<{ id: number; title: string | null }>('POST', '/visits', { body: { patient: patient.id, date: '2026-11-20', title: 'check-in' } });
  const note = await c.call<{ id: number }>('POST', `/visits/${visit.id}/annotations`, { body: { note: 'first' } });
  const client = await admin.call<{ id: number }>('POST', '/principals', { body: { name: 'lab-client', role: 'integration' } });
  const token = await admin.call<{ info: { id: number } }>('POST', `/principals/${client.id}/tokens`, { body: { name: 'lab' } });

  const db = dbOf(api.store);
  const before = snapshot(db);
  db.exec("CREATE TEMP TRIGGER audit_append_fails BEFORE INSERT ON main.audit_events BEGIN SELECT RAISE(ABORT, 'test: the audit append fails'); END");
  const writes: Array<[string, string, CuspClient, unknown]> = [
    ['PATCH', `/visits/${visit.id}`, c, { title: 'changed' }],
    ['POST', '/visits', c, { patient: patient.id, date: '2026-12-01' }],
    ['POST', `/visits/${visit.id}/review`, c, { state: 'flagged' }],
    ['POST', '/patients', c, { lastName: 'Poe' }],
    ['PATCH', `/patients/${patient.id}`, c, { lastName: 'Doe' }],
    ['PUT', `/patients/${patient.id}/legal-hold`, admin, { hold: true, reason: 'a matter' }],
    ['POST', `/visits/${visit.id}/annotations`, c, { note: 'second' }],
    ['PATCH', `/annotations/${note.id}`, c, { note: 'edited' }],
    ['DELETE', `/annotations/${note.id}`, c, undefined],
    ['POST', '/principals', admin, { name: 'other-client', role: 'clinician' }],
    ['POST', `/principals/${client.id}/disable`, admin, undefined],
    ['POST', `/principals/${client.id}/tokens`, admin, { name: 'second' }],
    ['DELETE', `/tokens/${token.info.id}`, admin, undefined],
  ];
  const answers: string[] = [];
  for (const [method, path, as, body] of writes) {
    const res = await as.send(method, path, body === undefined ? {} : { body });
    answers.push(`${method} ${path} → ${res.status}`);
  }
  const after = snapshot(db);
  const changed = TABLES.filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]));
  assert.deepEqual(changed, [], 'nothing of the failed writes was stored (tables that changed)');
  assert.deepEqual(answers, writes.map(([method, path]) => `${method} ${path} → 500`), 'each write answers an error');
  assert.equal(api.store.visits.get(visit.id)!.title, 'check-in');
  assert.equal(api.store.principals.get(client.id)!.disabled, false);
  assert.equal(api.store.principals.token(token.info.id)!.revokedAt, null);

  // The append works again: the next write is stored with its event and the chain is whole.
  db.exec('DROP TRIGGER temp.audit_append_fails');
  const edited = await c.call<{ title: string }>('PATCH', `/visits/${visit.id}`, { body: { title: 'changed' } });
  assert.equal(edited.title, 'changed');
  const events = db.prepare("SELECT object, details FROM audit_events WHERE action = 'visit.update'").all() as Array<{ object: string; details: string }>;
  assert.deepEqual(events.map((e) => [e.object, JSON.parse(e.details).fields]), [[`visit:${visit.id}`, ['title']]]);
  const changes = db.prepare("SELECT object_id FROM changes WHERE type = 'visit.updated'").all() as Array<{ object_id: string }>;
  assert.deepEqual(changes.map((r) => r.object_id), [String(visit.id)]);
  const verified = await api.as('auditor').call<{ ok: boolean; problems: unknown[] }>('POST', '/audit/verify');
  assert.deepEqual([verified.ok, verified.problems], [true, []], 'the audit chain is intact after the failed appends');
});

test('every write route says how it is audited: the actions it records, or the part that records them', async (t) => {
  const api = await apiStack(t);
  const writes = api.routes.filter((r) => r.method !== 'GET');
  assert.ok(writes.length >= 40, `the write routes are all there (${writes.length})`);
  const undeclared = writes.filter((r) => (r.audits === undefined) === (r.auditedBy === undefined)).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(undeclared, [], 'a write declares audits or auditedBy');
  const afterTheFact = writes.filter((r) => r.audit !== undefined).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(afterTheFact, [], 'no write has its audit event written after the handler');
  // Writes of patient data record their event themselves, in their transaction.
  const byPath = new Map(writes.map((r) => [`${r.method} ${r.path}`, r.audits]));
  assert.deepEqual(
    ['PATCH /visits/:id', 'POST /visits', 'POST /patients', 'PATCH /patients/:id', 'POST /principals', 'POST /principals/:id/tokens', 'POST /visits/:id/annotations'].map((k) => byPath.get(k)),
    ['visit.update', 'visit.create', 'patient.create', 'patient.update', 'principal.create', 'token.create', 'annotation.create'],
  );
});

test('a write that records no audit event, or one it does not declare, is an error; a declaration that cannot be audited is refused', async (t) => {
  const s = stack(t);
  const principal = { id: 1, name: 'test', role: 'admin' as const, actor: 'principal:1', scopes: [], breakGlass: false };
  const silent = route({
    method: 'POST', path: '/silent', tag: 'test', access: ['admin'], summary: 'changes data, records nothing', audits: 'test.write',
    response: z.object({ id: z.number() }),
    handler: () => s.store.transaction(() => ({ id: s.store.patients.create({ lastName: 'Quiet', externalIds: [] }).id })),
  });
  const stray = route({
    method: 'POST', path: '/stray', tag: 'test', access: ['admin'], summary: 'records an action it does not declare', audits: 'test.write',
    handler: ({ record }) => {
      record({ audit: { action: 'test.other', object: null } });
      return undefined;
    },
  });
  const honest = route({
    method: 'POST', path: '/honest', tag: 'test', access: ['admin'], summary: 'records what it declares', audits: 'test.write',
    handler: ({ record }) => {
      record({ audit: { action: 'test.write', object: null } });
      return undefined;
    },
  });
  const router = new Router<ApiState>({ prefix: '/api/v1' });
  mountRoutes(router, [silent, stray, honest] as RouteSpec[], { store: s.store, audit: s.audit, bus: s.bus });
  const app = new Koa<ApiState>();
  app.silent = true;
  app.use(errorMiddleware(s.captured.logging.logger('api')));
  app.use(async (ctx, next) => {
    ctx.state = { principal, via: 'socket', source: 'local' };
    await next();
  });
  app.use(router.routes());
  const socketPath = `${s.dir}/write-audit.sock`;
  const server = await listenSocket(app, socketPath);
  t.after(() => server.close());
  const client = new CuspClient({ socketPath });

  const message = (res: { body: unknown }) => (res.body as { error: { message: string } }).error.message;
  const quiet = await client.send('POST', '/silent');
  assert.equal(quiet.status, 500, 'a write that recorded nothing is not answered as a success');
  assert.match(message(quiet), /POST \/silent recorded no audit event — it declares test\.write/);
  const strayAnswer = await client.send('POST', '/stray');
  assert.equal(strayAnswer.status, 500);
  assert.match(message(strayAnswer), /POST \/stray recorded the undeclared audit action test\.other/);
  assert.equal((await client.send('POST', '/honest')).status, 204);
  const actions = dbOf(s.store).prepare("SELECT action, actor, source FROM audit_events WHERE action LIKE 'test.%' ORDER BY seq").all();
  assert.deepEqual(actions, [{ action: 'test.other', actor: 'principal:1', source: 'local' }, { action: 'test.write', actor: 'principal:1', source: 'local' }],
    'the caller and address fill the event recorded through input.record');

  const mount = (spec: Partial<RouteSpec>) => () => mountRoutes(new Router<ApiState>(), [{ ...honest, ...spec } as RouteSpec], { store: s.store, audit: s.audit, bus: s.bus });
  assert.throws(mount({ audits: undefined }), /POST \/honest: a write declares either the actions it records/);
  assert.throws(mount({ auditedBy: 'someone else' }), /a write declares either/);
  assert.throws(mount({ audit: () => ({ action: 'test.write', object: null }) }), /a write records its audit event through input\.record/);
  assert.throws(mount({ method: 'GET' }), /a read declares its audit event in `audit`/);
});
