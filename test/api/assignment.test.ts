// Assigning a scan completes its visit: the comparison with the patient's previous scan of
// that jaw, the comparison of the next scan with it, and the bite with the visit's other
// jaw are queued and run — through the real API, database and worker threads. And the
// clinical roles may re-run a scan's analysis (they got 403 before).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import type { Scan } from '../../src/store/scans.js';
import { apiStack } from '../helpers/api.js';
import { hasCorpus } from '../helpers/corpus.js';
import { ingestSettled, variant } from '../helpers/settled-scan.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const UPPER = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const LOWER = 'dental/openfulljaw_P26_mandible_tooth24_incisor.stl';


const jobsOf = (api: Awaited<ReturnType<typeof apiStack>>, scan: Scan) => api.store.jobs.forScan(scan.id).map((j) => `${j.kind}:${j.state}`);

test('assigning a scan dropped without a patient queues and runs the comparison with the earlier scan of that jaw and the bite with the other jaw', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const c = api.as('clinician');
  const earlier = await ingestSettled(api, variant(UPPER, 'a'), 'Doe_Jane_2026-11-20_upper.stl');
  const patient = api.store.patients.get(earlier.patientId!)!;
  const lower = await ingestSettled(api, variant(LOWER, 'b'), 'Doe_Jane_2026-12-02_lower.stl');
  assert.equal(lower.patientId, patient.id);
  const loose = await ingestSettled(api, variant(UPPER, 'c'), 'scan.stl');
  assert.equal(loose.patientId, null, 'nothing names the patient');
  assert.deepEqual(jobsOf(api, loose), ['validate:done', 'derive:done'], 'unassigned: no comparison, no bite');

  const assigned = await c.call<{ uid: string; status: string; queued: Array<{ kind: string; scan: string }> }>('PUT', `/scans/${loose.uid}/patient`,
    { body: { patient: patient.pseudoId, jaw: 'upper', capturedAt: '2026-12-02' } });
  assert.deepEqual(assigned.queued.map((j) => `${j.kind}:${j.scan}`).sort(), [`analyse:${loose.uid}`, `compare:${loose.uid}`].sort());
  assert.equal(assigned.status, 'validated', 'analyses are pending again');

  await until('the comparison and the bite', () => {
    const s = api.store.scans.get(loose.id)!;
    return s.status === 'analysed' && api.store.jobs.forScan(loose.id).every((j) => j.state === 'done') ? s : undefined;
  }, 120_000);
  const detail = await c.call<{ reports: Record<string, { previous?: string; stats?: { p95: number } }>; jobs: Array<{ kind: string; state: string }> }>('GET', `/scans/${loose.uid}`);
  assert.deepEqual(detail.jobs.map((j) => `${j.kind}:${j.state}`), ['validate:done', 'derive:done', 'compare:done', 'analyse:done']);
  assert.equal(detail.reports.comparison.previous, earlier.uid, 'compared with the patient\'s earlier scan of that jaw');
  assert.ok(detail.reports.comparison.stats!.p95 < 0.05, `the same tooth: ${detail.reports.comparison.stats!.p95} mm`);
  assert.ok(detail.reports.occlusion, `bite measured: ${Object.keys(detail.reports).join(', ')}`);
  assert.ok(api.store.artifacts.get(loose.id, 'heatmap:deviation'), 'the heat map is there');

  // Assigning again changes nothing and queues nothing twice.
  const again = await c.call<{ queued: unknown[] }>('PUT', `/scans/${loose.uid}/patient`, { body: { patient: patient.pseudoId } });
  assert.deepEqual(again.queued, []);
  const changes = dbOf(api.store).prepare("SELECT data FROM changes WHERE type = 'job.queued'").all().map((r) => JSON.parse((r as { data: string }).data));
  assert.deepEqual(changes.map((d) => `${d.kind}:${d.scan}`).sort(), [`analyse:${loose.uid}`, `compare:${loose.uid}`].sort());
  const audit = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'scan.assign' ORDER BY seq").all().map((r) => JSON.parse((r as { details: string }).details).jobs);
  assert.deepEqual(audit, [['compare', 'analyse'], []]);
});

test('an older scan assigned late slots into the timeline: the next scan of that jaw is compared with it', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const later = await ingestSettled(api, variant(UPPER, 'later'), 'Roe_Ann_2026-12-09_upper.stl');
  assert.deepEqual(jobsOf(api, later), ['validate:done', 'derive:done'], 'the first scan has nothing to compare with');
  const patient = api.store.patients.get(later.patientId!)!;
  const older = await ingestSettled(api, variant(UPPER, 'older'), 'scan.stl');
  const res = await api.as('integration').call<{ queued: Array<{ kind: string; scan: string }> }>('PUT', `/scans/${older.uid}/patient`,
    { body: { patient: patient.pseudoId, jaw: 'upper', capturedAt: '2026-11-20' } });
  assert.deepEqual(res.queued.map((j) => `${j.kind}:${j.scan}`), [`compare:${later.uid}`]);
  await until('the later scan compared', () => api.store.reports.forScan(later.id).find((r) => r.kind === 'comparison'), 120_000);
  const report = api.store.reports.forScan(later.id).find((r) => r.kind === 'comparison')!.body as { previous: string };
  assert.equal(report.previous, older.uid);
});

