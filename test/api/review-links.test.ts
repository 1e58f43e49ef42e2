// Signed review links through the real Koa app over TLS on the real store: a link made for
// a patient, a visit or a scan opens a session acting as its maker and limited to that one
// patient; forged, expired and voided links answer a plain page; every use is audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbOf } from '../helpers/db.js';
import { readReviewLink, signReviewLink } from '../../src/security/review-links.js';
import { linkSecret } from '../../src/security/signed-links.js';
import { apiStack } from '../helpers/api.js';
import { Browser } from '../helpers/browser.js';
import { corpusBytes } from '../helpers/corpus.js';

type Api = Awaited<ReturnType<typeof apiStack>>;

function events(api: Api, action: string) {
  return dbOf(api.store).prepare('SELECT actor, object, outcome, details FROM audit_events WHERE action = ? ORDER BY seq').all(action) as
    Array<{ actor: string; object: string | null; outcome: string; details: string }>;
}

/** Two patients, each with a visit holding one scan (taken in through the real ingest service). */
async function twoPatients(api: Api) {
  const make = async (lastName: string, ext: string, stl: string) => {
    const patient = api.store.patients.create({ lastName, externalIds: [{ system: 'pms', value: ext }] });
    const visit = api.store.visits.create(patient.id, '2026-11-20');
    const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(stl), name: `${lastName}_upper.stl`, actor: 'system', source: 'import' });
    api.store.scans.assign(scan.id, { patientId: patient.id, visitId: visit.id, jaw: 'upper', capturedAt: null });
    return { id: patient.id, pseudo: patient.pseudoId, visit: visit.id, scan: scan.uid };
  };
  return { mine: await make('Lindqvist', '4711', 'stl/7_8ths_cube.stl'), other: await make('Oyelaran', '4712', 'stl/admesh_block_fill-holes-bad.stl') };
}

