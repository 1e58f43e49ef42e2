// The right patient from every export, through the real daemon: export trees built in the
// test from the facts of issue 16 are dropped into watched folders; each lands on the
// patient its sources name, with names, birth date, capture date and jaws and the source of
// each; a second visit lands on the same patient; doubt waits in identity review; the drop
// folders end up empty.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dentalProject, dropTree, iteroFiles, obj, stl, zipOf } from '../fixtures/exports/build.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

interface Scan { uid: string; patient: string | null; jaw: string; capturedAt: string | null; source: { folder: string; originalName: string; scanner: string | null } }
interface Patient { id: string; lastName: string | null; firstName: string | null; birthDate: string | null; externalIds: Array<{ system: string; value: string }> }
interface Fact { value: string; source: string }
interface Identity { match: string; evidence: { fields: Record<string, Fact>; said: Array<Record<string, string>>; conflicts: unknown[]; warnings: string[] }; review: number | null }

/** Every file left below a folder (empty folders count as nothing). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('every export lands on the right patient; the second visit on the same one; doubt waits in identity review; the drop folders end empty', async (t) => {
  const dir = tempDir(t);
  const staging = join(dir, 'staging');
  const folders = { itero: join(dir, 'itero'), trios: join(dir, 'trios'), primescan: join(dir, 'primescan'), inbox: join(dir, 'inbox') };
  for (const f of [staging, ...Object.values(folders)]) mkdirSync(f, { recursive: true });
  const folder = (name: string, path: string, rule: string, layout = 'flat') =>
    `  - path: ${path}\n    name: ${name}\n    rule: ${rule}\n    layout: ${layout}\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.1\n`;
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon: RunningDaemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n${folder('itero', folders.itero, 'itero')}${folder('trios', folders.trios, 'trios')}${folder('primescan', folders.primescan, 'primescan', 'patient-subfolder')}${folder('inbox', folders.inbox, 'generic')}`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const token = (await runCli(['token', 'create', '--name', 'identity-test', '--role', 'admin', '--config', daemon.configPath], { cwd: dir })).stdout.trim();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await daemon.request(method, `/api/v1${path}`, { token, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const scans = async (): Promise<Scan[]> => (await api<{ scans: Scan[] }>('GET', '/scans?limit=500&sort=received&order=asc')).scans;
  const scansFrom = async (f: string, n: number): Promise<Scan[]> => until(`${n} scans from folder ${f}`, async () => {
    const got = (await scans()).filter((s) => s.source.folder === f);
    return got.length >= n ? got.sort((a, b) => a.source.originalName.localeCompare(b.source.originalName)) : undefined;
  }, 90_000);
  const patient = (id: string | null) => api<Patient>('GET', `/patients/${id}`);
  const identity = (uid: string) => api<Identity>('GET', `/scans/${uid}/identity`);
  const emptied = (f: string) => until(`folder ${f} to empty`, () => filesBelow(f).length === 0 || undefined, 60_000);

  // 1. iTero folder: the XML gives the name in the other order, the Rx page labels it.
  dropTree(folders.itero, 'OrthoCAD_Export_98765', iteroFiles({
    order: '98765', xmlPatient: 'Anna, Meier', rxPatient: 'Meier, Anna', chart: 'K-4711', scanningDate: '12/01/2026', exportTime: '12/03/2026 16:20:11', seed: 1,
  }), staging);
  const [iteroL, iteroU] = await scansFrom('itero', 2);
  assert.deepEqual([iteroL.jaw, iteroU.jaw], ['lower', 'upper']);
  assert.equal(iteroU.patient, iteroL.patient, 'both jaws of one export: one patient');
  const meier = await patient(iteroU.patient);
  assert.deepEqual([meier.lastName, meier.firstName, meier.birthDate], ['Meier', 'Anna', null], "the Rx page's labelled last name wins; no birth date is made up");
  assert.ok(!/OrthoCAD|Export/.test(`${meier.lastName} ${meier.firstName}`), "the export folder's name is never a person's name");
  assert.deepEqual(meier.externalIds.map((e) => `${e.system}:${e.value}`).sort(), ['chart:K-4711', 'itero-order:98765']);
  assert.equal(iteroU.capturedAt, '2026-12-01', 'the scanning date, not the export time');
  const iteroId = await identity(iteroU.uid);
  assert.deepEqual(iteroId.evidence.fields.lastName, { value: 'Meier', source: 'rx' });
  assert.deepEqual(iteroId.evidence.fields.capturedAt, { value: '2026-12-01', source: 'rx' });
  assert.deepEqual(iteroId.evidence.fields.jaw, { value: 'upper', source: 'manifest' });
  assert.deepEqual(iteroId.evidence.said.map((s) => s.source).slice(0, 2), ['manifest', 'rx'], 'what each source said, most trusted first');
  assert.deepEqual([iteroId.match, (await identity(iteroL.uid)).match].sort(), ['created', 'external-id'], 'the first jaw made the patient, the other found it by its chart number');
  assert.ok(iteroId.evidence.warnings.some((w) => /another order/.test(w)), 'the swapped XML name is a warning');
  assert.equal(iteroId.review, null);
  await emptied(folders.itero);

  // 2. The next visit as a zip download (with a browser's " (4)"): same chart number, same patient.
  writeFileSync(join(staging, 'z.zip'), zipOf(iteroFiles({
    order: '98766', xmlPatient: 'Meier, Anna', rxPatient: 'Meier, Anna', chart: 'K-4711', scanningDate: '12/08/2026', exportTime: '12/08/2026 18:00:00', seed: 10,
  })));
  await import('node:fs').then((fs) => fs.renameSync(join(staging, 'z.zip'), join(folders.itero, 'OrthoCAD_Export_98766 (4).zip')));
  const zipScans = (await scansFrom('itero', 4)).filter((s) => s.source.originalName.includes('98766'));
  assert.equal(zipScans.length, 2);
  for (const s of zipScans) {
    assert.equal(s.patient, meier.id, 'the second visit lands on the same patient');
    assert.equal(s.capturedAt, '2026-12-08');
  }
  assert.equal((await identity(zipScans[0].uid)).match, 'external-id');
  await emptied(folders.itero);
  const visits = await api<{ visits: Array<{ date: string; scans: number }> }>('GET', `/patients/${meier.id}/visits`);
  assert.deepEqual(visits.visits.map((v) => [v.date, v.scans]), [['2026-12-08', 2], ['2026-12-01', 2]]);

  // 3. TRIOS case with a .dentalProject (birth date labelled there), then a second case.
  const trioCase = (id: string, day: string, seed: number) => ({
    [`${id}-upperjaw.stl`]: stl(seed), [`${id}-lowerjaw.stl`]: stl(seed + 1),
    [`${id}.dentalProject`]: dentalProject({ last: 'Weber', first: 'Lena', birthday: '1975-05-06', dateTime: `${day}T09:41:12+01:00` }),
  });
  dropTree(folders.trios, '2026-12-03_00001-001', trioCase('2026-12-03_00001-001', '2026-12-03', 20), staging);
  const [trioL, trioU] = await scansFrom('trios', 2);
  const weber = await patient(trioU.patient);
  assert.deepEqual([weber.lastName, weber.firstName, weber.birthDate], ['Weber', 'Lena', '1975-05-06']);
  assert.deepEqual([trioL.jaw, trioU.jaw, trioU.capturedAt], ['lower', 'upper', '2026-12-03']);
  assert.deepEqual((await identity(trioU.uid)).evidence.fields.birthDate, { value: '1975-05-06', source: 'dentalProject' });
  await emptied(folders.trios);
  dropTree(folders.trios, '2026-12-10_00002-001', trioCase('2026-12-10_00002-001', '2026-12-10', 30), staging);
  const trios2 = (await scansFrom('trios', 4)).filter((s) => s.source.originalName.includes('00002'));
  assert.deepEqual(trios2.map((s) => [s.patient, s.capturedAt]), [[weber.id, '2026-12-10'], [weber.id, '2026-12-10']]);
  assert.equal((await identity(trios2[0].uid)).match, 'name-birth');
  await emptied(folders.trios);

  // 4. Primescan sessions as patient folders: the folder's date is the visit, never a birth date.
  dropTree(folders.primescan, 'Keller_Eva_2026-12-02', { 'UpperJaw/Data.obj': obj(40), 'LowerJaw/Data.obj': obj(41) }, staging);
  const [primeL, primeU] = await scansFrom('primescan', 2);
  const keller = await patient(primeU.patient);
  assert.deepEqual([keller.lastName, keller.firstName, keller.birthDate], ['Keller', 'Eva', null]);
  assert.deepEqual([primeL.jaw, primeU.jaw, primeU.capturedAt, primeL.patient], ['lower', 'upper', '2026-12-02', keller.id]);
  assert.deepEqual((await identity(primeU.uid)).evidence.fields.capturedAt, { value: '2026-12-02', source: 'folder' });
  await emptied(folders.primescan);
  dropTree(folders.primescan, 'Keller_Eva_2026-12-09', { 'UpperJaw/Data.obj': obj(42) }, staging);
  const prime2 = (await scansFrom('primescan', 3)).find((s) => s.source.originalName.startsWith('Keller_Eva_2026-12-09'))!;
  assert.deepEqual([prime2.patient, prime2.capturedAt, prime2.jaw], [keller.id, '2026-12-09', 'upper'], 'the next session: the same patient, not a second "Keller Eva"');
  assert.equal((await identity(prime2.uid)).match, 'name', 'matched by a unique name');
  await emptied(folders.primescan);

  // 5. A sidecar from the practice software: its id, names and birth date; the file time as capture date.
  dropTree(folders.inbox, 'pms-drop', { 'scan_upper.stl': stl(50), 'scan_upper.stl.json': JSON.stringify({ patientId: 'P-77', lastName: 'Schulz', firstName: 'Tom', birthDate: '1990-01-02' }) }, staging);
  const [side] = await scansFrom('inbox', 1);
  const schulz = await patient(side.patient);
  assert.deepEqual([schulz.lastName, schulz.firstName, schulz.birthDate, schulz.externalIds], ['Schulz', 'Tom', '1990-01-02', [{ system: 'pms', value: 'P-77' }]]);
  const sideId = await identity(side.uid);
  assert.equal(sideId.evidence.fields.capturedAt.source, 'mtime', 'no source names the day: the file time, recorded as such');
  assert.match(side.capturedAt ?? '', /^\d{4}-\d{2}-\d{2}$/, 'capturedAt is never null');
  await emptied(folders.inbox);

  // 6. A name two patients share, no birth date: it waits in identity review, unassigned.
  const braun1 = await api<Patient>('POST', '/patients', { lastName: 'Braun', firstName: 'Max', birthDate: '1961-03-04' });
  const braun2 = await api<Patient>('POST', '/patients', { lastName: 'Braun', firstName: 'Max', birthDate: '1999-09-09' });
  dropTree(folders.inbox, 'flat', { 'Braun_Max_2026-12-05_upper.stl': stl(60) }, staging);
  const braunScan = (await scansFrom('inbox', 2)).find((s) => s.source.originalName.includes('Braun'))!;
  assert.equal(braunScan.patient, null, 'no silent pick between two patients');
  const queue = await until('the identity review', async () => {
    const q = await api<{ reviews: Array<{ id: number; reason: string; scan: { uid: string }; candidates: Patient[] }>; open: number }>('GET', '/identity-reviews');
    return q.reviews.find((r) => r.scan.uid === braunScan.uid) ? q : undefined;
  });
  const braunReview = queue.reviews.find((r) => r.scan.uid === braunScan.uid)!;
  assert.equal(braunReview.reason, 'ambiguous');
  assert.deepEqual(braunReview.candidates.map((p) => p.id).sort(), [braun1.id, braun2.id].sort());

  // 7. Sources that disagree: the project file names one patient, the sidecar another.
  dropTree(folders.trios, 'case-x', {
    'case-x-upperjaw.stl': stl(70),
    'case-x.dentalProject': dentalProject({ last: 'Weber', first: 'Lena', birthday: '1975-05-06', dateTime: '2026-12-11T09:00:00Z' }),
    'cusp.json': JSON.stringify({ lastName: 'Vogel', firstName: 'Ida' }),
  }, staging);
  const conflictScan = (await scansFrom('trios', 5)).find((s) => s.source.originalName.startsWith('case-x'))!;
  assert.equal(conflictScan.patient, null);
  const conflictId = await identity(conflictScan.uid);
  assert.equal(conflictId.match, 'review');
  assert.deepEqual(conflictId.evidence.conflicts, [{ field: 'name', values: [{ source: 'dentalProject', value: 'Weber, Lena' }, { source: 'sidecar', value: 'Vogel, Ida' }] }]);
  await emptied(folders.trios);
  await emptied(folders.inbox);

  // A person decides: the Braun scan is the older Max Braun's; the conflicting case a new patient.
  const resolved = await api<{ patient: Patient; reviews: Array<{ state: string }> }>('POST', `/identity-reviews/${braunReview.id}/resolve`, { patient: braun1.id });
  assert.equal(resolved.reviews[0].state, 'resolved');
  assert.equal((await api<Scan>('GET', `/scans/${braunScan.uid}`)).patient, braun1.id);
  const created = await api<{ patient: Patient; created: boolean }>('POST', `/identity-reviews/${conflictId.review}/resolve`, { create: { lastName: 'Vogel', firstName: 'Ida' } });
  assert.equal(created.created, true);
  assert.equal((await api<Scan>('GET', `/scans/${conflictScan.uid}`)).patient, created.patient.id);
  assert.equal((await api<{ open: number }>('GET', '/identity-reviews')).open, 0);
  const again = await daemon.request('POST', `/api/v1/identity-reviews/${braunReview.id}/resolve`, { token, body: { patient: braun2.id } });
  assert.equal(again.status, 409, 'a resolved review is not decided twice');

  // Two records of one person are merged: scans and visits move, the duplicate is gone.
  const merged = await api<Patient & { moved: { scans: number } }>('POST', `/patients/${braun2.id}/merge`, { from: braun1.id });
  assert.equal(merged.moved.scans, 1);
  assert.equal((await api<Scan>('GET', `/scans/${braunScan.uid}`)).patient, braun2.id);
  assert.equal((await daemon.request('GET', `/api/v1/patients/${braun1.id}`, { token })).status, 404);
  const changes = await api<{ changes: Array<{ type: string; objectId: string; data: Record<string, unknown> }> }>('GET', '/changes?since=0&limit=1000');
  const types = changes.changes.map((c) => c.type);
  for (const type of ['patient.created', 'identity.review', 'identity.resolved', 'patient.merged']) assert.ok(types.includes(type), `change ${type} in the feed`);
  assert.doesNotMatch(JSON.stringify(changes), /Braun|Meier|Weber|Keller|Schulz|Vogel/, 'the change feed names no one');

  // Nothing is lost: every drop folder is empty, nothing quarantined; the audit trail holds.
  for (const f of Object.values(folders)) assert.deepEqual(filesBelow(f), [], `${f} is empty`);
  assert.equal((await scans()).length, 14, "4 iTero, 5 TRIOS, 3 Primescan, 2 inbox");
  assert.equal(await daemon.stop(), 0);
  const verify = await runCli(['audit', 'verify', '--config', daemon.configPath], { cwd: dir });
  assert.equal(verify.code, 0, verify.stderr);
  assert.doesNotMatch(daemon.output(), /Braun|Meier|Weber|Keller|Schulz|Vogel/, 'the log names no one');
});
