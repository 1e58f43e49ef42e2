// Tags and notes on scans and visits through the typed client: the aligner check-in scores
// are validated, the author is the caller, only the author or an admin deletes, and every
// read and write is in the audit trail under the principal with the pseudonymous object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';

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

test('check-in tags take a score 0–5 or ok|watch|act; free tags and notes are kept with author and time', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { api, scan, visit } = await withScanAndVisit(t);
  const c = api.as('clinician');
  const clinicianId = api.store.principals.getByName('test-clinician')!.id;

  const tracking = await c.addAnnotation({ visit: visit.id }, { tag: 'tracking', value: 4 });
  assert.deepEqual([tracking.tag, tracking.value, tracking.visit, tracking.scan], ['tracking', '4', visit.id, null]);
  assert.deepEqual(tracking.author, { id: clinicianId, name: 'test-clinician' });
  assert.ok(Date.now() - Date.parse(tracking.createdAt) < 60_000);
  const fit = await c.addAnnotation({ visit: visit.id }, { tag: 'Fit', value: 'WATCH', note: 'upper left aligner lifts at 24' });
  assert.deepEqual([fit.tag, fit.value, fit.note], ['fit', 'watch', 'upper left aligner lifts at 24']);
  await c.addAnnotation({ visit: visit.id }, { tag: 'hygiene', value: '0' });
  const free = await c.addAnnotation({ scan: scan.uid }, { tag: 'attachment lost', note: 'tooth 24\nre-bond next visit' });
  assert.deepEqual([free.scan, free.value, free.note], [scan.uid, null, 'tooth 24\nre-bond next visit']);

  assert.deepEqual((await c.listAnnotations({ visit: visit.id })).map((a) => `${a.tag}=${a.value}`), ['tracking=4', 'fit=watch', 'hygiene=0']);
  assert.deepEqual((await c.listAnnotations({ scan: scan.uid })).map((a) => a.tag), ['attachment lost']);
  assert.deepEqual((await c.getVisit(visit.id)).annotations.map((a) => a.tag), ['tracking', 'fit', 'hygiene'], 'a visit shows its check-in');

  const bad = (on: string, body: unknown) => c.send('POST', `${on}/annotations`, { body });
  const v = `/visits/${visit.id}`;
  isError(await bad(v, { tag: 'tracking', value: 7 }), 400, 'invalid_input', /body\.value: tracking needs a score: a whole number 0 to 5, or ok, watch or act/);
  isError(await bad(v, { tag: 'fit', value: 2.5 }), 400, 'invalid_input', /fit needs a score/);
  isError(await bad(v, { tag: 'hygiene', value: 'great' }), 400, 'invalid_input', /hygiene needs a score/);
  isError(await bad(v, { tag: 'tracking' }), 400, 'invalid_input', /tracking needs a score/);
  isError(await bad(v, { tag: '../../etc/passwd' }), 400, 'invalid_input', /body\.tag: must be 1 to 64 letters/);
  isError(await bad(v, { tag: '' }), 400, 'invalid_input', /body\.tag/);
  isError(await bad(v, { tag: 'x'.repeat(65) }), 400, 'invalid_input', /body\.tag/);
  isError(await bad(v, { tag: 'note', note: 'a\u0000b' }), 400, 'invalid_input', /body\.note: must not contain control characters/);
  isError(await bad(v, { tag: 'note', value: true }), 400, 'invalid_input', /body\.value/);
  isError(await bad(v, { tag: 'fit', value: 'ok', author: 'someone else' }), 400, 'invalid_input', /unknown field author/);
  isError(await c.send('POST', `${v}/annotations`, { raw: { bytes: Buffer.from('{"tag":'), contentType: 'application/json' } }), 400, 'bad_request', /not valid JSON/);
  isError(await bad('/visits/999999', { tag: 'fit', value: 'ok' }), 404, 'not_found', /no visit 999999/);
  isError(await bad('/scans/6f1c2d0e-0000-4000-8000-000000000000', { tag: 'x' }), 404, 'not_found', /no scan/);
  isError(await bad('/scans/not-a-uid', { tag: 'x' }), 400, 'invalid_input', /path\.uid: must be a scan uid/);
  assert.equal((await c.listAnnotations({ visit: visit.id })).length, 3, 'nothing stored by a refused request');

  const rows = api.store.db.prepare("SELECT actor, action, object, source FROM audit_events WHERE action LIKE 'annotation.%' ORDER BY seq").all();
  assert.deepEqual(rows.slice(0, 4).map((r) => (r as { object: string }).object), [`visit:${visit.id}`, `visit:${visit.id}`, `visit:${visit.id}`, `scan:${scan.uid}`]);
  for (const r of rows as Array<{ actor: string; source: string }>) assert.deepEqual([r.actor, r.source], [`principal:${clinicianId}`, '127.0.0.1']);
  assert.deepEqual(rows.map((r) => (r as { action: string }).action).filter((a) => a === 'annotation.list').length, 3);
  assert.doesNotMatch(JSON.stringify(api.store.db.prepare('SELECT * FROM audit_events').all()), /Doe|Jane|lifts|re-bond/, 'notes and names stay out of the audit trail');
});

test('only the author or an admin may delete an annotation', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const { api, scan } = await withScanAndVisit(t);
  const colleague = api.store.principals.create('colleague', 'clinician', 'user');
  const other = new CuspClient({ url: api.url, ca: api.ca, token: api.store.principals.issueToken(colleague.id, 't', { ttlDays: 1 }).token });
  const c = api.as('clinician');
  const mine = await c.addAnnotation({ scan: scan.uid }, { tag: 'retake', note: 'distal of 17 missing' });
  const second = await c.addAnnotation({ scan: scan.uid }, { tag: 'ok' });
  await assert.rejects(other.deleteAnnotation(mine.id), (e: ApiError) => e.status === 403 && /only the author of annotation \d+ or an admin/.test(e.message));
  assert.equal((await c.deleteAnnotation(mine.id)).id, mine.id);
  await assert.rejects(c.deleteAnnotation(mine.id), (e: ApiError) => e.status === 404 && /no annotation/.test(e.message));
  assert.equal((await api.as('admin').deleteAnnotation(second.id)).tag, 'ok');
  assert.deepEqual(await c.listAnnotations({ scan: scan.uid }), []);
  isError(await c.send('DELETE', '/annotations/abc'), 400, 'invalid_input', /path\.id: must be an annotation id/);
  const deleted = api.store.db.prepare("SELECT actor, object FROM audit_events WHERE action = 'annotation.delete' ORDER BY seq").all();
  const admin = api.store.principals.getByName('test-admin')!.id;
  assert.deepEqual(deleted, [
    { actor: `principal:${api.store.principals.getByName('test-clinician')!.id}`, object: `scan:${scan.uid}` },
    { actor: `principal:${admin}`, object: `scan:${scan.uid}` },
  ]);
  const changes = api.store.db.prepare("SELECT type FROM changes WHERE type LIKE 'annotation.%' ORDER BY seq").all().map((r) => (r as { type: string }).type);
  assert.deepEqual(changes, ['annotation.created', 'annotation.created', 'annotation.deleted', 'annotation.deleted']);
});