test('a misfiled scan moves to the right patient only when asked: it leaves the old timeline (re-compared without it) and joins the new one; never off a held record', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const c = api.as('clinician');
  // Anna's three upper scans; the middle one is really Berta's.
  const first = await ingestSettled(api, variant(UPPER, 'a1'), 'Alt_Anna_2026-11-01_upper.stl');
  const wrong = await ingestSettled(api, variant(UPPER, 'b1'), 'Alt_Anna_2026-11-15_upper.stl');
  const third = await ingestSettled(api, variant(UPPER, 'a2'), 'Alt_Anna_2026-12-01_upper.stl');
  const anna = api.store.patients.get(first.patientId!)!;
  const bertaFirst = await ingestSettled(api, variant(UPPER, 'b0'), 'Bach_Berta_2026-10-01_upper.stl');
  const berta = api.store.patients.get(bertaFirst.patientId!)!;
  const comparedWith = (scan: Scan) => (api.store.reports.forScan(scan.id).filter((r) => r.kind === 'comparison').at(-1)?.body as { previous?: string } | undefined)?.previous;
  assert.equal(comparedWith(third), wrong.uid, 'before: Anna\'s third scan was compared with the misfiled one');

  await assert.rejects(c.call('PUT', `/scans/${wrong.uid}/patient`, { body: { patient: berta.pseudoId } }), (e: ApiError) => {
    assert.equal(e.status, 409);
    assert.match(e.message, new RegExp(`belongs to patient ${anna.pseudoId} — if it was filed under the wrong patient, send "move": true`));
    return true;
  });
  const moved = await c.call<{ patient: string; queued: Array<{ kind: string; scan: string }> }>('PUT', `/scans/${wrong.uid}/patient`, { body: { patient: berta.pseudoId, move: true } });
  assert.equal(moved.patient, berta.pseudoId);
  assert.deepEqual(moved.queued.map((j) => `${j.kind}:${j.scan}`).sort(), [`compare:${third.uid}`, `compare:${wrong.uid}`].sort(), 'compared in its new timeline; the scan it left behind is compared again');
  await until('both comparisons', () => comparedWith(third) === first.uid && comparedWith(wrong) === bertaFirst.uid, 120_000);
  const visits = (p: number) => api.store.visits.forPatient(p).map((v) => v.date).sort();
  assert.ok(visits(berta.id).includes('2026-11-15'), 'it joined a visit of the right patient');
  const change = dbOf(api.store).prepare("SELECT data FROM changes WHERE type = 'scan.reassigned'").get() as { data: string };
  assert.deepEqual(JSON.parse(change.data), { from: anna.pseudoId, to: berta.pseudoId });
  const audit = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'scan.assign' ORDER BY seq DESC LIMIT 1").get() as { details: string };
  assert.equal(JSON.parse(audit.details).moved, true);

  // A record under legal hold keeps its scans.
  dbOf(api.store).prepare('UPDATE patients SET legal_hold = 1 WHERE id = ?').run(berta.id);
  await assert.rejects(c.call('PUT', `/scans/${wrong.uid}/patient`, { body: { patient: anna.pseudoId, move: true } }), (e: ApiError) => e.status === 409 && /under a legal hold — lift the hold first/.test(e.message));
  assert.equal(api.store.scans.get(wrong.id)!.patientId, berta.id);
});

test('clinicians and integration tokens re-run a scan\'s analysis and retry a failed job; only an admin cancels', { skip }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const scan = await ingestSettled(api, variant(UPPER, 'r'), 'Poe_Max_2026-11-20_upper.stl');
  for (const role of ['clinician', 'integration'] as const) {
    const job = await api.as(role).call<{ id: number; kind: string; state: string }>('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'derive' } });
    assert.deepEqual([job.kind, job.state], ['derive', 'queued'], role);
    await until(`${role}'s derive done`, () => api.store.jobs.get(job.id)?.state === 'done', 120_000);
  }
  assert.equal((await api.as('auditor').send('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'derive' } })).status, 403);
  const failed = api.store.jobs.enqueue('derive', scan.id, { runAfter: new Date(Date.now() + 3_600_000) });
  api.store.jobs.cancel(failed.id);
  const retried = await api.as('clinician').call<{ state: string }>('POST', `/jobs/${failed.id}/retry`);
  assert.equal(retried.state, 'queued');
  const queued = api.store.jobs.enqueue('derive', scan.id, { runAfter: new Date(Date.now() + 3_600_000) });
  assert.equal((await api.as('clinician').send('POST', `/jobs/${queued.id}/cancel`)).status, 403);
  const actors = dbOf(api.store).prepare("SELECT actor FROM audit_events WHERE action = 'job.rerun' ORDER BY seq").all().map((r) => (r as { actor: string }).actor);
  assert.deepEqual(actors, ['clinician', 'integration'].map((r) => `principal:${api.store.principals.getByName(`test-${r}`)!.id}`));
});
