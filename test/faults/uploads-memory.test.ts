// Uploads stream to disk: the real daemon takes concurrent 1 GiB uploads (streamed from a
// generator — the test never holds one either) within 300 MB of its idle memory, refuses
// the ones over api.maxConcurrentUploads with a 503 before reading them, keeps answering
// /health, leaves no temp file behind (nor one a kill left: removed at start), and stores a
// valid scan sent afterwards byte for byte.
// Before: three parallel 1 GiB uploads took the daemon from 153 MB to 9.4 GB.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon, writeConfig, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { binaryStl, noise, streamUpload, type StreamedUpload, type UploadTarget } from '../helpers/upload-stream.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger } from './harness.js';

const GIB = 1 << 30;
const MB = 1e6;
const skip = !hasCorpus() && 'no corpus';

/** The daemon's resident memory now and its high-water mark, in bytes (/proc/<pid>/status). */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * Samples the daemon's memory and its /health every 100 ms until stopped. The peak is the
 * highest sample, or the kernel's high-water mark when that rose above its idle value (a
 * peak between two samples).
 */
function watch(daemon: RunningDaemon) {
  const pid = daemon.child.pid!;
  const idle = memory(pid);
  let maxRss = idle.rss;
  const health: number[] = [];
  let inFlight = false;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, memory(pid).rss);
    if (inFlight) return;
    inFlight = true;
    daemon.request('GET', '/api/v1/health').then((r) => health.push(r.status), () => health.push(0)).finally(() => (inFlight = false));
  }, 100);
  return {
    idle: idle.rss,
    /** The highest sample so far. */
    peakSoFar: () => Math.max(maxRss, memory(pid).rss),
    stop() {
      clearInterval(timer);
      const end = memory(pid);
      const peak = Math.max(maxRss, end.hwm > idle.hwm ? end.hwm : 0);
      return { idle: idle.rss, peak, health };
    },
  };
}

async function start(t: TestContext, port: number, maxConcurrentUploads: number) {
  const dir = tempDir(t, 'cusp-uploads-');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const configPath = writeConfig(dir, port, `store:\n  keyFile: ${keyFile}\n`);
  // What a kill in the middle of an upload leaves behind: removed at the next start.
  mkdirSync(join(dir, 'data', 'uploads'), { recursive: true });
  writeFileSync(join(dir, 'data', 'uploads', 'killed.part'), 'plaintext of an interrupted upload');
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('api:\n', `api:\n  maxConcurrentUploads: ${maxConcurrentUploads}\n`));
  const daemon = await startDaemon(dir, { configPath, port });
  t.after(() => daemon.stop('SIGKILL'));
  assert.deepEqual(readdirSync(join(dir, 'data', 'uploads')), [], 'the leftover of a killed upload is removed at start');
  assert.match(daemon.output(), /removed 1 temp file\(s\) of uploads a stop interrupted/);
  const token = (await runCli(['token', 'create', '--name', 'pms', '--role', 'clinician', '--config', configPath], { cwd: dir })).stdout.trim();
  const target: UploadTarget = { url: `https://127.0.0.1:${port}`, ca: readFileSync(join(dir, 'data', 'tls', 'ca.crt')), token };
  const uploads = join(dir, 'data', 'uploads');
  const tempFiles = () => { try { return readdirSync(uploads).length; } catch { return 0; } };
  // Let start-up settle (first requests compile their code paths) before idle is measured.
  for (let i = 0; i < 5; i++) await assertAnswers(daemon);
  await new Promise((r) => setTimeout(r, 2000));
  return { dir, key, configPath, daemon, target, tempFiles, places: { dbPath: join(dir, 'data', 'cusp.db'), key, dropDirs: [], quarantineDirs: [] } };
}

