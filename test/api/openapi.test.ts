// The OpenAPI document against the routes it is made from and the answers the real server
// gives: every operation is there with its roles, its named shapes are referenced, the 4xx
// answers the server gives are documented, and redocly's recommended rules find nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { derivedAnswers, openApiDocument } from '../../src/api/openapi.js';
import { route, type RouteSpec } from '../../src/api/route.js';
import type { Role } from '../../src/store/principals.js';
import { apiStack } from '../helpers/api.js';
import { tempDir } from '../helpers/temp.js';

type Json = Record<string, unknown>;
interface Operation {
  'x-roles': string[];
  operationId: string;
  description: string;
  requestBody?: { content: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
  tags: Array<{ name: string; description: string }>;
}

const ROLES: Role[] = ['admin', 'clinician', 'integration', 'auditor'];
const docPath = (r: RouteSpec) => `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
const op = (doc: Document, r: RouteSpec) => doc.paths[docPath(r)]?.[r.method.toLowerCase()];

function fillPath(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => (name === 'uid' ? randomUUID() : /id$/i.test(name) ? '999999' : 'no-such-thing'));
}

/** JSON with every object's keys sorted: equal shapes, equal text. */
function canonical(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(canonical).join(',')}]`;
  if (node && typeof node === 'object') return `{${Object.keys(node).sort().map((k) => `${JSON.stringify(k)}:${canonical((node as Json)[k])}`).join(',')}}`;
  return JSON.stringify(node);
}

/** Every object shape with properties written inline, by its JSON, with where it is. */
function inlineShapes(node: unknown, path: string, out: Map<string, string[]>): Map<string, string[]> {
  if (Array.isArray(node)) node.forEach((n, i) => inlineShapes(n, `${path}/${i}`, out));
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (o.type === 'object' && o.properties) {
      const key = canonical(o);
      out.set(key, [...(out.get(key) ?? []), path]);
    }
    for (const [k, v] of Object.entries(o)) inlineShapes(v, `${path}/${k}`, out);
  }
  return out;
}

