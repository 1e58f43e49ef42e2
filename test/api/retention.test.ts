// Retention through the API: the policy, legal holds, and the audited purge of expired
// scans that spares patients on hold — dry run first, then for real.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { nextRun } from '../../src/config/schedule.js';
import { purgeSchedule, retentionCutoff } from '../../src/retention/purge.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const FILES = [
  'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl',
  'dental/openfulljaw_P26_maxilla_tooth14_molar.stl',
  'dental/openfulljaw_P26_mandible_tooth19_molar.stl',
  'dental/openfulljaw_P26_mandible_tooth24_incisor.stl',
  'dental/openfulljaw_P26_mandible_tooth31_molar.stl',
];

/** Five scans: held patient's old scan, free patient's old and new scan, an old unassigned one, one captured long ago but received now. */
async function scans(t: Parameters<typeof apiStack>[0]) {
  const api = await apiStack(t);
  const put = async (i: number, patient: Record<string, string> | null, capturedAt: string | null, receivedAt: string | null) => {
    const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(FILES[i]), name: `scan${i}.stl`, identity: { patient, capturedAt }, actor: 'system', source: 'import' });
    if (receivedAt) dbOf(api.store).prepare('UPDATE scans SET received_at = ? WHERE id = ?').run(receivedAt, scan.id);
    return api.store.scans.get(scan.id)!;
  };
  const held = await put(0, { lastName: 'Held', firstName: 'Hanna' }, '2009-03-02', '2009-03-02T10:00:00.000Z');
  const oldFree = await put(1, { lastName: 'Free', firstName: 'Fritz' }, '2010-05-06', '2010-05-06T09:00:00.000Z');
  const newFree = await put(2, { lastName: 'Free', firstName: 'Fritz' }, '2026-01-10', null);
  const oldUnassigned = await put(3, null, null, '2011-01-01T08:00:00.000Z');
  const capturedLongAgo = await put(4, { lastName: 'Late', firstName: 'Lena' }, '2001-01-01', null);
  const pseudo = (scan: { patientId: number | null }) => api.store.patients.get(scan.patientId!)!.pseudoId;
  return { ...api, held, oldFree, newFree, oldUnassigned, capturedLongAgo, pseudo };
}

test('the policy comes from the config until an admin sets one; auditors may read it, not change it', async (t) => {
  const api = await apiStack(t);
  const initial = await api.as('auditor').retention();
  assert.deepEqual(initial, { policy: { scansYears: 10, basis: 'captured', origin: 'config', updatedBy: null, updatedAt: null }, legalHolds: 0 });
  await assert.rejects(api.as('auditor').setRetention(5), (e: ApiError) => e.status === 403);
  const set = await api.as('admin').setRetention(7, 'received');
  assert.deepEqual([set.scansYears, set.basis, set.origin], [7, 'received', 'set']);
  assert.equal(set.updatedBy, `principal:${api.store.principals.getByName('test-admin')!.id}`);
  assert.equal((await api.as('auditor').retention()).policy.scansYears, 7);
  const event = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'retention.policy.set'").get() as { details: string };
  assert.deepEqual(JSON.parse(event.details), { scansYears: 7, basis: 'received' });
});

