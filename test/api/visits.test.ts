// Visits and review through the real API: the review queue (oldest first, one line per
// visit with patient, jaws, verdicts, largest deviation, photos), review actions (who,
// when, note; audited and in the changes feed), a reviewed visit reopened by a new scan,
// and creating, editing, splitting and moving scans between visits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { hasCorpus } from '../helpers/corpus.js';
import { ingestSettled, variant } from '../helpers/settled-scan.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const UPPER = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const LOWER = 'dental/openfulljaw_P26_mandible_tooth24_incisor.stl';


interface Line { visit: number; date: string; patient: { id: string; lastName: string | null }; scans: number; jaws: string[]; verdicts: Record<string, number>; deviationMm: { p95: number; max: number } | null; photos: number; lastReviewedBy: string | null }
interface VisitDto { id: number; patient: string; date: string; title: string | null; review: { state: string; by: { actor: string; name: string } | null; at: string | null; note: string | null }; scans: Array<{ uid: string; jaw: string }> }

const isError = (res: { status: number; body: unknown }, status: number, pattern: RegExp) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match((res.body as { error: { message: string } }).error.message, pattern);
};

test('the review queue lists pending visits oldest first with what a clinician needs; review actions take them out, audited; a new scan reopens a reviewed visit', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const c = api.as('clinician');
  const up1 = await ingestSettled(api, variant(UPPER, 'u1'), 'Doe_Jane_2026-11-20_upper.stl');
  await ingestSettled(api, variant(LOWER, 'l1'), 'Doe_Jane_2026-11-20_lower.stl');
  const up2 = await ingestSettled(api, variant(UPPER, 'u2'), 'Doe_Jane_2026-12-02_upper.stl');
  const patient = api.store.patients.get(up1.patientId!)!;

  const queue = await c.call<{ visits: Line[]; next: string | null }>('GET', '/review');
  assert.deepEqual(queue.visits.map((l) => [l.visit, l.date]), [[up1.visitId, '2026-11-20'], [up2.visitId, '2026-12-02']], 'oldest first');
  const [first, second] = queue.visits;
  assert.deepEqual([first.patient.id, first.patient.lastName, first.scans, first.jaws, first.verdicts, first.deviationMm, first.photos],
    [patient.pseudoId, 'Doe', 2, ['lower', 'upper'], { ok: 2, warn: 0, fail: 0, pending: 0 }, null, 0]);
  assert.ok(second.deviationMm && second.deviationMm.p95 >= 0 && second.deviationMm.max >= second.deviationMm.p95, `the comparison's figures: ${JSON.stringify(second.deviationMm)}`);
  const page1 = await c.call<{ visits: Line[]; next: string }>('GET', '/review', { query: { limit: 1 } });
  const page2 = await c.call<{ visits: Line[]; next: string | null }>('GET', '/review', { query: { limit: 1, cursor: page1.next } });
  assert.deepEqual([page1.visits[0].visit, page2.visits[0].visit, page2.next], [up1.visitId, up2.visitId, null]);

  const reviewed = await c.call<VisitDto>('POST', `/visits/${up1.visitId}/review`, { body: { state: 'reviewed', note: 'all fine, Jane happy' } });
  const clinician = `principal:${api.store.principals.getByName('test-clinician')!.id}`;
  assert.deepEqual([reviewed.review.state, reviewed.review.by, reviewed.review.note], ['reviewed', { actor: clinician, name: 'test-clinician' }, 'all fine, Jane happy']);
  const flagged = await api.as('integration').call<VisitDto>('POST', `/visits/${up2.visitId}/review`, { body: { state: 'flagged' } });
  assert.equal(flagged.review.state, 'flagged');
  assert.deepEqual((await c.call<{ visits: Line[] }>('GET', '/review')).visits, [], 'nothing left to review');

  // A late bite scan of the reviewed day: that visit needs a look again; the flagged one stays flagged.
  await ingestSettled(api, variant(LOWER, 'bite'), 'Doe_Jane_2026-11-20_bite.stl');
  const reopened = (await c.call<{ visits: Line[] }>('GET', '/review')).visits;
  assert.deepEqual(reopened.map((l) => [l.visit, l.scans, l.lastReviewedBy]), [[up1.visitId, 3, clinician]]);
  assert.equal((await c.call<VisitDto>('GET', `/visits/${up2.visitId}`)).review.state, 'flagged');

  isError(await c.send('POST', `/visits/${up1.visitId}/review`, { body: { state: 'done' } }), 400, /body\.state/);
  isError(await c.send('POST', '/visits/999999/review', { body: { state: 'reviewed' } }), 404, /no visit 999999/);
  isError(await c.send('GET', '/review', { query: { cursor: 'bm9wZQ' } }), 400, /not a cursor this API gave out/);
  assert.equal((await api.as('auditor').send('GET', '/review')).status, 403);

  const audit = dbOf(api.store).prepare("SELECT actor, object, details FROM audit_events WHERE action = 'visit.review' ORDER BY seq").all() as Array<{ actor: string; object: string; details: string }>;
  assert.deepEqual(audit.map((r) => [r.object, JSON.parse(r.details).state, JSON.parse(r.details).note, JSON.parse(r.details).patient]),
    [[`visit:${up1.visitId}`, 'reviewed', true, patient.pseudoId], [`visit:${up2.visitId}`, 'flagged', false, patient.pseudoId]]);
  assert.equal(audit[0].actor, clinician);
  const lists = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'review.list' ORDER BY seq").all() as Array<{ details: string }>;
  assert.deepEqual(JSON.parse(lists[0].details), { visits: [up1.visitId, up2.visitId], patients: [patient.pseudoId] });
  const changes = dbOf(api.store).prepare("SELECT object_id, data FROM changes WHERE type = 'visit.review' ORDER BY seq").all() as Array<{ object_id: string; data: string }>;
  assert.deepEqual(changes.map((r) => [r.object_id, JSON.parse(r.data)]), [
    [String(up1.visitId), { patient: patient.pseudoId, state: 'reviewed', from: 'pending' }],
    [String(up2.visitId), { patient: patient.pseudoId, state: 'flagged', from: 'pending' }],
  ]);
  const auditorView = await api.as('auditor').call<{ changes: Array<{ type: string; data: Record<string, unknown> }> }>('GET', '/changes');
  assert.deepEqual(auditorView.changes.filter((x) => x.type === 'visit.review').map((x) => x.data.redacted), [undefined, undefined], 'ids and states only: auditors see them whole');
  assert.doesNotMatch(JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all()), /Doe|Jane|happy/, 'names and notes stay out of the audit trail');
});

