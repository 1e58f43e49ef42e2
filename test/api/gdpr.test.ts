// GDPR through the API: a patient's export opens as a zip holding everything about them;
// an erasure leaves nothing of them — not in the API, not in the database pages — only a
// pseudonymous tombstone in the audit chain.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { ApiError } from '../../src/api/client.js';
import { truncateWal } from '../../src/store/database.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const MOLAR = 'dental/openfulljaw_P26_maxilla_tooth14_molar.stl';
const OTHER = 'dental/openfulljaw_P26_mandible_tooth19_molar.stl';
const skip = !hasCorpus() && 'no corpus';
const NAME = { lastName: 'Zyxwander', firstName: 'Quentina', birthDate: '1961-07-14' };

/**
 * The plaintext of every page of an SQLCipher 4 database opened with a raw key: 4096-byte
 * pages, each ending in 80 reserved bytes (16-byte IV, 64-byte HMAC-SHA512); page 1 starts
 * with the 16-byte salt; AES-256-CBC without padding, the raw key as the cipher key.
 */
function decryptPages(path: string, key: Buffer): Buffer {
  const file = readFileSync(path);
  const PAGE = 4096;
  const RESERVE = 80;
  assert.equal(file.length % PAGE, 0, 'whole pages');
  const pages: Buffer[] = [];
  for (let offset = 0; offset < file.length; offset += PAGE) {
    const page = file.subarray(offset, offset + PAGE);
    const iv = page.subarray(PAGE - RESERVE, PAGE - RESERVE + 16);
    const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    pages.push(Buffer.concat([decipher.update(page.subarray(offset === 0 ? 16 : 0, PAGE - RESERVE)), decipher.final()]));
  }
  // The SQLite header after the salt: page size 4096 big-endian, then WAL read/write versions 2.
  assert.deepEqual([...pages[0].subarray(0, 4)], [0x10, 0x00, 2, 2], 'page 1 decrypts to an SQLite header: the decryption is right');
  return Buffer.concat(pages);
}

async function patientWithScans(t: Parameters<typeof apiStack>[0]) {
  const api = await apiStack(t);
  const ingest = async (file: string, name: string, patient: Record<string, string>) =>
    (await api.ingest.ingestBytes({ bytes: corpusBytes(file), name, identity: { patient, jaw: 'upper', capturedAt: '2026-11-20' }, actor: 'system', source: 'import' })).scan;
  const a = await ingest(TOOTH, 'Zyxwander_Quentina_upper.stl', NAME);
  const b = await ingest(MOLAR, 'Zyxwander_Quentina_molar.stl', NAME);
  const other = await ingest(OTHER, 'Other_Person_lower.stl', { lastName: 'Other', firstName: 'Person' });
  const done = Promise.all([a, b, other].map((s) => api.validated(s.uid)));
  api.dispatcher.start();
  await done;
  await api.dispatcher.stop();
  const patient = api.store.patients.getByPseudoId(api.store.patients.get(a.patientId!)!.pseudoId)!;
  return { ...api, a, b, other, patient };
}

