// Finding the stored patient a scan's sources name, never by a guess, and merging two
// records of one person without losing a row — on the real encrypted database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { resolvePatient } from '../../src/ingest/store-scan.js';
import { MERGE_MOVES } from '../../src/store/patient-merge.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

function freshStore(t: TestContext) {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  return store;
}

function scanOf(store: ReturnType<typeof freshStore>, patientId: number | null, visitId: number | null, n: number) {
  const hash = `${n}`.padStart(64, '0');
  store.blobs.put(new Uint8Array([n]), hash);
  return store.scans.insert({ patientId, visitId, jaw: 'upper', capturedAt: '2026-12-01', originalName: `s${n}.stl`, format: 'stl', size: 1, sha256: hash });
}

test('matching: external id, then order, then name and birth date, then a unique name; otherwise review or a new patient', (t) => {
  const store = freshStore(t);
  const anna = store.patients.create({ lastName: 'Meier', firstName: 'Anna', birthDate: '1980-02-03', externalIds: [{ system: 'pms', value: '1' }, { system: 'itero-order', value: '98765' }] });
  const eva = store.patients.create({ lastName: 'Keller', firstName: 'Eva' });

  assert.deepEqual(resolvePatient(store, { externalId: { system: 'pms', value: '1' } }), { patient: anna, created: false, match: 'external-id' });
  assert.equal(resolvePatient(store, { orderId: { system: 'itero-order', value: '98765' } }).match, 'order');
  assert.equal(resolvePatient(store, { lastName: 'meier', firstName: 'ANNA', birthDate: '1980-02-03' }).match, 'name-birth', 'letter case does not matter');
  assert.equal(resolvePatient(store, { lastName: 'Keller', firstName: 'Eva' }).patient?.id, eva.id, 'a unique name');
  assert.equal(resolvePatient(store, { lastName: 'Keller', firstName: 'Eva', birthDate: '1990-01-01' }).match, 'name', 'a unique name whose record has no birth date');

  const other = resolvePatient(store, { lastName: 'Meier', firstName: 'Anna', birthDate: '1999-09-09' });
  assert.equal(other.created, true, 'same name, another birth date: another person');
  const twoAnnas = resolvePatient(store, { lastName: 'Meier', firstName: 'Anna' });
  assert.equal(twoAnnas.patient, null);
  assert.deepEqual(twoAnnas.review, { reason: 'ambiguous', candidates: [anna.id, other.patient!.id] }, 'a name two patients share waits for a person');

  const mismatch = resolvePatient(store, { lastName: 'Vogel', firstName: 'Ida', externalId: { system: 'pms', value: '1' } });
  assert.equal(mismatch.review?.reason, 'id-mismatch', "an id whose patient has another name is not taken");
  const ida = store.patients.create({ lastName: 'Vogel', firstName: 'Ida' });
  const conflict = resolvePatient(store, { lastName: 'Keller', firstName: 'Eva' }, [{ field: 'name', values: [{ source: 'rx', value: 'Keller, Eva' }, { source: 'name', value: 'Vogel, Ida' }] }]);
  assert.deepEqual(conflict.review, { reason: 'conflict', candidates: [eva.id, ida.id] }, 'the patients each conflicting source names');
  assert.equal(resolvePatient(store, { lastName: 'Keller', firstName: 'Eva', externalId: { system: 'pms', value: '77' } }).patient?.id, eva.id, 'no pms id on record: the unique name holds');
  store.patients.update(eva.id, { externalIds: [{ system: 'pms', value: '5' }] });
  assert.equal(resolvePatient(store, { lastName: 'Keller', firstName: 'Eva', externalId: { system: 'pms', value: '77' } }).created, true, 'another pms id: another person');
  assert.deepEqual(resolvePatient(store, { orderId: { system: 'itero-order', value: '1' } }), { patient: null, created: false, match: 'none' }, 'an unknown order alone names no one');
});