test('concurrent 1 GiB uploads of garbage: within 300 MB of idle, the extras get 503, no temp file stays, a valid scan afterwards is stored', { skip, timeout: 900_000 }, async (t) => {
  const { daemon, target, tempFiles, places, configPath, dir } = await start(t, 19311, 3);
  const memo = watch(daemon);

  // Three 1 GiB bodies (the limit, declared) take the three slots.
  const big = [1, 2, 3].map((seed) => streamUpload(target, `upper-${seed}.stl`, noise(seed, GIB), { size: GIB }));
  await until('three uploads streaming to temp files', () => tempFiles() === 3, 120_000);
  // Two more while they run: refused at once, before their bodies are read.
  const extra = await Promise.all([4, 5].map((seed) => streamUpload(target, `lower-${seed}.stl`, noise(seed, GIB), { size: GIB })));
  for (const r of extra) {
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.error?.code, 'unavailable');
    assert.match(r.body.error!.message, /3 uploads are running, as many as this server takes at once \(api\.maxConcurrentUploads\) — send the file again in 30 seconds/);
    assert.equal(r.headers['retry-after'], '30');
    assert.equal(r.headers.connection, 'close');
    assert.ok(r.sent < GIB / 4, `the client stopped sending after ${r.sent} bytes, not the whole body`);
  }
  const done = await Promise.all(big);
  for (const r of done) {
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.error?.code, 'mesh_rejected');
    assert.match(r.body.error!.message, /upper-\d\.stl: header says \d+ triangles .* but the file has 1073741824 bytes|upper-\d\.stl is truncated: header says/);
  }
  assert.equal(tempFiles(), 0, 'every temp file removed');

  // A valid scan afterwards is taken in and stored byte for byte.
  const ledger = new Ledger();
  const tooth = corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl');
  ledger.add('upper.stl', tooth);
  const ok = await streamUpload(target, 'upper.stl', [tooth]);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const { idle, peak, health } = memo.stop();
  t.diagnostic(`daemon RSS idle ${(idle / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB (+${((peak - idle) / MB).toFixed(0)} MB) over 3 × 1 GiB uploads and 2 refused; ${health.length} health checks`);
  assert.ok(peak - idle <= 300 * MB, `peak ${(peak / MB).toFixed(0)} MB is more than 300 MB over idle ${(idle / MB).toFixed(0)} MB`);
  assert.ok(health.length > 10 && health.every((s) => s === 200), `health answered ${[...new Set(health)].join(', ')} during the uploads`);
  assert.equal(tempFiles(), 0);
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0);
  assertNothingLost(ledger, places);
  await assertAuditIntact(configPath, dir);
});

test('three concurrent valid 300 MB binary STL uploads: stored with their SHA-256, memory figures reported', { skip, timeout: 900_000 }, async (t) => {
  const { daemon, target, tempFiles, places, configPath, dir } = await start(t, 19312, 3);
  const memo = watch(daemon);
  const triangles = 6_000_000; // 300 MB each
  // The first stored scan's validation job starts while the others are still stored: the
  // peak before the first answer is the uploads' alone.
  let beforeFirst = 0;
  const results: StreamedUpload[] = await Promise.all([1, 2, 3].map((seed) => streamUpload(target, `scan-${seed}.stl`, binaryStl(seed, triangles), { size: 84 + 50 * triangles })
    .then((r) => { beforeFirst ||= memo.peakSoFar(); return r; })));
  const { idle, peak, health } = memo.stop();
  t.diagnostic(`daemon RSS idle ${(idle / MB).toFixed(0)} MB; peak ${(beforeFirst / MB).toFixed(0)} MB (+${((beforeFirst - idle) / MB).toFixed(0)} MB) until the first 300 MB STL was stored, ${(peak / MB).toFixed(0)} MB (+${((peak - idle) / MB).toFixed(0)} MB) until the third was, with the first one's validation job running; ${health.length} health checks`);
  const ledger = new Ledger();
  for (const [i, r] of results.entries()) {
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.scan?.size, 84 + 50 * triangles);
    ledger.landed.set(r.sha256, `scan-${i + 1}.stl`);
  }
  assert.equal(new Set(results.map((r) => r.sha256)).size, 3);
  assert.equal(tempFiles(), 0, 'every temp file removed');
  assert.ok(health.every((s) => s === 200), `health answered ${[...new Set(health)].join(', ')} during the uploads`);
  // The validation job of a 300 MB mesh needs the mesh in memory whatever uploads do (the
  // jobs' budget, not the uploads'): the bound is asserted on the uploads alone.
  assert.ok(beforeFirst - idle <= 300 * MB, `peak ${(beforeFirst / MB).toFixed(0)} MB is more than 300 MB over idle ${(idle / MB).toFixed(0)} MB`);
  await daemon.stop();
  assert.deepEqual([...assertNothingLost(ledger, places).values()], ['stored', 'stored', 'stored']);
  await assertAuditIntact(configPath, dir);
});
