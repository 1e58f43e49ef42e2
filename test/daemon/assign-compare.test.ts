// The real daemon: a scan dropped without anything naming its patient is assigned through
// the API, and the comparison with that patient's earlier scan of the jaw then runs — the
// job is visible through the API and its result is there.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

const skip = !hasCorpus() && 'no corpus';
/** In this work's loopback range. */
const PORT = 47410;

function variant(tag: string): Buffer {
  const bytes = Buffer.from(corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'));
  bytes.fill(0x20, 0, 80);
  bytes.write(`cusp test ${tag}`, 0, 'ascii');
  return bytes;
}

interface ScanDto { uid: string; patient: string | null; status: string; jaw: string }

test('a scan dropped without a patient, assigned through the API, is compared with the patient\'s earlier scan of that jaw', { skip }, async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    port: PORT,
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: chairside\n    stabilitySeconds: 0.5\n`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const made = await runCli(['token', 'create', '--name', 'dr-weiss', '--role', 'clinician', '--user', '--config', daemon.configPath], { cwd: dir });
  assert.equal(made.code, 0, made.stderr);
  const token = made.stdout.trim();
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await daemon.request(method, `/api/v1${path}`, { token, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const scans = (query: string) => api<{ scans: ScanDto[] }>('GET', `/scans?${query}`).then((r) => r.scans);

  writeFileSync(join(inbox, 'Doe_Jane_2026-11-20_upper.stl'), variant('first visit'));
  const [earlier] = await until('the first visit analysed', async () => {
    const found = await scans('status=analysed');
    return found.length === 1 ? found : undefined;
  }, 90_000);
  assert.ok(earlier.patient);

  writeFileSync(join(inbox, 'export.stl'), variant('second visit, no name'));
  const [loose] = await until('the unnamed scan analysed, unassigned', async () => {
    const found = await scans('unassigned=true&status=analysed');
    return found.length === 1 ? found : undefined;
  }, 90_000);
  assert.equal(loose.patient, null);
  assert.deepEqual((await api<{ jobs: Array<{ kind: string }> }>('GET', `/jobs?scan=${loose.uid}`)).jobs.map((j) => j.kind).sort(), ['derive', 'validate']);

  const assigned = await api<{ patient: string; queued: Array<{ id: number; kind: string }> }>('PUT', `/scans/${loose.uid}/patient`,
    { patient: earlier.patient, jaw: 'upper', capturedAt: '2026-12-02' });
  assert.equal(assigned.patient, earlier.patient);
  assert.deepEqual(assigned.queued.map((j) => j.kind), ['compare']);

  const job = await until('the comparison job done', async () => {
    const { jobs } = await api<{ jobs: Array<{ id: number; kind: string; state: string; scan: string }> }>('GET', `/jobs?scan=${loose.uid}&kind=compare`);
    return jobs.find((j) => j.state === 'done' || j.state === 'failed');
  }, 120_000);
  assert.deepEqual([job.id, job.state, job.scan], [assigned.queued[0].id, 'done', loose.uid]);
  const detail = await api<{ status: string; reports: { comparison?: { previous: string; stats: { p95: number } } }; artifacts: Array<{ kind: string }> }>('GET', `/scans/${loose.uid}`);
  assert.equal(detail.reports.comparison?.previous, earlier.uid, 'compared with the earlier scan of that jaw');
  assert.ok(detail.reports.comparison!.stats.p95 < 0.05, 'the same tooth: next to no deviation');
  assert.ok(detail.artifacts.some((a) => a.kind === 'heatmap:deviation'), 'with its heat map');
  await until('the scan analysed again', async () => (await api<{ status: string }>('GET', `/scans/${loose.uid}`)).status === 'analysed', 60_000);
  const review = await api<{ visits: Array<{ date: string; deviationMm: { p95: number } | null }> }>('GET', '/review');
  assert.deepEqual(review.visits.map((v) => [v.date, v.deviationMm !== null]), [['2026-11-20', false], ['2026-12-02', true]], 'the review queue shows the new visit with its deviation');
  assert.deepEqual(readdirSync(inbox), [], 'the drop folder is empty');
});