/** Every `$ref` in the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

test('the served document is the routes: each operation with its roles and every answer its declaration implies, nothing stale', async (t) => {
  const api = await apiStack(t);
  assert.ok(api.routes.some((r) => r.path === '/openapi.json' && r.access === 'public'), '/openapi.json is a declared route (the role walk covers it)');
  const doc = await api.as(null).call<Document>('GET', '/openapi.json');
  assert.equal(doc.openapi, '3.1.0');
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  assert.equal(operations, api.routes.length, 'one operation per route, none left over from a removed one');
  const ids = new Set<string>();
  for (const r of api.routes) {
    const o = op(doc, r);
    assert.ok(o, `${r.method} ${r.path} is documented`);
    assert.deepEqual(o['x-roles'], r.access === 'public' ? ['public'] : [...r.access]);
    assert.ok(!ids.has(o.operationId), `operationId ${o.operationId} is unique`);
    ids.add(o.operationId);
    for (const status of [...Object.keys(derivedAnswers(r)), ...Object.keys(r.answers ?? {})]) {
      assert.ok(o.responses[status], `${r.method} ${r.path} documents its ${status}`);
    }
    assert.ok(Object.keys(o.responses).some((s) => /^4\d\d$/.test(s)), `${r.method} ${r.path} lists its 4xx answers`);
    if (r.body || r.upload) assert.ok(o.requestBody, `${r.method} ${r.path} documents its request body`);
    if (r.access !== 'public') assert.match(String((o.responses['403'] as Json).description), new RegExp(r.access.join(', ')), 'the 403 names the roles');
  }
  const names = new Set(doc.tags.map((tag) => tag.name));
  for (const r of api.routes) assert.ok(names.has(r.tag), `tag ${r.tag} is described`);
  for (const ref of new Set(refs(doc))) {
    const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
    assert.ok(section && doc.components[section as 'schemas'][name], `${ref} resolves`);
  }
});

test('shapes are named components: the scan is one schema referenced everywhere, and no shape is written out twice', async (t) => {
  const api = await apiStack(t);
  const doc = await api.as(null).call<Document>('GET', '/openapi.json');
  for (const name of ['Scan', 'Patient', 'VisitDetail', 'VisitSummary', 'Job', 'Annotation', 'Image', 'Folder', 'Principal', 'Token', 'AuditEvent', 'Error']) {
    assert.ok(doc.components.schemas[name], `components.schemas.${name}`);
  }
  const scanRefs = refs(doc.paths).filter((r) => r === '#/components/schemas/Scan').length + refs(doc.components.schemas).filter((r) => r === '#/components/schemas/Scan').length;
  assert.ok(scanRefs >= 5, `the scan shape is referenced (${scanRefs} times), not inlined`);
  const list = doc.paths['/api/v1/scans'].get.responses['200'] as { content: { 'application/json': { schema: { properties: { scans: { items: Json } } } } } };
  assert.deepEqual(list.content['application/json'].schema.properties.scans.items, { $ref: '#/components/schemas/Scan' });
  const repeated = [...inlineShapes({ paths: doc.paths, components: doc.components }, '#', new Map())].filter(([, where]) => where.length > 1);
  assert.deepEqual(repeated.map(([, where]) => where), [], 'a shape used more than once is a named component (give its zod schema .meta({ id }))');
});

test('POST /scans documents its raw body and both success answers: 201 stored, 200 a duplicate', async (t) => {
  const api = await apiStack(t);
  const doc = await api.as(null).call<Document>('GET', '/openapi.json');
  const upload = doc.paths['/api/v1/scans'].post;
  assert.deepEqual(Object.keys(upload.requestBody!.content).slice(0, 2), ['application/octet-stream', 'model/*']);
  assert.ok(!('application/json' in upload.requestBody!.content), 'a scan is never sent as JSON');
  assert.ok((upload as unknown as { parameters: Array<{ name: string; in: string }> }).parameters.some((p) => p.name === 'X-Filename' && p.in === 'header'), 'the file name header is documented');
  for (const status of ['201', '200']) assert.deepEqual((upload.responses[status] as { content: Json }).content, { 'application/json': { schema: { $ref: '#/components/schemas/ScanUpload' } } });
  for (const status of ['400', '401', '403', '413', '415', '422', '429', '503']) assert.ok(upload.responses[status], `POST /scans documents ${status}`);
  assert.ok(!upload.responses['404'], 'no path parameter, no 404');
  const res = await api.as('clinician').send('POST', '/scans', { raw: { bytes: new TextEncoder().encode('solid x\nendsolid x\n'), contentType: 'text/html' }, headers: { 'X-Filename': 'x.stl' } });
  assert.equal(res.status, 415, 'the server refuses what the document leaves out');
});

test('every answer the server gives to a bad call is one the document lists for that operation', async (t) => {
  const api = await apiStack(t);
  const doc = await api.as(null).call<Document>('GET', '/openapi.json');
  const undocumented: string[] = [];
  const check = (r: RouteSpec, what: string, status: number) => {
    if (!op(doc, r).responses[String(status)]) undocumented.push(`${r.method} ${r.path} (${what}): ${status}`);
  };
  for (const r of api.routes) {
    const path = fillPath(r.path);
    const caller = r.access === 'public' ? null : r.access[0];
    if (r.access !== 'public') {
      check(r, 'no token', (await api.as(null).send(r.method, path)).status);
      const stranger = ROLES.find((role) => !(r.access as readonly Role[]).includes(role));
      if (stranger) check(r, `as ${stranger}`, (await api.as(stranger).send(r.method, path)).status);
    }
    check(r, 'a revoked token', (await api.as(null).send(r.method, path, { headers: { Authorization: `Bearer cusp_${'B'.repeat(43)}` } })).status);
    if (r.body) {
      check(r, 'an unknown field', (await api.as(caller).send(r.method, path, { body: { noSuchField: 1 } })).status);
      check(r, 'a text body', (await api.as(caller).send(r.method, path, { raw: { bytes: new TextEncoder().encode('hello'), contentType: 'text/plain' } })).status);
    } else if (/:\w+/.test(r.path) && r.method === 'GET' && !r.upload) {
      check(r, 'an unknown id', (await api.as(caller).send(r.method, path)).status);
    }
    if (r.method === 'GET' && !r.body && r.produces !== 'text/event-stream') {
      check(r, 'a body on a GET', (await api.as(caller).send('GET', path, { body: {} })).status);
    }
  }
  assert.deepEqual(undocumented, []);
});

test('a route declared anywhere gets its 4xx answers from its declaration, with what it adds itself', () => {
  const spec = route({
    method: 'POST', path: '/things/:id/share', tag: 'things', access: ['admin', 'clinician'], summary: 'Share a thing',
    params: z.strictObject({ id: z.string() }), body: z.strictObject({ with: z.string() }), bodyLimit: '16kb',
    response: z.object({ shared: z.boolean() }), answers: { 409: 'Shared already' },
    handler: () => ({ shared: true }),
  });
  const doc = openApiDocument([spec], '1.0.0') as unknown as Document;
  const o = doc.paths['/api/v1/things/{id}/share'].post;
  assert.deepEqual(Object.keys(o.responses), ['200', '400', '401', '403', '404', '409', '413', '415', '429', 'default']);
  assert.match(String((o.responses['403'] as Json).description), /not one of admin, clinician/);
  assert.match(String((o.responses['413'] as Json).description), /16kb/);
  assert.deepEqual(doc.tags, [{ name: 'things', description: 'Operations on things' }]);
  const health = route({ method: 'GET', path: '/ping', tag: 'health', access: 'public', summary: 'Ping', handler: () => undefined });
  assert.deepEqual(Object.keys(derivedAnswers(health)), ['400', '401', '429'], 'a public GET: a body sent, a bad token sent, too many failures');
});

test('redocly lint finds nothing in the served document under its recommended rules (warnings count as errors)', async (t) => {
  const api = await apiStack(t);
  const res = await api.as(null).send('GET', '/openapi.json');
  const file = join(tempDir(t), 'openapi.json');
  writeFileSync(file, JSON.stringify(res.body));
  const lint = spawnSync(join(process.cwd(), 'node_modules/.bin/redocly'), ['lint', '--extends=recommended-strict', '--format=json', file], {
    encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
  assert.deepEqual(report.problems.map((p) => `${p.ruleId}: ${p.message}`), []);
  assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  assert.equal(lint.status, 0);
});
