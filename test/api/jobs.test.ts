// Jobs through the typed client against the real dispatcher: list with filters and pages,
// detail, cancel (admin only) and retry (admin, clinician, integration) — a retried job really runs again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';

function isError(res: { status: number; body: unknown }, status: number, code: string, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as { error: { code: string; message: string } };
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
}

test('jobs: list by state, kind and scan in pages; read one; bad filters are 400s', { skip }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('integration');
  const uids: string[] = [];
  for (const file of ['dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', 'stl/7_8ths_cube.stl', 'ply/fuze.ply']) {
    uids.push((await api.ingest.ingestBytes({ bytes: corpusBytes(file), name: file.split('/').pop()!, actor: 'system', source: 'import' })).scan.uid);
  }
  const all = await c.listJobs();
  assert.deepEqual(all.jobs.map((j) => [j.kind, j.state, j.scan]), [['validate', 'queued', uids[2]], ['validate', 'queued', uids[1]], ['validate', 'queued', uids[0]]], 'newest first');
  assert.equal(all.next, null);
  const page1 = await c.listJobs({ limit: 2 });
  const page2 = await c.listJobs({ limit: 2, cursor: page1.next! });
  assert.deepEqual([...page1.jobs, ...page2.jobs].map((j) => j.id), all.jobs.map((j) => j.id));
  assert.equal(page2.next, null);
  assert.deepEqual((await c.listJobs({ scan: uids[1] })).jobs.map((j) => j.scan), [uids[1]]);
  assert.deepEqual((await c.listJobs({ state: 'done' })).jobs, []);
  assert.equal((await c.listJobs({ kind: 'validate', state: 'queued' })).jobs.length, 3);
  assert.deepEqual((await c.listJobs({ scan: '6f1c2d0e-0000-4000-8000-000000000000' })).jobs, []);
  const one = await c.getJob(all.jobs[0].id);
  assert.deepEqual([one.kind, one.state, one.attempts, one.maxAttempts, one.progress], ['validate', 'queued', 0, 3, 0]);

  isError(await c.send('GET', '/jobs', { query: { state: 'stuck' } }), 400, 'invalid_input', /query\.state/);
  isError(await c.send('GET', '/jobs', { query: { kind: '../x' } }), 400, 'invalid_input', /query\.kind: must be a job kind/);
  isError(await c.send('GET', '/jobs', { query: { scan: '1' } }), 400, 'invalid_input', /query\.scan: must be a scan uid/);
  isError(await c.send('GET', '/jobs', { query: { cursor: 'abc' } }), 400, 'invalid_input', /not a cursor this API gave out/);
  isError(await c.send('GET', '/jobs', { query: { limit: '0' } }), 400, 'invalid_input', /query\.limit/);
  isError(await c.send('GET', '/jobs/abc'), 400, 'invalid_input', /path\.id: must be a job id/);
  isError(await c.send('GET', '/jobs/999999'), 404, 'not_found', /no job 999999/);
  isError(await api.as('auditor').send('GET', '/jobs'), 403, 'forbidden', /auditor/);

  const integration = `principal:${api.store.principals.getByName('test-integration')!.id}`;
  assert.deepEqual(dbOf(api.store).prepare("SELECT actor, object, source FROM audit_events WHERE action = 'job.read'").all(), [{ actor: integration, object: `job:${one.id}`, source: '127.0.0.1' }]);
});

test('jobs: only an admin cancels, the clinical roles retry; a cancelled job retried runs to the end; a failed one is retried with attempts reset', { skip }, async (t) => {
  const api = await apiStack(t);
  const admin = api.as('admin');
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes('stl/7_8ths_cube.stl'), name: 'cube.stl', actor: 'system', source: 'import' });
  const [job] = (await admin.listJobs({ scan: scan.uid })).jobs;

  await assert.rejects(api.as('clinician').cancelJob(job.id), (e: ApiError) => e.status === 403 && /clinician role may not POST \/jobs\/:id\/cancel/.test(e.message));
  await assert.rejects(api.as('auditor').retryJob(job.id), (e: ApiError) => e.status === 403);
  await assert.rejects(api.as('integration').retryJob(job.id), (e: ApiError) => e.status === 409, 'the clinical roles may retry (this one is queued still)');
  await assert.rejects(admin.retryJob(job.id), (e: ApiError) => e.status === 409 && /job \d+ is queued — only a failed or cancelled job can be retried/.test(e.message));
  assert.equal((await admin.cancelJob(job.id)).state, 'cancelled');
  await assert.rejects(admin.cancelJob(job.id), (e: ApiError) => e.status === 409 && /is cancelled — only a queued or running job can be cancelled/.test(e.message));
  await assert.rejects(admin.cancelJob(999999), (e: ApiError) => e.status === 404);

  const validated = api.validated(scan.uid);
  api.dispatcher.start();
  const retried = await admin.retryJob(job.id);
  assert.deepEqual([retried.state, retried.attempts, retried.error, retried.finishedAt], ['queued', 0, null, null]);
  assert.equal((await validated).status, 'validated', 'the retried job ran');
  assert.equal((await admin.getJob(job.id)).state, 'done');

  const finished = (id: number) => new Promise<string>((resolve) => {
    const off = api.bus.on('job.finished', (e) => {
      if (e.jobId === id && e.state !== 'queued') {
        off();
        resolve(e.state);
      }
    });
  });
  const doomed = api.store.jobs.enqueue('no-such-kind', null);
  const failed = finished(doomed.id);
  api.dispatcher.notify();
  assert.equal(await failed, 'failed');
  const before = await admin.getJob(doomed.id);
  assert.deepEqual([before.state, before.attempts], ['failed', 1]);
  assert.match(before.error!, /no handler for job kind 'no-such-kind'/);
  const failedAgain = finished(doomed.id);
  const requeued = await admin.retryJob(doomed.id);
  assert.deepEqual([requeued.state, requeued.attempts, requeued.error], ['queued', 0, null]);
  assert.equal(await failedAgain, 'failed', 'the dispatcher was told and ran it again');
  assert.equal((await admin.getJob(doomed.id)).attempts, 1);

  const adminActor = `principal:${api.store.principals.getByName('test-admin')!.id}`;
  const rows = dbOf(api.store).prepare("SELECT actor, action, object, source FROM audit_events WHERE action IN ('job.cancel', 'job.retry') ORDER BY seq").all();
  assert.deepEqual(rows, [
    { actor: adminActor, action: 'job.cancel', object: `job:${job.id}`, source: '127.0.0.1' },
    { actor: adminActor, action: 'job.retry', object: `job:${job.id}`, source: '127.0.0.1' },
    { actor: adminActor, action: 'job.retry', object: `job:${doomed.id}`, source: '127.0.0.1' },
  ]);
});