test('visits are created, edited and split, and scans moved between them; the bite follows the jaws into their visit', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const c = api.as('clinician');
  const upper = await ingestSettled(api, variant(UPPER, 'u'), 'Roe_Ann_2026-11-20_upper.stl');
  const lower = await ingestSettled(api, variant(LOWER, 'l'), 'Roe_Ann_2026-11-20_lower.stl');
  const other = await ingestSettled(api, variant(UPPER, 'x'), 'Poe_Max_2026-11-20_upper.stl');
  const patient = api.store.patients.get(upper.patientId!)!;
  const visitId = upper.visitId!;
  assert.equal(lower.visitId, visitId);

  // Two appointments on one day: the lower jaw was a second sitting.
  isError(await c.send('POST', `/visits/${visitId}/split`, { body: { scans: [upper.uid, lower.uid] } }), 409, /would move everything out of visit/);
  isError(await c.send('POST', `/visits/${visitId}/split`, { body: { scans: [other.uid] } }), 409, /is not in visit/);
  isError(await c.send('POST', `/visits/${visitId}/split`, { body: { scans: [] } }), 400, /at least one scan/);
  const split = await c.call<{ from: VisitDto; to: VisitDto }>('POST', `/visits/${visitId}/split`, { body: { scans: [lower.uid], title: 'afternoon' } });
  assert.deepEqual([split.from.scans.map((x) => x.uid), split.to.scans.map((x) => x.uid), split.to.date, split.to.title, split.to.patient],
    [[upper.uid], [lower.uid], '2026-11-20', 'afternoon', patient.pseudoId]);
  const visits = await c.call<{ visits: Array<{ id: number; date: string; scans: number }> }>('GET', `/patients/${patient.pseudoId}/visits`);
  assert.deepEqual(visits.visits.map((v) => [v.date, v.scans]).sort(), [['2026-11-20', 1], ['2026-11-20', 1]]);

  const edited = await c.call<VisitDto>('PATCH', `/visits/${split.to.id}`, { body: { date: '2026-11-21', title: 'aligner check-in 4' } });
  assert.deepEqual([edited.date, edited.title], ['2026-11-21', 'aligner check-in 4']);
  assert.equal(api.store.scans.get(lower.id)!.capturedAt?.slice(0, 10), '2026-11-20', 'scans keep their capture times');
  assert.equal((await c.call<VisitDto>('PATCH', `/visits/${split.to.id}`, { body: { title: null } })).title, null);
  isError(await c.send('PATCH', `/visits/${split.to.id}`, { body: {} }), 400, /nothing to change/);
  isError(await c.send('PATCH', `/visits/${split.to.id}`, { body: { date: '21.11.2026' } }), 400, /body\.date/);

  // Back together: the bite pair is in one visit again, and its analysis (done before) is not queued twice.
  const jobsBefore = api.store.jobs.forScan(lower.id).length + api.store.jobs.forScan(upper.id).length;
  const moved = await c.call<VisitDto>('POST', `/visits/${visitId}/move`, { body: { scans: [lower.uid] } });
  assert.deepEqual(moved.scans.map((x) => x.uid).sort(), [upper.uid, lower.uid].sort());
  assert.equal(api.store.jobs.forScan(lower.id).length + api.store.jobs.forScan(upper.id).length, jobsBefore);
  isError(await c.send('POST', `/visits/${visitId}/move`, { body: { scans: [other.uid] } }), 409, /is not this patient's/);
  isError(await c.send('POST', `/visits/${visitId}/move`, { body: { scans: ['6f1c2d0e-0000-4000-8000-000000000000'] } }), 404, /no scan/);

  // A new visit with the upper jaw; a lower jaw of another day, alone in its visit, moved in: the bite of the new pair is queued.
  const created = await c.call<VisitDto>('POST', '/visits', { body: { patient: patient.pseudoId, date: '2026-12-02', title: 'debond', scans: [upper.uid] } });
  assert.deepEqual([created.date, created.title, created.review.state, created.scans.map((x) => x.uid)], ['2026-12-02', 'debond', 'pending', [upper.uid]]);
  const lower2 = await ingestSettled(api, variant(LOWER, 'l2'), 'Roe_Ann_2026-12-09_lower.stl');
  assert.ok(!api.store.jobs.forScan(lower2.id).some((j) => j.kind === 'analyse'), 'alone in its visit: no bite');
  await c.call('POST', `/visits/${created.id}/move`, { body: { scans: [lower2.uid] } });
  const bite = api.store.jobs.forScan(lower2.id).filter((j) => j.kind === 'analyse');
  assert.deepEqual(bite.map((j) => j.payload.opposing), [upper.id], 'the bite of the jaws now sharing a visit');
  await until('the bite measured', () => api.store.reports.forScan(lower2.id).some((r) => r.kind === 'occlusion'), 120_000);
  isError(await c.send('POST', '/visits', { body: { patient: patient.pseudoId, date: '2026-12-03', scans: [other.uid] } }), 409, /is not this patient's/);
  assert.equal(api.store.visits.forPatient(patient.id).length, 4, 'a refused create leaves nothing behind');
  isError(await c.send('POST', '/visits', { body: { patient: 'p_aaaaaaaaaaaaaaaa', date: '2026-12-03' } }), 404, /no patient/);
  await assert.rejects(c.getVisit(999999), (e: ApiError) => e.status === 404);

  const actions = dbOf(api.store).prepare("SELECT action, object FROM audit_events WHERE action IN ('visit.create', 'visit.update', 'visit.split', 'visit.move') ORDER BY seq").all() as Array<{ action: string; object: string }>;
  assert.deepEqual(actions.map((a) => a.action), ['visit.split', 'visit.update', 'visit.update', 'visit.move', 'visit.create', 'visit.move']);
  const changes = dbOf(api.store).prepare("SELECT type, object_id FROM changes WHERE type LIKE 'visit.%' OR type = 'scan.moved' ORDER BY seq").all() as Array<{ type: string; object_id: string }>;
  // Visits ingest made (Roe's and Poe's of 2026-11-20, Roe's of 2026-12-09 with lower2) are
  // in the feed as those made through POST /visits are.
  assert.deepEqual(changes.map((x) => x.type), ['visit.created', 'visit.created', 'scan.moved', 'visit.split', 'visit.updated', 'visit.updated', 'scan.moved', 'visit.created', 'scan.moved', 'visit.created', 'scan.moved']);
  assert.doesNotMatch(JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all()), /Roe|Ann|afternoon|debond|check-in/);
});
