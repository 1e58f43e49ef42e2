// The feeds speak the API's ids: a patient that ingest creates is a `patient.created`
// change like one made through the API; SSE job events name the scan by uid and its patient
// by pseudonymous id, never a row id; signed links are absolute when api.publicUrl is set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventSubscription, ServerEvent } from '../../src/api/sse-reader.js';
import { configSchema } from '../../src/config/index.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';

async function collect(sub: EventSubscription, stop: (e: ServerEvent) => boolean): Promise<ServerEvent[]> {
  const all: ServerEvent[] = [];
  const timer = setTimeout(() => sub.close(), 60_000);
  try {
    for await (const e of sub) {
      all.push(e);
      if (stop(e)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return all;
}

test('a patient created by ingest is a patient.created change, before its scan, like one made through the API', { skip }, async (t) => {
  const api = await apiStack(t);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'Doe_Jane_2026-11-20_upper.stl', actor: 'system', source: 'import' });
  const byApi = await api.as('clinician').createPatient({ lastName: 'Roe' });
  const pseudo = api.store.patients.pseudoIdOf(scan.patientId!)!;
  const { changes } = await api.as('integration').call<{ changes: Array<{ type: string; objectId: string; data: Record<string, unknown> }> }>('GET', '/changes');
  // The visit of the scan's day too, between its patient and the scan.
  assert.deepEqual(changes.map((c) => [c.type, c.objectId]), [['patient.created', pseudo], ['visit.created', String(scan.visitId)], ['scan.received', scan.uid], ['patient.created', byApi.id]]);
  assert.deepEqual(changes[0].data, { by: 'ingest' });
  assert.deepEqual(changes[1].data, { patient: pseudo, by: 'ingest' });
  // The same scan's patient again (another jaw): no second patient.created.
  await api.ingest.ingestBytes({ bytes: corpusBytes('dental/openfulljaw_P26_mandible_tooth24_incisor.stl'), name: 'Doe_Jane_2026-11-20_lower.stl', actor: 'system', source: 'import' });
  const created = dbOf(api.store).prepare("SELECT object_id FROM changes WHERE type = 'patient.created'").all();
  assert.equal(created.length, 2);
});

test('a visit made by assigning a scan to a day the patient has none is a visit.created change too', { skip }, async (t) => {
  const api = await apiStack(t);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'scan.stl', actor: 'system', source: 'import' });
  assert.equal(scan.patientId, null);
  const patient = await api.as('clinician').createPatient({ lastName: 'Roe' });
  await api.as('clinician').call('PUT', `/scans/${scan.uid}/patient`, { body: { patient: patient.id, jaw: 'upper', capturedAt: '2026-12-05' } });
  const visit = api.store.scans.get(scan.id)!.visitId;
  const { changes } = await api.as('integration').call<{ changes: Array<{ type: string; objectId: string; data: Record<string, unknown> }> }>('GET', '/changes');
  assert.deepEqual(changes.filter((c) => c.type === 'visit.created').map((c) => [c.objectId, c.data]), [[String(visit), { patient: patient.id, by: 'assignment' }]]);
  assert.ok(changes.findIndex((c) => c.type === 'visit.created') < changes.findIndex((c) => c.type === 'scan.assigned'), 'the visit before the scan that joins it');
});

test('SSE job events carry the scan uid and the patient pseudoId, never the internal scanId, for every role', { skip }, async (t) => {
  const api = await apiStack(t);
  const clinician = await api.as('clinician').events();
  const auditor = await api.as('auditor').events();
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'Doe_Jane_2026-11-20_upper.stl', actor: 'system', source: 'import' });
  const pseudo = api.store.patients.pseudoIdOf(scan.patientId!)!;
  api.dispatcher.start();
  const finished = (e: ServerEvent) => e.event === 'job.finished' && (e.data as { kind: string }).kind === 'validate';
  const [seen, audited] = await Promise.all([collect(clinician, finished), collect(auditor, finished)]);
  clinician.close();
  auditor.close();
  for (const events of [seen, audited]) {
    const jobs = events.filter((e) => e.event.startsWith('job.'));
    assert.ok(jobs.some((e) => e.event === 'job.started') && jobs.some((e) => e.event === 'job.finished'), events.map((e) => e.event).join(' '));
    for (const e of jobs) {
      const data = e.data as Record<string, unknown>;
      assert.equal(data.scanId, undefined, `${e.event} has no internal id: ${JSON.stringify(data)}`);
      assert.deepEqual([data.scan, data.patient], [scan.uid, pseudo], e.event);
    }
  }
});

test('signed links are absolute below api.publicUrl when it is set, and still work', { skip }, async (t) => {
  const api = await apiStack(t, {
    services: (s) => ({ config: configSchema.parse({ dataDir: s.dataDir, folders: [{ path: s.inbox, name: 'inbox' }], api: { publicUrl: 'https://cusp.clinic.lan:8443/' } }) }),
  });
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'x_upper.stl', actor: 'system', source: 'import' });
  const link = await api.as('clinician').createLink(scan.uid, 'original', 60);
  assert.match(link.url, new RegExp(`^https://cusp\\.clinic\\.lan:8443/api/v1/links/${scan.uid}/original\\?exp=\\d+&by=principal%3A\\d+&sig=[\\w-]{43}$`));
  assert.deepEqual(await api.as(null).openLink(link.url), corpusBytes(TOOTH), 'the absolute link downloads the file');

  const proxied = await apiStack(t, {
    services: (s) => ({ config: configSchema.parse({ dataDir: s.dataDir, folders: [{ path: s.inbox, name: 'inbox' }], api: { publicUrl: 'https://clinic.example/cusp' } }) }),
  });
  const other = (await proxied.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'y_upper.stl', actor: 'system', source: 'import' })).scan;
  assert.match((await proxied.as('clinician').createLink(other.uid, 'original', 60)).url, /^https:\/\/clinic\.example\/cusp\/api\/v1\/links\//, 'a path in publicUrl is kept');
});
