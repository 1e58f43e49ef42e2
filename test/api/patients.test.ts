// Patients and visits through the typed client against the real server: create, find,
// change, read with scans; merge an unassigned scan; every bad input a clear 4xx; the
// audit trail names the principal, the pseudonymous patient and the source, never a name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';

type Res = { status: number; body: unknown };

/** The response is the error shape with this status, code and a message matching `pattern`. */
function isError(res: Res, status: number, code: string, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message']);
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
}

function auditRows(api: Awaited<ReturnType<typeof apiStack>>, action: string) {
  return dbOf(api.store).prepare('SELECT actor, object, source, details FROM audit_events WHERE action = ? ORDER BY seq').all(action) as Array<{ actor: string; object: string | null; source: string; details: string }>;
}

test('patients: create, read, find by external id and by name (case and accents ignored), change; audit names only pseudonymous ids', async (t) => {
  const api = await apiStack(t);
  const client = api.as('clinician');
  const clinician = `principal:${api.store.principals.getByName('test-clinician')!.id}`;

  const mueller = await client.createPatient({ lastName: 'Müller', firstName: 'Jürgen', birthDate: '1971-04-09', externalIds: [{ system: 'pms', value: '4711' }] });
  assert.match(mueller.id, /^p_[a-z2-7]{16}$/);
  assert.deepEqual([mueller.lastName, mueller.firstName, mueller.birthDate], ['Müller', 'Jürgen', '1971-04-09']);
  await client.createPatient({ lastName: 'Mulder', firstName: 'Fox' });
  await client.createPatient({ lastName: 'Smith', firstName: 'Anna', externalIds: [{ system: 'itero-order', value: 'A-1' }] });

  assert.deepEqual((await client.searchPatients({ externalId: 'pms:4711' })).patients.map((p) => p.id), [mueller.id]);
  assert.deepEqual((await client.searchPatients({ externalId: 'pms:4712' })).patients, []);
  assert.deepEqual((await client.searchPatients({ name: 'MULLER' })).patients.map((p) => p.lastName), ['Müller'], 'accents and case are ignored');
  assert.deepEqual((await client.searchPatients({ name: 'mul' })).patients.map((p) => p.lastName), ['Mulder', 'Müller'], 'name order');
  assert.deepEqual((await client.searchPatients({ name: 'mü jür' })).patients.map((p) => p.id), [mueller.id], 'every word starts the last or first name');
  assert.deepEqual((await client.searchPatients({ name: '100%' })).patients, [], 'LIKE wildcards are literal');

  const first = await client.searchPatients({ limit: 2 });
  assert.deepEqual(first.patients.map((p) => p.lastName), ['Mulder', 'Müller']);
  assert.ok(first.next);
  const second = await client.searchPatients({ limit: 2, cursor: first.next! });
  assert.deepEqual(second.patients.map((p) => p.lastName), ['Smith']);
  assert.equal(second.next, null);

  const changed = await client.updatePatient(mueller.id, { firstName: null, externalIds: [{ system: 'pms', value: '4711' }, { system: 'lab', value: 'L-9' }] });
  assert.equal(changed.firstName, null);
  assert.equal(changed.lastName, 'Müller', 'fields not given stay');
  assert.deepEqual(changed.externalIds, [{ system: 'lab', value: 'L-9' }, { system: 'pms', value: '4711' }]);
  const detail = await client.getPatient(mueller.id);
  assert.deepEqual(detail.scans, { count: 0, byJaw: {}, firstReceivedAt: null, lastReceivedAt: null, latest: [] });

  const created = auditRows(api, 'patient.create');
  assert.equal(created.length, 3);
  assert.deepEqual({ ...created[0], details: undefined }, { actor: clinician, object: `patient:${mueller.id}`, source: '127.0.0.1', details: undefined });
  const read = auditRows(api, 'patient.read');
  assert.deepEqual(read.map((r) => [r.actor, r.object, r.source]), [[clinician, `patient:${mueller.id}`, '127.0.0.1']]);
  const searches = auditRows(api, 'patient.search');
  assert.equal(searches.length, 8);
  assert.deepEqual(JSON.parse(searches[0].details), { by: 'externalId', patients: [mueller.id] });
  assert.deepEqual(JSON.parse(auditRows(api, 'patient.update')[0].details), { fields: ['firstName', 'externalIds'] });
  const everything = JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all()) + JSON.stringify(dbOf(api.store).prepare('SELECT * FROM changes').all());
  // Pseudonymous ids and chain hashes are random letters and hex digits; they may spell "mul" or "1971" by chance.
  const words = everything.replace(/\bp_[a-z0-9]+\b/g, 'p_ID').replace(/\b[0-9a-f]{64}\b/g, 'HASH');
  assert.doesNotMatch(words, /Müller|Mulder|Jürgen|Smith|1971|mul/i, 'no name, birth date or search word in the audit trail or change feed');
  assert.equal(api.verify().ok, true);
});

