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

/**
 * The samples by `name{labels}`. The format ignores empty lines and the order of labels
 * (prom-client writes a bucket's `le` first): the key puts `le` last, as it was written
 * before, so a series has one key however a library orders its labels.
 */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = m[2] ? m[2].slice(1, -1).split(/,(?=[a-zA-Z_][a-zA-Z0-9_]*=")/) : [];
    const ordered = [...labels.filter((l) => !l.startsWith('le=')), ...labels.filter((l) => l.startsWith('le='))];
    samples.set(`${m[1]}${ordered.length ? `{${ordered.join(',')}}` : ''}`, Number(m[3]));
  }
  return samples;
}

/**
 * Each metric family declared once, HELP then TYPE, before its samples; a sample belongs
 * to the family declared last (a histogram's `_bucket`, `_sum`, `_count`, a counter's name).
 * Returns each family's type and its label names.
 */
function families(text: string): Map<string, { type: string; labels: Set<string> }> {
  const out = new Map<string, { type: string; labels: Set<string> }>();
  let current: string | undefined;
  let help: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const h = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ./.exec(line);
    if (h) {
      assert.ok(!out.has(h[1]), `${h[1]} is declared once`);
      help = h[1];
      continue;
    }
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t) {
      assert.equal(t[1], help, `TYPE ${t[1]} follows its HELP`);
      out.set(t[1], { type: t[2], labels: new Set() });
      current = t[1];
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m && current, `not a sample of a declared family: ${line}`);
    const family = out.get(current)!;
    const name = m[1];
    const ok = name === current || (family.type === 'histogram' && [`${current}_bucket`, `${current}_sum`, `${current}_count`].includes(name));
    assert.ok(ok, `${name} is a sample of ${current}`);
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (l[1] !== 'le') family.labels.add(l[1]);
  }
  return out;
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

/**
 * The names, types and label names of Cusp's metrics: the clinics' dashboards and alerts
 * are written against them. Renaming one breaks someone's alert — change this list only
 * with a note in the release.
 */
const CUSP_METRICS: Record<string, [string, string[]]> = {
  cusp_scans: ['gauge', ['status']],
  cusp_jobs: ['gauge', ['state']],
  cusp_queue_depth: ['gauge', []],
  cusp_jobs_running: ['gauge', []],
  cusp_job_workers_idle: ['gauge', []],
  cusp_wal_checkpoint_thread: ['gauge', []],
  cusp_wal_pending_frames: ['gauge', []],
  cusp_database_size_bytes: ['gauge', []],
  cusp_audit_head_seq: ['gauge', []],
  cusp_audit_head_info: ['gauge', ['seq', 'hash']],
  cusp_audit_checkpoint_seq: ['gauge', []],
  cusp_audit_checkpoint_info: ['gauge', []],
  cusp_audit_tamper_detected: ['gauge', []],
  cusp_ingest_paused: ['gauge', []],
  cusp_legal_holds: ['gauge', []],
  cusp_uptime_seconds: ['gauge', []],
  cusp_scans_received_total: ['counter', ['format']],
  cusp_scans_quarantined_total: ['counter', []],
  cusp_job_duration_seconds: ['histogram', ['kind', 'outcome']],
  cusp_http_request_duration_seconds: ['histogram', ['method', 'route', 'status']],
};

/** Gauges of parts a daemon runs only sometimes: exported once the part reports. */
const OPTIONAL_METRICS = ['cusp_audit_syslog_queued', 'cusp_audit_syslog_connected', 'cusp_audit_syslog_sent', 'cusp_audit_syslog_dropped',
  'cusp_disk_free_bytes', 'cusp_disk_min_free_bytes', 'cusp_database_integrity_ok', 'cusp_database_integrity_checked_timestamp_seconds',
  'cusp_database_integrity_check_seconds', 'cusp_scans_corrupt'];

test('the metric names, types and labels dashboards use stay; the process, event-loop lag and GC figures come with them', { skip }, async (t) => {
  const { DiskMonitor } = await import('../../src/store/disk-space.js');
  const { IntegrityChecker } = await import('../../src/store/integrity.js');
  const api = await apiStack(t, {
    services: (s) => ({
      disk: new DiskMonitor({ path: s.dataDir, floorBytes: 1024 * 1024, log: s.captured.logging.logger('store') }),
      integrity: new IntegrityChecker({ path: s.store.path, key: () => s.key, log: s.captured.logging.logger('store'), intervalMs: 0, firstAfterMs: 0 }),
    }),
  });
  api.services.disk!.check();
  const checked = await api.services.integrity!.runNow();
  assert.equal(checked.state, 'ok');
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), name: 'a_upper.stl', actor: 'system', source: 'import' });
  const validated = api.validated(scan.uid);
  api.dispatcher.start();
  await validated;
  await api.as('clinician').listScans();
  const text = await api.as('admin').metrics();
  const found = families(text);
  for (const [name, [type, labels]] of Object.entries(CUSP_METRICS)) {
    assert.equal(found.get(name)?.type, type, `${name} is a ${type}`);
    for (const label of labels) assert.ok(found.get(name)!.labels.has(label), `${name} has the label ${label}`);
  }
  for (const name of ['cusp_disk_free_bytes', 'cusp_disk_min_free_bytes', 'cusp_database_integrity_ok', 'cusp_database_integrity_checked_timestamp_seconds', 'cusp_database_integrity_check_seconds', 'cusp_scans_corrupt']) {
    assert.equal(found.get(name)?.type, 'gauge', `${name} is exported while its part reports`);
  }
  const m = parse(text);
  assert.equal(m.get('cusp_disk_free_bytes'), Math.max(0, api.services.disk!.status.freeBytes));
  assert.equal(m.get('cusp_disk_min_free_bytes'), 1024 * 1024);
  assert.equal(m.get('cusp_database_integrity_ok'), 1);
  assert.equal(m.get('cusp_database_integrity_checked_timestamp_seconds'), Math.round(Date.parse(checked.checkedAt!) / 1000));
  const cusp = [...found.keys()].filter((n) => n.startsWith('cusp_'));
  assert.deepEqual(cusp.filter((n) => !(n in CUSP_METRICS) && !OPTIONAL_METRICS.includes(n)), [], 'no Cusp metric appears that the list does not know');
  for (const [name, type] of [['process_resident_memory_bytes', 'gauge'], ['process_cpu_seconds_total', 'counter'], ['process_open_fds', 'gauge'],
    ['nodejs_eventloop_lag_seconds', 'gauge'], ['nodejs_eventloop_lag_p99_seconds', 'gauge'], ['nodejs_gc_duration_seconds', 'histogram'], ['nodejs_heap_size_used_bytes', 'gauge']]) {
    assert.equal(found.get(name)?.type, type, `${name} (prom-client's default metrics) is a ${type}`);
  }
  assert.ok(m.get('process_resident_memory_bytes')! > 10 * 2 ** 20, 'resident memory is the real figure');
});

test('a daemon without a syslog forwarder, disk monitor or integrity check exports none of their gauges (no fake zeros)', async (t) => {
  const api = await apiStack(t);
  const found = families(await api.as('admin').metrics());
  assert.deepEqual(OPTIONAL_METRICS.filter((n) => found.has(n)), []);
  assert.equal(found.get('cusp_scans')?.type, 'gauge');
});
