// Tags and notes on scans and visits through the typed client: the aligner check-in
// vocabulary is validated and published, the author is the caller, only the author or an admin deletes, and every
// read and write is in the audit trail under the principal with the pseudonymous object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';

function isError(res: { status: number; body: unknown }, status: number, code: string, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as { error: { code: string; message: string } };
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
}

async function withScanAndVisit(t: Parameters<typeof apiStack>[0]) {
  const api = await apiStack(t);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'Doe_Jane_2026-11-20_upper.stl', actor: 'system', source: 'import' });
  const visit = api.store.visits.get(scan.visitId!)!;
  return { api, scan, visit };
}

test('the check-in vocabulary: tracking, fit, hygiene 1–3, details, actions, a note alone; kept with author and time', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { api, scan, visit } = await withScanAndVisit(t);
  const c = api.as('clinician');
  const clinicianId = api.store.principals.getByName('test-clinician')!.id;

  const tracking = await c.addAnnotation({ visit: visit.id }, { tag: 'tracking', value: 'good' });
  assert.deepEqual([tracking.tag, tracking.value, tracking.visit, tracking.scan], ['tracking', 'good', visit.id, null]);
  assert.deepEqual(tracking.author, { id: clinicianId, name: 'test-clinician' });
  assert.ok(Date.now() - Date.parse(tracking.createdAt) < 60_000);
  const fit = await c.addAnnotation({ visit: visit.id }, { tag: 'Fit', value: 'PARTIAL', note: 'upper left aligner lifts at 24' });
  assert.deepEqual([fit.tag, fit.value, fit.note], ['fit', 'partial', 'upper left aligner lifts at 24']);
  await c.addAnnotation({ visit: visit.id }, { tag: 'hygiene', value: '2' });
  await c.addAnnotation({ visit: visit.id }, { tag: 'fit', value: 'none' });
  const detail = await c.addAnnotation({ scan: scan.uid }, { tag: 'detail', value: 'attachment-lost', note: 'tooth 24\nre-bond next visit' });
  assert.deepEqual([detail.scan, detail.value, detail.note], [scan.uid, 'attachment-lost', 'tooth 24\nre-bond next visit']);
  await c.addAnnotation({ visit: visit.id }, { tag: 'action', value: 'rebond-attachment' });
  const alone = await c.call<{ tag: string; value: string | null; note: string }>('POST', `/visits/${visit.id}/annotations`, { body: { note: 'patient asks about whitening' } });
  assert.deepEqual([alone.tag, alone.value, alone.note], ['note', null, 'patient asks about whitening'], 'a note stands alone');

  assert.deepEqual((await c.listAnnotations({ visit: visit.id })).map((a) => `${a.tag}=${a.value}`),
    ['tracking=good', 'fit=partial', 'hygiene=2', 'fit=none', 'action=rebond-attachment', 'note=null']);
  assert.deepEqual((await c.listAnnotations({ scan: scan.uid })).map((a) => a.tag), ['detail']);
  assert.deepEqual((await c.getVisit(visit.id)).annotations.map((a) => a.tag), ['tracking', 'fit', 'hygiene', 'fit', 'action', 'note'], 'a visit shows its check-in');

  const bad = (on: string, body: unknown) => c.send('POST', `${on}/annotations`, { body });
  const v = `/visits/${visit.id}`;
  isError(await bad(v, { tag: 'tracking', value: 4 }), 400, 'invalid_input', /body\.value: tracking is one of good, fair, poor/);
  isError(await bad(v, { tag: 'fit', value: 'watch' }), 400, 'invalid_input', /fit is one of good, partial, poor, none/);
  isError(await bad(v, { tag: 'hygiene', value: 0 }), 400, 'invalid_input', /hygiene is 1 \(good\), 2 \(fair\) or 3 \(poor\)/);
  isError(await bad(v, { tag: 'hygiene', value: 2.5 }), 400, 'invalid_input', /hygiene is 1/);
  isError(await bad(v, { tag: 'hygiene', value: 'great' }), 400, 'invalid_input', /hygiene is 1/);
  isError(await bad(v, { tag: 'tracking' }), 400, 'invalid_input', /tracking is one of/);
  isError(await bad(v, { tag: 'detail', value: 'feels odd' }), 400, 'invalid_input', /detail is one of attachment-lost/);
  isError(await bad(v, { tag: 'action', value: 'pray' }), 400, 'invalid_input', /action is one of continue/);
  isError(await bad(v, { tag: 'note' }), 400, 'invalid_input', /body\.note/);
  isError(await bad(v, { tag: 'note', note: 'x', value: 'y' }), 400, 'invalid_input', /unknown field value/);
  isError(await bad(v, { tag: '../../etc/passwd' }), 400, 'invalid_input', /tag must be one of tracking, fit, hygiene, detail, action, note/);
  isError(await bad(v, { tag: 'attachment lost' }), 400, 'invalid_input', /tag must be one of/);
  isError(await bad(v, {}), 400, 'invalid_input', /tag must be one of/);
  isError(await bad(v, { tag: 'note', note: 'a\u0000b' }), 400, 'invalid_input', /body\.note: must not contain control characters/);
  isError(await bad(v, { tag: 'fit', value: true }), 400, 'invalid_input', /body\.value/);
  isError(await bad(v, { tag: 'fit', value: 'good', author: 'someone else' }), 400, 'invalid_input', /unknown field author/);
  isError(await c.send('POST', `${v}/annotations`, { raw: { bytes: Buffer.from('{"tag":'), contentType: 'application/json' } }), 400, 'bad_request', /not valid JSON/);
  isError(await bad('/visits/999999', { tag: 'fit', value: 'good' }), 404, 'not_found', /no visit 999999/);
  isError(await bad('/scans/6f1c2d0e-0000-4000-8000-000000000000', { note: 'x' }), 404, 'not_found', /no scan/);
  isError(await bad('/scans/not-a-uid', { note: 'x' }), 400, 'invalid_input', /path\.uid: must be a scan uid/);
  assert.equal((await c.listAnnotations({ visit: visit.id })).length, 6, 'nothing stored by a refused request');

  const rows = dbOf(api.store).prepare("SELECT actor, action, object, source FROM audit_events WHERE action LIKE 'annotation.%' ORDER BY seq").all();
  assert.deepEqual(rows.slice(0, 5).map((r) => (r as { object: string }).object), [`visit:${visit.id}`, `visit:${visit.id}`, `visit:${visit.id}`, `visit:${visit.id}`, `scan:${scan.uid}`]);
  for (const r of rows as Array<{ actor: string; source: string }>) assert.deepEqual([r.actor, r.source], [`principal:${clinicianId}`, '127.0.0.1']);
  assert.deepEqual(rows.map((r) => (r as { action: string }).action).filter((a) => a === 'annotation.list').length, 3);
  assert.doesNotMatch(JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all()), /Doe|Jane|lifts|re-bond|whitening/, 'notes and names stay out of the audit trail');
});