test('a dry run lists the expired scans and keeps them; the purge then removes them, each one audited, and spares the patient on legal hold', { skip }, async (t) => {
  const api = await scans(t);
  const auditor = api.as('auditor');
  const hold = await auditor.setLegalHold(api.pseudo(api.held), true, 'insurance dispute 4471');
  assert.deepEqual([hold.hold, hold.reason], [true, 'insurance dispute 4471']);
  assert.deepEqual((await auditor.legalHolds()).holds.map((h) => h.patient), [api.pseudo(api.held)]);
  assert.equal((await auditor.legalHold(api.pseudo(api.oldFree))).hold, false);

  const admin = api.as('admin');
  const cutoff = retentionCutoff(new Date(), 10);
  const dry = await admin.purge(true);
  assert.equal(dry.dryRun, true);
  assert.equal(dry.cutoff, cutoff);
  const expected = [api.oldFree.uid, api.oldUnassigned.uid, api.capturedLongAgo.uid].sort();
  assert.deepEqual(dry.scans.map((s) => s.uid).sort(), expected, 'by capture date (receipt when unknown), ten years');
  assert.equal(dry.held, 1);
  assert.equal(api.store.scans.count(), 5, 'a dry run removes nothing');

  const real = await admin.purge(false);
  assert.deepEqual(real.scans.map((s) => s.uid).sort(), expected);
  assert.equal(api.store.scans.count(), 2);
  assert.ok(api.store.scans.getByUid(api.held.uid), 'the held patient keeps the scan');
  assert.ok(api.store.scans.getByUid(api.newFree.uid), 'a recent scan stays');
  assert.equal(api.store.blobs.exists(api.oldFree.sha256), false, 'the bytes go with the scan');
  assert.deepEqual(await api.as('clinician').downloadOriginal(api.newFree.uid), corpusBytes(FILES[2]));

  const purged = dbOf(api.store).prepare("SELECT object, actor, details FROM audit_events WHERE action = 'scan.purge' ORDER BY seq").all() as Array<{ object: string; actor: string; details: string }>;
  assert.deepEqual(purged.map((e) => e.object.slice(5)).sort(), expected, 'every removal is its own audit event');
  assert.equal(JSON.parse(purged.find((e) => e.object === `scan:${api.oldFree.uid}`)!.details).patient, api.pseudo(api.oldFree));
  const runs = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'retention.purge' ORDER BY seq").all() as Array<{ details: string }>;
  assert.deepEqual(runs.map((r) => [JSON.parse(r.details).dryRun, JSON.parse(r.details).purged, JSON.parse(r.details).held]), [[true, 3, 1], [false, 3, 1]]);
  assert.doesNotMatch(JSON.stringify(dbOf(api.store).prepare('SELECT details FROM audit_events').all()), /insurance dispute/, 'the hold reason stays out of the audit trail');
  assert.equal(api.verify().ok, true);
  const feed = await api.as('integration').changes(0, 1000);
  assert.deepEqual(feed.changes.filter((c) => c.type === 'scan.purged').map((c) => c.objectId).sort(), expected, 'followers learn of each removal');

  await auditor.setLegalHold(api.pseudo(api.held), false);
  const after = await admin.purge(false);
  assert.deepEqual(after.scans.map((s) => s.uid), [api.held.uid], 'once the hold is lifted, the expired scan goes');
});

test('with the receipt date as basis, a scan captured long ago but received now stays', { skip }, async (t) => {
  const api = await scans(t);
  await api.as('admin').setRetention(10, 'received');
  const dry = await api.as('admin').purge(true);
  assert.ok(!dry.scans.some((s) => s.uid === api.capturedLongAgo.uid));
  assert.ok(dry.scans.some((s) => s.uid === api.oldUnassigned.uid));
});

test('legal holds need a reason, are for auditors and admins, and are audited without it', async (t) => {
  const api = await apiStack(t);
  const patient = api.store.patients.create({ lastName: 'Muster', firstName: 'Max' });
  await assert.rejects(api.as('clinician').setLegalHold(patient.pseudoId, true, 'x'), (e: ApiError) => e.status === 403);
  await assert.rejects(api.as('auditor').setLegalHold(patient.pseudoId, true), (e: ApiError) => e.status === 400 && /reason is required/.test(e.message));
  await assert.rejects(api.as('auditor').setLegalHold('p_aaaaaaaaaaaaaaaa', true, 'x'), (e: ApiError) => e.status === 404);
  const placed = await api.as('admin').setLegalHold(patient.pseudoId, true, 'court order 17 O 4/26');
  assert.equal(placed.placedBy, `principal:${api.store.principals.getByName('test-admin')!.id}`);
  assert.equal(api.store.patients.get(patient.id)!.legalHold, true);
  const lifted = await api.as('auditor').setLegalHold(patient.pseudoId, false);
  assert.deepEqual([lifted.hold, lifted.reason], [false, null]);
  const events = dbOf(api.store).prepare("SELECT object, details FROM audit_events WHERE action = 'patient.legal_hold' ORDER BY seq").all() as Array<{ object: string; details: string }>;
  assert.deepEqual(events.map((e) => [e.object, JSON.parse(e.details)]), [[`patient:${patient.pseudoId}`, { hold: true }], [`patient:${patient.pseudoId}`, { hold: false }]]);
});

test('the daily purge is due at the next 03:00 local time', () => {
  const at = (h: number, m: number) => new Date(2026, 10, 20, h, m, 0, 0);
  const msUntil = (now: Date) => nextRun(purgeSchedule(3), now)!.getTime() - now.getTime();
  assert.equal(msUntil(at(2, 0)), 3_600_000);
  assert.equal(msUntil(at(3, 0)), 24 * 3_600_000, 'just run: the next is tomorrow');
  assert.equal(msUntil(at(23, 30)), 3.5 * 3_600_000);
  assert.equal(retentionCutoff(new Date('2026-11-20T12:00:00Z'), 10), '2016-11-20');
});