test('merge moves scans, visits (joining a visit of the same day), tags, ids and the hold; the duplicate is gone', (t) => {
  const store = freshStore(t);
  const keep = store.patients.create({ lastName: 'Keller', firstName: 'Eva', externalIds: [{ system: 'pms', value: '1' }] });
  const dup = store.patients.create({ lastName: 'Keller', firstName: 'Eva', birthDate: '1970-01-01', externalIds: [{ system: 'chart', value: 'K-1' }] });
  const sameDayKeep = store.visits.findOrCreate(keep.id, '2026-12-01');
  const sameDayDup = store.visits.findOrCreate(dup.id, '2026-12-01');
  const otherDay = store.visits.findOrCreate(dup.id, '2026-12-09');
  const s1 = scanOf(store, dup.id, sameDayDup.id, 1);
  const s2 = scanOf(store, dup.id, otherDay.id, 2);
  scanOf(store, keep.id, sameDayKeep.id, 3);
  dbOf(store).prepare("INSERT INTO annotations (visit_id, tag, value, created_at) VALUES (?, 'note', 'x', '2026-12-01')").run(sameDayDup.id);
  dbOf(store).prepare("INSERT INTO annotations (scan_id, tag, value, created_at) VALUES (?, 'fit', '3', '2026-12-01')").run(s2.id);
  dbOf(store).prepare("INSERT INTO legal_holds (patient_id, reason, placed_by, placed_at) VALUES (?, 'litigation', 'dpo', '2026-12-01')").run(dup.id);
  dbOf(store).prepare('UPDATE patients SET legal_hold = 1 WHERE id = ?').run(dup.id);
  const review = store.identity.openReview(s1.id, 'ambiguous', [dup.id]);

  const moved = store.patients.merge(dup.id, keep.id);
  assert.deepEqual(moved, { scans: 2, visitsMoved: 1, visitsJoined: 1, externalIds: 1 });
  assert.equal(store.patients.get(dup.id), undefined);
  const kept = store.patients.get(keep.id)!;
  assert.equal(kept.birthDate, '1970-01-01', 'an empty field is filled from the duplicate');
  assert.equal(kept.legalHold, true, 'the hold survives');
  assert.deepEqual(kept.externalIds.map((e) => e.system).sort(), ['chart', 'pms']);
  assert.equal(store.scans.get(s1.id)!.visitId, sameDayKeep.id, 'a visit of the same day joins the kept one');
  assert.equal(store.scans.get(s2.id)!.patientId, keep.id);
  assert.deepEqual(store.visits.forPatient(keep.id).map((v) => [v.date, v.scans]), [['2026-12-09', 1], ['2026-12-01', 2]]);
  const tags = dbOf(store).prepare('SELECT visit_id, scan_id FROM annotations ORDER BY id').all() as Array<{ visit_id: number | null; scan_id: number | null }>;
  assert.deepEqual(tags, [{ visit_id: sameDayKeep.id, scan_id: null }, { visit_id: null, scan_id: s2.id }], 'no tag lost');
  assert.deepEqual(store.identity.get(review.id)!.candidates, [keep.id]);
  assert.throws(() => store.patients.merge(keep.id, keep.id), /into itself/);
});

test('merge stops, changing nothing, while a table it does not know still holds rows of the duplicate', (t) => {
  const store = freshStore(t);
  const keep = store.patients.create({ lastName: 'A' });
  const dup = store.patients.create({ lastName: 'A' });
  // A table added later (as the photos' images table will be) but not listed in MERGE_MOVES.
  dbOf(store).exec('CREATE TABLE images_test (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id) ON DELETE CASCADE)');
  dbOf(store).prepare('INSERT INTO images_test (patient_id) VALUES (?)').run(dup.id);
  assert.throws(() => store.patients.merge(dup.id, keep.id), /images_test still holds 1 row.*MERGE_MOVES/);
  assert.ok(store.patients.get(dup.id), 'the duplicate is still there');
  assert.equal((dbOf(store).prepare('SELECT count(*) AS n FROM images_test WHERE patient_id = ?').get(dup.id) as { n: number }).n, 1, 'its row is not cascaded away');
  assert.ok(!MERGE_MOVES.some((m) => m.table === 'images_test'));
});