test('the GDPR export is a zip that opens: patient.json, every scan as the scanner wrote it, reports, notes and the audit events about the patient', { skip }, async (t) => {
  const api = await patientWithScans(t);
  await api.as('clinician').addAnnotation({ scan: api.a.uid }, { tag: 'note', note: 'Quentina reports sensitivity on 11' });
  await api.as('clinician').getScan(api.a.uid);
  const zip = await api.as('auditor').exportPatient(api.patient.pseudoId);
  const file = join(api.dir, 'export.zip');
  writeFileSync(file, zip);
  // An independent reader: Python's zipfile checks every entry's CRC.
  const check = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print("\\n".join(z.namelist()))', file], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(check[0], 'None', 'every entry reads back with a matching CRC');

  const entries = unzipSync(new Uint8Array(zip));
  const doc = JSON.parse(Buffer.from(entries['patient.json']).toString('utf8'));
  assert.deepEqual([doc.patient.id, doc.patient.lastName, doc.patient.firstName, doc.patient.birthDate], [api.patient.pseudoId, 'Zyxwander', 'Quentina', '1961-07-14']);
  assert.deepEqual(doc.scans.map((s: { uid: string }) => s.uid).sort(), [api.a.uid, api.b.uid].sort());
  assert.deepEqual(doc.visits.map((v: { date: string }) => v.date), ['2026-11-20']);
  assert.deepEqual(doc.visits[0].review, { state: 'pending', by: null, at: null, note: null }, 'the review state and its note are the patient\'s data too');
  for (const [scan, source] of [[api.a, TOOTH], [api.b, MOLAR]] as const) {
    const entry = doc.scans.find((s: { uid: string }) => s.uid === scan.uid);
    const bytes = entries[entry.file];
    assert.ok(bytes, `${entry.file} is in the zip`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(corpusBytes(source)).digest('hex'), 'the original bytes, exactly');
    const report = JSON.parse(Buffer.from(entries[entry.reports[0].file]).toString('utf8'));
    assert.equal(report.verdict, api.store.scans.getByUid(scan.uid)!.verdict);
  }
  assert.ok(!check.some((n) => n.includes(api.other.uid)), "another patient's scan is not in the export");
  assert.deepEqual(doc.annotations.map((n: { note: string; scan: string }) => [n.note, n.scan]), [['Quentina reports sensitivity on 11', api.a.uid]]);
  const events = Buffer.from(entries['audit-events.ndjson']).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; object: string });
  assert.deepEqual(events.filter((e) => e.object === `scan:${api.a.uid}`).map((e) => e.action), ['scan.ingest', 'scan.validate', 'annotation.create', 'scan.read']);
  assert.ok(entries['README.txt']);
  const exportEvent = dbOf(api.store).prepare("SELECT actor, object, details FROM audit_events WHERE action = 'patient.export'").get() as { actor: string; object: string; details: string };
  assert.equal(exportEvent.object, `patient:${api.patient.pseudoId}`);
  assert.deepEqual(JSON.parse(exportEvent.details), { scans: 2, images: 0, events: events.length });
  await assert.rejects(api.as('clinician').exportPatient(api.patient.pseudoId), (e: ApiError) => e.status === 403);
});