test('a tag is edited by its author or an admin: value and note change, the vocabulary still holds, audit and change', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { api, visit } = await withScanAndVisit(t);
  const c = api.as('clinician');
  const colleague = api.store.principals.create('colleague', 'clinician', 'user');
  const other = new CuspClient({ url: api.url, ca: api.ca, token: api.store.principals.issueToken(colleague.id, 't', { ttlDays: 1 }).token });
  const fit = await c.addAnnotation({ visit: visit.id }, { tag: 'fit', value: 'good' });
  assert.equal(fit.updatedAt, null);
  type Dto = { value: string | null; note: string | null; tag: string; updatedAt: string | null };
  const edited = await c.call<Dto>('PATCH', `/annotations/${fit.id}`, { body: { value: 'Poor', note: 'lifts at 24' } });
  assert.deepEqual([edited.tag, edited.value, edited.note], ['fit', 'poor', 'lifts at 24']);
  assert.ok(edited.updatedAt);
  const cleared = await c.call<Dto>('PATCH', `/annotations/${fit.id}`, { body: { note: null } });
  assert.deepEqual([cleared.value, cleared.note], ['poor', null]);
  const hygiene = await c.addAnnotation({ visit: visit.id }, { tag: 'hygiene', value: 1 });
  assert.equal((await c.call<Dto>('PATCH', `/annotations/${hygiene.id}`, { body: { note: 'better' } })).value, '1', 'a stored hygiene score passes the check again');
  isError(await c.send('PATCH', `/annotations/${fit.id}`, { body: { value: 'perfect' } }), 400, 'invalid_input', /fit is one of good, partial, poor, none/);
  isError(await c.send('PATCH', `/annotations/${fit.id}`, { body: {} }), 400, 'invalid_input', /nothing to change/);
  isError(await c.send('PATCH', `/annotations/${fit.id}`, { body: { tag: 'tracking' } }), 400, 'invalid_input', /unknown field tag/);
  const lone = await c.call<{ id: number }>('POST', `/visits/${visit.id}/annotations`, { body: { note: 'call back' } });
  isError(await c.send('PATCH', `/annotations/${lone.id}`, { body: { note: null } }), 400, 'invalid_input', /body\.note/);
  isError(await other.send('PATCH', `/annotations/${fit.id}`, { body: { value: 'good' } }), 403, 'forbidden', /only the author of annotation \d+ or an admin may edit it/);
  assert.equal((await api.as('admin').call<Dto>('PATCH', `/annotations/${fit.id}`, { body: { value: 'partial' } })).value, 'partial');
  isError(await c.send('PATCH', '/annotations/999999', { body: { value: 'good' } }), 404, 'not_found', /no annotation 999999/);
  const audit = dbOf(api.store).prepare("SELECT object, details FROM audit_events WHERE action = 'annotation.update' ORDER BY seq").all() as Array<{ object: string; details: string }>;
  assert.deepEqual(audit.map((r) => [r.object, JSON.parse(r.details).fields]), [
    [`visit:${visit.id}`, ['value', 'note']], [`visit:${visit.id}`, ['note']], [`visit:${visit.id}`, ['note']], [`visit:${visit.id}`, ['value']],
  ]);
  assert.doesNotMatch(JSON.stringify(audit), /lifts|better/);
  const changes = dbOf(api.store).prepare("SELECT object_id FROM changes WHERE type = 'annotation.updated'").all().map((r) => (r as { object_id: string }).object_id);
  assert.deepEqual(changes, [fit.id, fit.id, hygiene.id, fit.id].map(String));
});