test('patients: an external id names one person — a second claim is a 409 on create and on change', async (t) => {
  const api = await apiStack(t);
  const client = api.as('integration');
  const a = await client.createPatient({ lastName: 'A', externalIds: [{ system: 'pms', value: '1' }] });
  const b = await client.createPatient({ lastName: 'B', externalIds: [{ system: 'pms', value: '2' }] });
  await assert.rejects(client.createPatient({ lastName: 'C', externalIds: [{ system: 'pms', value: '1' }] }),
    (e: ApiError) => e.status === 409 && e.code === 'conflict' && e.message.includes(`belongs to patient ${a.id}`));
  await assert.rejects(client.updatePatient(b.id, { externalIds: [{ system: 'pms', value: '1' }] }), (e: ApiError) => e.status === 409);
  assert.deepEqual((await client.getPatient(b.id)).externalIds, [{ system: 'pms', value: '2' }], 'a refused change leaves the patient as it was');
  assert.equal((await client.searchPatients({})).patients.length, 2);
});

test('patients: bad input is a clear 4xx — bad JSON, wrong types, unknown fields, huge bodies, bad dates, ids and cursors', async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  const json = (text: string) => ({ raw: { bytes: Buffer.from(text), contentType: 'application/json' } });
  isError(await c.send('POST', '/patients', json('{"lastName": ')), 400, 'bad_request', /not valid JSON/);
  isError(await c.send('POST', '/patients', { body: { lastName: 5 } }), 400, 'invalid_input', /body\.lastName/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X', ssn: '123' } }), 400, 'invalid_input', /unknown field ssn/);
  isError(await c.send('POST', '/patients', { body: {} }), 400, 'invalid_input', /at least lastName or one externalId/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X', birthDate: '1980-02-30' } }), 400, 'invalid_input', /body\.birthDate: must be a date like/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X', birthDate: '2999-01-01' } }), 400, 'invalid_input', /between 1900 and today/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X\u0000Y' } }), 400, 'invalid_input', /control characters/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X', externalIds: [{ system: 'p ms', value: '1' }] } }), 400, 'invalid_input', /body\.externalIds\.0\.system/);
  isError(await c.send('POST', '/patients', { body: { lastName: 'X', externalIds: [{ system: 'pms', value: '1' }, { system: 'pms', value: '1' }] } }), 400, 'invalid_input', /same external id twice/);
  isError(await c.send('POST', '/patients', json(JSON.stringify({ lastName: 'x'.repeat(2 * 1024 * 1024) }))), 413, 'payload_too_large', /larger than 1mb/);
  isError(await c.send('POST', '/patients', { raw: { bytes: Buffer.from('lastName=X'), contentType: 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type', /application\/json/);

  const p = await c.createPatient({ lastName: 'Valid' });
  isError(await c.send('PATCH', `/patients/${p.id}`, { body: {} }), 400, 'invalid_input', /nothing to change/);
  isError(await c.send('PATCH', `/patients/${p.id}`, { body: { lastName: ['a'] } }), 400, 'invalid_input', /body\.lastName/);
  isError(await c.send('GET', '/patients/..%2F..%2Fetc'), 400, 'invalid_input', /path\.id: must be a patient id/);
  isError(await c.send('GET', '/patients/p_aaaaaaaaaaaaaaaa'), 404, 'not_found', /no patient p_aaaaaaaaaaaaaaaa/);
  isError(await c.send('GET', '/patients', { query: { cursor: 'bm9wZQ' } }), 400, 'invalid_input', /not a cursor this API gave out/);
  isError(await c.send('GET', '/patients', { query: { externalId: '4711' } }), 400, 'invalid_input', /system:value/);
  isError(await c.send('GET', '/patients', { query: { limit: 'many' } }), 400, 'invalid_input', /query\.limit/);
  isError(await c.send('GET', '/patients', { query: { sort: 'name' } }), 400, 'invalid_input', /unknown field sort/);
  isError(await api.as('auditor').send('GET', '/patients'), 403, 'forbidden', /auditor role may not/);
  isError(await api.as(null).send('GET', `/patients/${p.id}`), 401, 'unauthorized', /needs a token/);
});

test('an unassigned scan is merged into a patient: visit made, change record, audit; a scan of another patient is a 409', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'scan.stl', actor: 'system', source: 'import' });
  assert.equal(scan.patientId, null, 'nothing in the name says whose scan it is');
  assert.deepEqual((await c.listScans({ unassigned: true })).scans.map((x) => x.uid), [scan.uid]);
  const p = await c.createPatient({ lastName: 'Doe', firstName: 'Jane' });
  const other = await c.createPatient({ lastName: 'Roe' });

  const assigned = await c.assignScan(scan.uid, { patient: p.id, jaw: 'upper', capturedAt: '2026-11-20' });
  assert.deepEqual([assigned.patient, assigned.jaw, assigned.capturedAt], [p.id, 'upper', '2026-11-20']);
  assert.deepEqual((await c.listScans({ unassigned: true })).scans, []);
  const again = await c.assignScan(scan.uid, { patient: p.id });
  assert.equal(again.patient, p.id, 'assigning to the same patient again is harmless');
  await assert.rejects(c.assignScan(scan.uid, { patient: other.id }),
    (e: ApiError) => e.status === 409 && /belongs to patient p_[a-z2-7]{16} — if it was filed under the wrong patient, send "move": true/.test(e.message));
  await assert.rejects(c.assignScan(scan.uid, { patient: 'p_aaaaaaaaaaaaaaaa' }), (e: ApiError) => e.status === 404);
  isError(await c.send('PUT', `/scans/${scan.uid}/patient`, { body: { patient: p.id, jaw: 'left' } }), 400, 'invalid_input', /body\.jaw/);

  const detail = await c.getPatient(p.id);
  assert.equal(detail.scans.count, 1);
  assert.deepEqual(detail.scans.byJaw, { upper: 1 });
  assert.deepEqual(detail.scans.latest.map((x) => x.uid), [scan.uid]);
  assert.deepEqual(detail.visits.map((v) => [v.date, v.scans]), [['2026-11-20', 1]]);
  const { visits } = await c.patientVisits(p.id);
  const visit = await c.getVisit(visits[0].id);
  assert.deepEqual([visit.patient, visit.date, visit.scans.map((x) => x.uid)], [p.id, '2026-11-20', [scan.uid]]);
  await assert.rejects(c.getVisit(999999), (e: ApiError) => e.status === 404 && /no visit 999999/.test(e.message));
  isError(await c.send('GET', '/visits/abc'), 400, 'invalid_input', /path\.id: must be a visit id/);

  const change = dbOf(api.store).prepare("SELECT object_id, data FROM changes WHERE type = 'scan.assigned'").all() as Array<{ object_id: string; data: string }>;
  assert.equal(change.length, 2);
  assert.equal(change[0].object_id, scan.uid);
  assert.equal(JSON.parse(change[0].data).patient, p.id);
  const clinician = `principal:${api.store.principals.getByName('test-clinician')!.id}`;
  assert.deepEqual(auditRows(api, 'scan.assign').map((r) => [r.actor, r.object, r.source, JSON.parse(r.details).patient]),
    [[clinician, `scan:${scan.uid}`, '127.0.0.1', p.id], [clinician, `scan:${scan.uid}`, '127.0.0.1', p.id]]);
  assert.deepEqual(auditRows(api, 'visit.read').map((r) => [r.actor, r.object, JSON.parse(r.details).patient]), [[clinician, `visit:${visits[0].id}`, p.id]]);
  assert.equal(auditRows(api, 'visit.list')[0].object, `patient:${p.id}`);
});
