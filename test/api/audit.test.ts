// The audit trail through the API: reads of patient data are recorded with who, what and
// from where; auditors query, export and verify it; a changed event is found.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const skip = !hasCorpus() && 'no corpus';

async function withScan(t: Parameters<typeof apiStack>[0]) {
  const api = await apiStack(t);
  const name = 'Smith_John_2026-11-20_upper.stl';
  copyFileSync(corpusPath(TOOTH), join(api.inbox, name));
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, name), relativePath: name, firstSeenMs: Date.now() });
  const uid = (outcome as { scans: Array<{ uid: string }> }).scans[0].uid;
  const id = (role: string) => api.store.principals.getByName(`test-${role}`)!.id;
  return { ...api, uid, id };
}

test('reads of patient data are audit events with who, what and where; auditors query them by action, family, actor, object and time', { skip }, async (t) => {
  const api = await withScan(t);
  await api.as('clinician').getScan(api.uid);
  await api.as('integration').downloadOriginal(api.uid);
  await api.as('clinician').listScans();

  const auditor = api.as('auditor');
  const reads = await auditor.queryAudit({ action: 'scan.read' });
  assert.equal(reads.events.length, 1);
  assert.deepEqual(
    { actor: reads.events[0].actor, object: reads.events[0].object, source: reads.events[0].source, outcome: reads.events[0].outcome },
    { actor: `principal:${api.id('clinician')}`, object: `scan:${api.uid}`, source: '127.0.0.1', outcome: 'success' },
  );
  const family = await auditor.queryAudit({ action: 'scan.*' });
  assert.deepEqual(family.events.map((e) => e.action), ['scan.ingest', 'scan.read', 'scan.download', 'scan.list']);
  const byObject = await auditor.queryAudit({ object: `scan:${api.uid}` });
  assert.deepEqual(byObject.events.map((e) => e.action), ['scan.ingest', 'scan.read', 'scan.download']);
  const byActor = await auditor.queryAudit({ actor: `principal:${api.id('integration')}` });
  assert.deepEqual(byActor.events.map((e) => e.action), ['scan.download']);
  const future = await auditor.queryAudit({ from: '2999-01-01' });
  assert.deepEqual(future.events, []);
  const today = new Date().toISOString().slice(0, 10);
  assert.ok((await auditor.queryAudit({ from: today, action: 'scan.*' })).events.length === 4);

  const page1 = await auditor.queryAudit({ limit: 2 });
  assert.equal(page1.events.length, 2);
  const page2 = await auditor.queryAudit({ limit: 2, since: page1.next! });
  assert.equal(page2.events[0].seq, page1.events[1].seq + 1, 'pages continue without gaps');

  const queries = await auditor.queryAudit({ action: 'audit.query' });
  assert.ok(queries.events.length >= 6, 'querying the trail is itself in the trail');
  assert.equal(queries.events[0].actor, `principal:${api.id('auditor')}`);
  assert.deepEqual(queries.events[0].details.filter, { since: 0, action: 'scan.read' });
  await assert.rejects(api.as('clinician').queryAudit(), (e: ApiError) => e.status === 403);
});

test('an auditor exports the trail as FHIR NDJSON and syslog lines that match the chain', { skip }, async (t) => {
  const api = await withScan(t);
  await api.as('clinician').getScan(api.uid);
  const auditor = api.as('auditor');
  const res = await auditor.send('GET', '/audit/export', { query: { format: 'fhir' } });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+ndjson/);
  const resources = (res.body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { resourceType: string; subtype: Array<{ code: string }>; extension: Array<{ extension: Array<{ valueString?: string; valueInteger?: number }> }>; source: { observer: { identifier: { value: string } } } });
  const chain = api.audit.events(0, 100);
  assert.deepEqual(resources.map((r) => r.subtype[0].code), chain.map((e) => e.action).slice(0, resources.length));
  assert.ok(resources.every((r) => r.resourceType === 'AuditEvent' && r.source.observer.identifier.value === api.store.meta.get('instance_id')));
  assert.equal(resources[1].extension[0].extension[1].valueString, chain[1].hash);

  const syslog = await auditor.exportAudit('syslog', 1);
  const lines = syslog.trim().split('\n');
  assert.match(lines[0], /^<85>1 \S+ \S+ cusp - scan\.read \[origin software="cusp" swVersion="0\.0\.0-test"\]\[cusp-audit@32473 seq="2" /);
  const exports = await auditor.queryAudit({ action: 'audit.export' });
  assert.deepEqual(exports.events.map((e) => e.details.format), ['fhir', 'syslog']);
});