test('erasure needs the id repeated, waits for a legal hold to be lifted, then leaves nothing of the patient in the database pages', { skip }, async (t) => {
  const api = await patientWithScans(t);
  const id = api.patient.pseudoId;
  await api.as('clinician').addAnnotation({ scan: api.a.uid }, { tag: 'note', note: 'Quentina reports sensitivity on 11' });
  const scanBytes = corpusBytes(TOOTH);
  const marker = scanBytes.subarray(Math.floor(scanBytes.length / 2), Math.floor(scanBytes.length / 2) + 48);
  const find = (plain: Buffer) => ({
    lastName: plain.includes(NAME.lastName), firstName: plain.includes(NAME.firstName), birthDate: plain.includes(NAME.birthDate), scanBytes: plain.includes(marker),
  });
  assert.equal(await truncateWal(dbOf(api.store)), true);
  assert.deepEqual(find(decryptPages(api.store.path, api.key)), { lastName: true, firstName: true, birthDate: true, scanBytes: true }, 'before: the patient is in the pages');

  const admin = api.as('admin');
  await assert.rejects(admin.send('DELETE', `/patients/${id}`).then((r) => { if (r.status !== 200) throw new ApiError(r.status, '', JSON.stringify(r.body)); }), (e: ApiError) => e.status === 400 && /confirm/.test(e.message));
  await assert.rejects(admin.erasePatient(id, 'p_aaaaaaaaaaaaaaaa'), (e: ApiError) => e.status === 400 && /nothing was erased/.test(e.message));
  await assert.rejects(api.as('clinician').erasePatient(id, id), (e: ApiError) => e.status === 403);
  await api.as('auditor').setLegalHold(id, true, 'complaint 2026/114 pending');
  await assert.rejects(admin.erasePatient(id, id), (e: ApiError) => e.status === 409 && /legal hold/.test(e.message));
  await api.as('auditor').setLegalHold(id, false);
  assert.equal(api.store.patients.getByPseudoId(id)?.lastName, 'Zyxwander', 'nothing was erased by the refused attempts');

  const result = await admin.erasePatient(id, id);
  assert.deepEqual([result.patient, result.scans, result.annotations, result.visits], [id, 2, 1, 1]);
  // Later jobs (analysis, derived files) add reports, artifacts and blobs as the pipeline grows.
  assert.ok(result.blobs >= 2 && result.reports >= 2 && result.jobs >= 2, JSON.stringify(result));
  await assert.rejects(api.as('clinician').getPatient(id), (e: ApiError) => e.status === 404);
  await assert.rejects(api.as('clinician').getScan(api.a.uid), (e: ApiError) => e.status === 404);
  assert.equal(api.store.blobs.exists(api.a.sha256), false);
  assert.deepEqual(await api.as('clinician').downloadOriginal(api.other.uid), corpusBytes(OTHER), "another patient's scan is untouched");

  const tombstone = dbOf(api.store).prepare("SELECT actor, object, outcome, details FROM audit_events WHERE action = 'patient.erase' ORDER BY seq").all() as Array<{ actor: string; object: string; outcome: string; details: string }>;
  assert.deepEqual(tombstone.map((e) => e.outcome), ['denied', 'success'], 'the refused attempt under hold and the erasure');
  assert.equal(tombstone[1].object, `patient:${id}`);
  assert.deepEqual(JSON.parse(tombstone[1].details).scanUids.sort(), [api.a.uid, api.b.uid].sort());
  const trail = JSON.stringify(dbOf(api.store).prepare('SELECT * FROM audit_events').all());
  assert.doesNotMatch(trail, /Zyxwander|Quentina|1961-07-14|complaint 2026/, 'the audit trail holds no PHI and no hold reason');
  assert.equal(api.verify().ok, true, 'the chain is intact after the erasure');

  assert.equal(await truncateWal(dbOf(api.store)), true, 'the WAL empties although the checkpoint thread runs');
  const wal = `${api.store.path}-wal`;
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the write-ahead log holds no old pages');
  assert.deepEqual(find(decryptPages(api.store.path, api.key)), { lastName: false, firstName: false, birthDate: false, scanBytes: false }, 'after: nothing of the patient in any page, free pages included');
});

test('while a patient with a large scan is erased the API keeps answering; the bytes are gone when the erasure answers', async (t) => {
  const api = await apiStack(t);
  const patient = api.store.patients.create({ ...NAME, externalIds: [] });
  // 24 MB of random bytes: 96 chunks to overwrite and free (secure_delete).
  const bytes = Buffer.alloc(24 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 65536) bytes.set(createHash('sha512').update(String(i)).digest().subarray(0, 64), i);
  const blob = api.store.blobs.put(bytes);
  api.store.scans.insert({ patientId: patient.id, jaw: 'upper', originalName: 'big.stl', format: 'stl', size: bytes.length, sha256: blob.hash });
  const chunks = () => (dbOf(api.store).prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  assert.equal(chunks(), blob.chunks);

  let erased = false;
  const erasing = api.as('admin').erasePatient(patient.pseudoId, patient.pseudoId).then((r) => {
    erased = true;
    return r;
  });
  const scans = () => (dbOf(api.store).prepare('SELECT count(*) AS n FROM scans').get() as { n: number }).n;
  // The erasure commits (the scan is gone for every reader), then frees the chunks a turn at
  // a time: a request answered in between is one the API served during the erasure.
  let answeredHalfway = 0;
  while (!erased) {
    await api.as('clinician').health();
    if (!erased && scans() === 0 && chunks() > 0) answeredHalfway++;
  }
  const result = await erasing;
  assert.equal(result.blobs, 1);
  assert.ok(answeredHalfway >= 1, 'requests were answered after the commit, while the chunks were being freed');
  assert.equal(chunks(), 0, 'every chunk freed before the erasure answered');
});