async function makeLink(api: Api, body: Record<string, unknown>) {
  const res = await api.as('clinician').send('POST', '/review-links', { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { url: string; expiresAt: string; patient: string; target: string };
}

/** Open a link as a browser would (the path of its URL, on the test server). */
async function open(api: Api, url: string, browser = new Browser(api.url, api.ca)) {
  const res = await browser.send('GET', new URL(url).pathname, { headers: { Accept: 'text/html' } });
  return { browser, res };
}

test('a patient link opens a session acting as its maker, limited to that patient: another patient is 403 outside_link', async (t) => {
  const api = await apiStack(t);
  const { mine, other } = await twoPatients(api);
  const link = await makeLink(api, { patientId: mine.pseudo });
  assert.match(link.url, new RegExp(`^https://127\\.0\\.0\\.1:${api.port}/review/l/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`), 'the address the request reached');
  const minutes = (Date.parse(link.expiresAt) - Date.now()) / 60_000;
  assert.ok(minutes > 58 && minutes <= 60, `default 60 minutes, got ${minutes}`);
  assert.equal(link.target, `patient:${mine.pseudo}`);
  assert.ok(!link.url.includes('Lindqvist') && !link.url.includes('4711'), 'no name or practice number in the URL');

  const { browser, res } = await open(api, link.url);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/review/patients/${mine.pseudo}`);
  assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.match(res.headers['set-cookie']![0], /^cusp_session=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/$/);

  const clinician = api.store.principals.getByName('test-clinician')!;
  const me = await browser.api('GET', '/session');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.principal, { id: clinician.id, name: 'test-clinician', role: 'clinician' });
  assert.equal(me.body.limitedTo, mine.pseudo);

  assert.equal((await browser.api('GET', `/patients/${mine.pseudo}`)).status, 200);
  assert.equal((await browser.api('GET', `/patients/${mine.pseudo}/visits`)).status, 200);
  assert.equal((await browser.api('GET', `/scans/${mine.scan}`)).status, 200);
  assert.equal((await browser.api('GET', `/visits/${mine.visit}`)).status, 200);
  const scans = await browser.api('GET', `/scans?patient=${mine.pseudo}`);
  assert.equal(scans.status, 200);
  assert.deepEqual(scans.body.scans.map((x: { uid: string }) => x.uid), [mine.scan]);
  const note = await browser.api('POST', `/scans/${mine.scan}/annotations`, { body: { tag: 'note', note: 'margin looks fine' } });
  assert.equal(note.status, 201, note.text);

  for (const [method, path] of [
    ['GET', `/patients/${other.pseudo}`], ['GET', `/scans/${other.scan}`], ['GET', `/visits/${other.visit}`], ['GET', `/visits/${other.visit}/annotations`],
    ['GET', '/patients?externalId=pms:4712'], ['GET', '/scans'], ['GET', `/scans?patient=${other.pseudo}`], ['GET', '/review'], ['GET', '/changes'],
    ['GET', `/PATIENTS/${other.pseudo}`], ['GET', `/patients/${other.pseudo}/`], ['PUT', `/scans/${mine.scan}/patient`], ['POST', `/patients/${mine.pseudo}/merge`],
  ] as const) {
    const res = await browser.send(method, `/api/v1${path}`, { csrf: method !== 'GET', ...(method === 'GET' ? {} : { body: {} }) });
    assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
    assert.equal(res.body.error.code, 'outside_link', `${method} ${path}`);
  }
  assert.equal(api.store.scans.getByUid(mine.scan)!.patientId, mine.id, 'nothing was moved');

  const started = events(api, 'session.start');
  assert.equal(started.length, 1);
  assert.equal(started[0].actor, `principal:${clinician.id}`);
  assert.deepEqual(JSON.parse(started[0].details), { via: 'link', token: api.store.principals.tokens(clinician.id)[0].id, patient: mine.pseudo, target: `patient:${mine.pseudo}` });
  assert.deepEqual(events(api, 'patient.read').map((e) => [e.actor, e.object]), [[`principal:${clinician.id}`, `patient:${mine.pseudo}`]], 'views through the link are audited as the API\'s');
  const denied = events(api, 'access.denied').map((e) => JSON.parse(e.details) as { reason: string });
  assert.equal(denied.length, 13);
  assert.ok(denied.every((d) => d.reason === 'outside_link'));
  const created = events(api, 'review.link.create');
  assert.deepEqual(created.map((e) => [e.object, JSON.parse(e.details).target, JSON.parse(e.details).by]), [[`patient:${mine.pseudo}`, `patient:${mine.pseudo}`, 'patientId']]);
  const trail = JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all());
  assert.ok(!trail.includes('Lindqvist') && !trail.includes(browser.cookie!) && !trail.includes(new URL(link.url).pathname.split('.')[1]), 'no name, cookie or link signature in the trail');
  assert.equal(api.verify().ok, true);
});

test('visit, scan and external-id links open their page, limited to the patient; writes there still need the CSRF token', async (t) => {
  const api = await apiStack(t);
  const { mine, other } = await twoPatients(api);

  const scanLink = await makeLink(api, { scanUid: mine.scan, expiresInMinutes: 5 });
  const { browser: b1, res: r1 } = await open(api, scanLink.url);
  assert.equal(r1.status, 303);
  assert.equal(r1.headers.location, `/review/scans/${mine.scan}`);
  assert.equal((await b1.api('GET', `/scans/${mine.scan}`)).status, 200);
  assert.equal((await b1.api('GET', `/patients/${mine.pseudo}`)).status, 200, 'the whole patient, not only the scan');
  assert.equal((await b1.api('GET', `/scans/${other.scan}`)).status, 403);

  const visitLink = await makeLink(api, { visitId: mine.visit });
  const { browser: b2, res: r2 } = await open(api, visitLink.url);
  assert.equal(r2.headers.location, `/review/visits/${mine.visit}`);
  assert.equal((await b2.api('GET', '/session')).body.limitedTo, mine.pseudo, 'the page asks who it is, and gets its CSRF token');
  const unsafe = await b2.api('POST', `/visits/${mine.visit}/review`, { body: { state: 'reviewed' }, csrf: false });
  assert.equal(unsafe.body.error.code, 'csrf_required');
  const reviewed = await b2.api('POST', `/visits/${mine.visit}/review`, { body: { state: 'reviewed' } });
  assert.equal(reviewed.status, 200, reviewed.text);
  assert.equal(api.store.visits.get(mine.visit)!.review.state, 'reviewed');
  assert.equal((await b2.api('POST', `/visits/${other.visit}/review`, { body: { state: 'reviewed' } })).status, 403);
  assert.equal(api.store.visits.get(other.visit)!.review.state, 'pending');

  const extLink = await makeLink(api, { externalId: 'pms:4712' });
  assert.equal(extLink.patient, other.pseudo);
  const { browser: b3, res: r3 } = await open(api, extLink.url);
  assert.equal(r3.headers.location, `/review/patients/${other.pseudo}`);
  assert.equal((await b3.api('GET', `/patients/${mine.pseudo}`)).status, 403);
  const created = events(api, 'review.link.create').map((e) => JSON.parse(e.details) as { by: string; target: string });
  assert.deepEqual(created.map((d) => d.by), ['scanUid', 'visitId', 'externalId']);
  assert.ok(!JSON.stringify(created).includes('4712'), 'the practice number stays out of the trail');
});

test('making a link: bad requests are clear 4xx, and only clinical roles may', async (t) => {
  const api = await apiStack(t);
  const { mine } = await twoPatients(api);
  const post = (body: unknown, role: 'clinician' | 'auditor' = 'clinician') => api.as(role).send('POST', '/review-links', { body });
  const expect = async (body: unknown, status: number, message: RegExp) => {
    const res = await post(body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.match((res.body as { error: { message: string } }).error.message, message);
  };
  await expect({}, 400, /exactly one of patientId, externalId, visitId, scanUid/);
  await expect({ patientId: mine.pseudo, visitId: mine.visit }, 400, /exactly one/);
  await expect({ patientId: mine.pseudo, expiresInMinutes: 1441 }, 400, /at most 1440/);
  await expect({ patientId: mine.pseudo, expiresInMinutes: 0 }, 400, /at least 1/);
  await expect({ externalId: 'pms:9999' }, 404, /no patient has this external id/);
  await expect({ visitId: 999999 }, 404, /no visit 999999/);
  await expect({ patientId: mine.pseudo, extra: 1 }, 400, /unknown field extra/);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes('stl/triangle_with_two_solids.stl'), name: 'loose.stl', actor: 'system', source: 'import' });
  await expect({ scanUid: scan.uid }, 409, /has no patient yet — assign it first/);
  assert.equal((await post({ patientId: mine.pseudo }, 'auditor')).status, 403);
  assert.equal((await post({ patientId: mine.pseudo, expiresInMinutes: 1440 })).status, 201);
});

test('forged and expired links answer a plain page saying so, open no session, and are audited', async (t) => {
  const api = await apiStack(t);
  const { mine } = await twoPatients(api);
  const link = await makeLink(api, { patientId: mine.pseudo });
  const path = new URL(link.url).pathname;
  const signed = path.slice('/review/l/'.length);
  const [payload, sig] = signed.split('.');
  // Another patient's id in the payload, the signature kept: an altered link.
  const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), patient: 'p_aaaaaaaaaaaaaaaa' })).toString('base64url');
  const expired = signReviewLink(linkSecret(api.store.meta), { kind: 'patient', id: mine.pseudo, patient: mine.pseudo, exp: Math.floor(Date.now() / 1000) - 1, by: 'local-admin' });
  const cases: Array<[string, number, RegExp]> = [
    [`${altered}.${sig}`, 403, /not valid: it was altered or cut short, or made by another Cusp server/],
    [`${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, 403, /not valid/],
    [payload, 403, /not valid/],
    ['%ZZ', 403, /not valid/],
    ['', 403, /not valid/],
    [`${signed}/more`, 403, /not valid/],
    [expired, 410, /expired at .* ask for a new link/],
  ];
  for (const [attempt, status, message] of cases) {
    const { browser, res } = await open(api, `${api.url}/review/l/${attempt}`);
    assert.equal(res.status, status, attempt);
    assert.match(res.headers['content-type']!, /^text\/html/);
    assert.match(res.text, message);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(res.headers['set-cookie'], undefined);
    assert.equal(browser.cookie, undefined);
    assert.ok(!/Lindqvist|4711|at .*\.(ts|js):\d+|Error:/.test(res.text), 'no name, no stack');
  }
  const denied = events(api, 'link.denied').map((e) => JSON.parse(e.details) as { reason: string });
  assert.deepEqual(denied.map((d) => d.reason), ['forged', 'forged', 'forged', 'forged', 'forged', 'forged', 'expired']);
  assert.equal(events(api, 'session.start').length, 0);
  assert.throws(() => readReviewLink(Buffer.alloc(32, 7), signed), /not valid/, 'another installation\'s secret does not verify it');

  // The maker's token revoked: the link is void, and so is the session it opened.
  const { browser, res } = await open(api, link.url);
  assert.equal(res.status, 303);
  const clinician = api.store.principals.getByName('test-clinician')!;
  api.store.principals.revokeToken(api.store.principals.tokens(clinician.id)[0].id);
  assert.equal((await browser.api('GET', `/patients/${mine.pseudo}`)).status, 401, 'the session ends with its token');
  const again = await open(api, link.url);
  assert.equal(again.res.status, 403);
  assert.match(again.res.text, /account or token that made it was disabled, revoked or has expired/);
});
