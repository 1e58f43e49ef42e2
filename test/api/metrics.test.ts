// GET /metrics in the Prometheus text format: scans by status, jobs, queue, job and
// request durations, database size and the audit head, after real work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';

const skip = !hasCorpus() && 'no corpus';

/** Every sample line: `name{labels} value` (exposition format 0.0.4). */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|\+Inf|-Inf|NaN)$/;

function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

test('metrics count scans, jobs and requests as they happen, in the Prometheus text format', { skip }, async (t) => {
  const api = await apiStack(t);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), name: 'a_upper.stl', actor: 'system', source: 'import' });
  const validated = api.validated(scan.uid);
  api.dispatcher.start();
  await validated;
  for (let i = 0; i < 3; i++) await api.as('clinician').getScan(scan.uid);
  await assert.rejects(api.as('clinician').getScan('3f1c2a9e-0000-4000-8000-000000000000'), (e: ApiError) => e.status === 404);

  const res = await api.as('admin').send('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const text = (res.body as Buffer).toString('utf8');
  for (const [name, type] of [['cusp_scans', 'gauge'], ['cusp_jobs', 'gauge'], ['cusp_queue_depth', 'gauge'], ['cusp_job_duration_seconds', 'histogram'], ['cusp_http_request_duration_seconds', 'histogram'], ['cusp_database_size_bytes', 'gauge'], ['cusp_audit_head_seq', 'gauge']]) {
    assert.match(text, new RegExp(`^# HELP ${name} .+\n# TYPE ${name} ${type}$`, 'm'), `${name} is declared as a ${type}`);
  }
  const m = parse(text);
  assert.equal(m.get('cusp_scans{status="validated"}'), 1);
  assert.equal(m.get('cusp_scans{status="received"}'), 0);
  assert.equal(m.get('cusp_jobs{state="done"}'), api.store.jobs.counts().done);
  assert.equal(m.get('cusp_queue_depth'), api.store.jobs.counts().queued);
  assert.equal(m.get('cusp_job_duration_seconds_count{kind="validate",outcome="done"}'), 1);
  assert.ok(m.get('cusp_job_duration_seconds_sum{kind="validate",outcome="done"}')! > 0);
  assert.equal(m.get('cusp_http_request_duration_seconds_count{method="GET",route="/api/v1/scans/:uid",status="200"}'), 3, 'labelled by the route template, never the uid');
  assert.equal(m.get('cusp_http_request_duration_seconds_count{method="GET",route="/api/v1/scans/:uid",status="404"}'), 1);
  assert.equal(m.get('cusp_http_request_duration_seconds_bucket{method="GET",route="/api/v1/scans/:uid",status="200",le="+Inf"}'), 3);
  assert.ok(!text.includes(scan.uid));
  assert.equal(m.get('cusp_scans_received_total{format="stl"}'), 1);
  assert.equal(m.get('cusp_audit_head_seq'), api.audit.head()!.seq);
  assert.ok(m.get('cusp_database_size_bytes')! >= 4096 * 10);
  assert.equal(m.get('cusp_wal_checkpoint_thread'), 1, 'checkpoints run on their own thread, as in the daemon');
  assert.equal(m.get('cusp_wal_pending_frames'), api.services.checkpointer!.stats.wal.lag);
  assert.equal(m.get('cusp_job_workers_idle'), api.dispatcher.workers().idle);
  assert.ok(m.get('cusp_job_workers_idle')! >= 1, 'the validate worker waits warm for the next job');
  await assert.rejects(api.as('auditor').metrics(), (e: ApiError) => e.status === 403);
});