test('the OpenAPI document publishes the tag vocabulary', async (t) => {
  const api = await apiStack(t);
  const doc = await api.as('clinician').call<{ paths: Record<string, Record<string, { requestBody: { content: { 'application/json': { schema: { $ref?: string } } } } }>>; components: { schemas: Record<string, unknown> } }>('GET', '/openapi.json');
  const schema = doc.paths['/api/v1/visits/{id}/annotations'].post.requestBody.content['application/json'].schema;
  // The body is a named component (the scan's annotations take it too): read it there.
  const body = JSON.stringify(schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);
  for (const word of ['"tracking"', '"fit"', '"hygiene"', '"detail"', '"action"', '"note"', '"partial"', '"none"', '"attachment-lost"', '"rebond-attachment"', '"minimum":1', '"maximum":3']) {
    assert.ok(body.includes(word), `${word} in ${body.slice(0, 400)}`);
  }
});

test('only the author or an admin may delete an annotation', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { api, scan } = await withScanAndVisit(t);
  const colleague = api.store.principals.create('colleague', 'clinician', 'user');
  const other = new CuspClient({ url: api.url, ca: api.ca, token: api.store.principals.issueToken(colleague.id, 't', { ttlDays: 1 }).token });
  const c = api.as('clinician');
  const mine = await c.addAnnotation({ scan: scan.uid }, { tag: 'action', value: 'rescan', note: 'distal of 17 missing' });
  const second = await c.addAnnotation({ scan: scan.uid }, { tag: 'tracking', value: 'good' });
  await assert.rejects(other.deleteAnnotation(mine.id), (e: ApiError) => e.status === 403 && /only the author of annotation \d+ or an admin/.test(e.message));
  assert.equal((await c.deleteAnnotation(mine.id)).id, mine.id);
  await assert.rejects(c.deleteAnnotation(mine.id), (e: ApiError) => e.status === 404 && /no annotation/.test(e.message));
  assert.equal((await api.as('admin').deleteAnnotation(second.id)).tag, 'tracking');
  assert.deepEqual(await c.listAnnotations({ scan: scan.uid }), []);
  isError(await c.send('DELETE', '/annotations/abc'), 400, 'invalid_input', /path\.id: must be an annotation id/);
  const deleted = dbOf(api.store).prepare("SELECT actor, object FROM audit_events WHERE action = 'annotation.delete' ORDER BY seq").all();
  const admin = api.store.principals.getByName('test-admin')!.id;
  assert.deepEqual(deleted, [
    { actor: `principal:${api.store.principals.getByName('test-clinician')!.id}`, object: `scan:${scan.uid}` },
    { actor: `principal:${admin}`, object: `scan:${scan.uid}` },
  ]);
  const changes = dbOf(api.store).prepare("SELECT type FROM changes WHERE type LIKE 'annotation.%' ORDER BY seq").all().map((r) => (r as { type: string }).type);
  assert.deepEqual(changes, ['annotation.created', 'annotation.created', 'annotation.deleted', 'annotation.deleted']);
});