test('verify reports an intact chain, and names the event an attacker changed', { skip }, async (t) => {
  const api = await withScan(t);
  await api.as('clinician').getScan(api.uid);
  api.audit.checkpoint();
  const ok = await api.as('auditor').verifyAudit();
  assert.equal(ok.ok, true);
  assert.equal(ok.events, api.audit.head()!.seq - 1, 'every event before the verify itself was checked');
  assert.ok(ok.checkpoints >= 1);

  // An attacker with the database key drops the guard trigger and hides who read the scan.
  dbOf(api.store).exec('DROP TRIGGER audit_events_no_update');
  dbOf(api.store).prepare("UPDATE audit_events SET actor = 'system' WHERE action = 'scan.read'").run();
  const readSeq = (dbOf(api.store).prepare("SELECT seq FROM audit_events WHERE action = 'scan.read'").get() as { seq: number }).seq;
  const broken = await api.as('admin').verifyAudit();
  assert.equal(broken.ok, false);
  assert.equal(broken.problems[0].seq, readSeq);
  assert.match(broken.problems[0].message, /changed after it was written/);
  const recorded = dbOf(api.store).prepare("SELECT outcome FROM audit_events WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1").get() as { outcome: string };
  assert.equal(recorded.outcome, 'failure');
});

test('a long verification reports its progress on the event stream, answers other requests meanwhile, and shows in /audit/status', async (t) => {
  const api = await apiStack(t);
  // 120,000 events: about a second of checking.
  api.store.transaction(() => {
    for (let i = 0; i < 120_000; i++) api.audit.append({ actor: 'system', action: 'test.fill', object: `thing:${i}` });
  });
  const before = await api.as('auditor').auditStatus();
  assert.equal(before.lastVerification, null);
  assert.equal(before.verifying, null);
  assert.ok(before.head && before.head.seq >= 120_000, JSON.stringify(before));

  const sub = await api.as('admin').events();
  t.after(() => sub.close());
  const progress: Array<{ done: number; total: number }> = [];
  const reading = (async () => {
    for await (const e of sub) {
      if (e.event !== 'audit.verify.progress') continue;
      const p = e.data as { done: number; total: number };
      progress.push(p);
      if (p.done === p.total) return;
    }
  })();
  const verifying = api.as('auditor').verifyAudit();
  // Served while the verification runs (it checks a page of events per turn of the event loop).
  let during: Awaited<ReturnType<ReturnType<typeof api.as>['auditStatus']>> | undefined;
  for (let i = 0; i < 200 && !during?.verifying; i++) during = await api.as('auditor').auditStatus();
  assert.ok(during?.verifying, 'a status request was answered during the verification');
  assert.ok(during.verifying.done < during.verifying.total);
  const result = await verifying;
  await reading;
  sub.close();
  assert.equal(result.ok, true);
  assert.ok(progress.length >= 2, `progress events: ${JSON.stringify(progress)}`);
  assert.ok(progress[0].done < progress[0].total, 'a first event mid-way');
  assert.deepEqual(progress[progress.length - 1], { done: result.events, total: result.events });

  const after = await api.as('auditor').auditStatus();
  assert.deepEqual(after.lastVerification && { ok: after.lastVerification.ok, events: after.lastVerification.events }, { ok: true, events: result.events });
  assert.equal(after.verifying, null);
  await assert.rejects(api.as('clinician').auditStatus(), (err: ApiError) => err.status === 403);
});
