// Fault: the data folder's disk fills up (a real tmpfs of 64 MB under the data folder; the
// drop folder is outside it). Before: SQLITE_FULL in JobRepository.setProgress crashed the
// daemon, and neither a restart nor `cusp audit verify` worked until space was freed. Now:
// ingest waits (files stay in the drop folder), the API answers with health degraded,
// jobs wait, `cusp audit verify` works, and everything resumes by itself once the disk is
// made bigger. A second case: the free-space floor stops ingest before the disk is full.
// Needs root to mount; skipped with a message otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { until } from '../helpers/until.js';
import { gridStl } from './grid-stl.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, smallDisk } from './harness.js';

interface Health { status: string; checks: Record<string, string>; problems?: string[] }

interface Setup {
  dir: string;
  data: string;
  inbox: string;
  key: Buffer;
  daemon: RunningDaemon;
  token: string;
  ledger: Ledger;
}

/** A daemon whose data folder is a small tmpfs (64 MB); undefined (test skipped) when mounting is impossible. */
async function setup(t: TestContext, minFreeMegabytes: number, size = '64m'): Promise<Setup | undefined> {
  const disk = smallDisk(t, 'cusp-fault-disk-', size);
  if (!disk) return undefined;
  const { dir, data, running } = disk;
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\n  minFreeMegabytes: ${minFreeMegabytes}\n  integrityCheckHours: 0\njobs:\n  concurrency: 1\nfolders:\n  - path: ${inbox}\n    name: trios-share\n    stabilitySeconds: 0.5\n    rescanMinutes: 0.1\n`,
  });
  running.daemon = daemon;
  const token = (await runCli(['token', 'create', '--name', 'it', '--role', 'admin', '--config', daemon.configPath], { cwd: dir })).stdout.trim();
  return { dir, data, inbox, key, daemon, token, ledger: new Ledger() };
}

function drop(s: Setup, count: number, first: number): void {
  for (let i = first; i < first + count; i++) {
    const name = `Voll_Platte${i}_2026-11-2${i % 10}_upper.stl`;
    const bytes = gridStl(300, 100 + i); // 9 MB each
    s.ledger.add(name, bytes);
    writeFileSync(join(s.inbox, name), bytes);
  }
}

/**
 * GET /health. Once more on a reset socket: Node 20's global agent keeps sockets alive, and
 * one the daemon closed as idle (keepAliveTimeout) while the test generated scans can be
 * picked for the next request ("socket hang up") — a client race, not the daemon's answer.
 */
async function health(d: RunningDaemon): Promise<Health> {
  try {
    return (await d.request('GET', '/api/v1/health')).body as Health;
  } catch (err) {
    if (!/socket hang up|ECONNRESET/.test((err as Error).message)) throw err;
    return (await d.request('GET', '/api/v1/health')).body as Health;
  }
}
const scanCount = async (s: Setup) => ((await s.daemon.request('GET', '/api/v1/scans?limit=100', { token: s.token })).body as { scans?: unknown[] }).scans?.length;

/** The daemon's last error lines, to say why an answer failed. */
const daemonErrors = (s: Setup) => s.daemon.output().split('\n').filter((l) => /"level":"error"/.test(l)).slice(-3).join('\n');

/** Write zeros into `path` until the disk refuses one more byte. */
function fillToTheLastByte(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1048576, 4096, 1]) {
      const block = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Make the tmpfs bigger: space comes back without anyone touching Cusp. */
const grow = (s: Setup) => execFileSync('mount', ['-o', 'remount,size=256m', s.data]);

/** Every job ends done (none failed for lack of space) and every landed file is stored. */
async function assertResumed(s: Setup): Promise<void> {
  const { daemon, ledger } = s;
  await until('every dropped file to be stored and the drop folder to empty', async () => readdirSync(s.inbox).length === 0 && (await scanCount(s)) === ledger.size, 120_000);
  await until('health to be ready again', async () => (await health(daemon)).status === 'ready', 60_000);
  await until('every job to finish', async () => {
    const res = await daemon.request('GET', '/api/v1/metrics', { token: s.token });
    const text = String(res.body);
    const queued = /^cusp_jobs\{state="queued"\} (\d+)$/m.exec(text)?.[1];
    const running = /^cusp_jobs\{state="running"\} (\d+)$/m.exec(text)?.[1];
    return queued === '0' && running === '0';
  }, 180_000);
  const failed = /^cusp_jobs\{state="failed"\} (\d+)$/m.exec(String((await daemon.request('GET', '/api/v1/metrics', { token: s.token })).body))?.[1];
  assert.equal(failed, '0', 'no job failed for lack of space');
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0);
  assertNothingLost(ledger, { dbPath: join(s.data, 'cusp.db'), key: s.key, dropDirs: [s.inbox], quarantineDirs: [join(s.data, 'quarantine')] });
  await assertAuditIntact(daemon.configPath, s.dir);
}

test('a full disk: ingest and jobs wait, the API answers degraded, audit verify works; all resumes once space is back', { timeout: 600_000 }, async (t) => {
  const s = await setup(t, 0);
  if (!s) return;
  // Leave ~24 MB: room for one 9 MB scan and its WAL, not for four.
  const st = statfsSync(s.data);
  const free = Number(st.bavail) * Number(st.bsize);
  const fd = openSync(join(s.data, 'filler'), 'w');
  const block = Buffer.alloc(1024 * 1024, 7);
  for (let n = 0; n < Math.floor(free / block.length) - 24; n++) writeSync(fd, block);
  closeSync(fd);
  drop(s, 4, 1);

  const full = await until('health to say the disk is full', async () => {
    const h = await health(s.daemon);
    return h.checks.disk === 'full' ? h : undefined;
  }, 120_000);
  assert.equal(full.status, 'degraded');
  assert.match(full.problems!.join('\n'), /disk full: .* new scans wait in their drop folders/);
  assert.ok(readdirSync(s.inbox).length > 0, 'files wait in the drop folder');
  const answer = await s.daemon.request('GET', '/api/v1/metrics', { token: s.token });
  assert.equal(answer.status, 200, `metrics while the disk is full: ${JSON.stringify(answer.body)}\n${daemonErrors(s)}`);
  const metrics = String(answer.body);
  assert.match(metrics, /^cusp_ingest_paused 1$/m);
  assert.match(metrics, /^cusp_disk_free_bytes \d+$/m);
  // The API keeps answering, reads included; the audit trail verifies on the full disk.
  await assertAnswers(s.daemon);
  // Take the last byte too (the released reserve included): a read's audit event then
  // cannot be written at all. The read is answered all the same, its event held in memory
  // and written once there is room — never a 500, never unrecorded.
  fillToTheLastByte(join(s.data, 'filler-rest'));
  // SQLite may still find room in pages it holds (a WAL it restarts from the top), so read
  // until one read's event finds none: every answer meanwhile must be a 200.
  let reads = 0;
  const waiting = await until('a read\'s audit event to wait for room (health says so)', async () => {
    const listing = await s.daemon.request('GET', '/api/v1/scans?limit=100', { token: s.token });
    assert.equal(listing.status, 200, `scan listing while the disk is full: ${JSON.stringify(listing.body)}\n${daemonErrors(s)}`);
    reads++;
    const h = await health(s.daemon);
    return h.problems?.some((p) => /the audit events of \d+ read\(s\) wait in memory until the disk has room/.test(p)) ? h : undefined;
  }, 120_000);
  assert.equal(waiting.status, 'degraded');
  t.diagnostic(`${reads} scan listing(s) answered on the completely full disk before one's audit event had to wait`);
  const verify = await runCli(['audit', 'verify', '--config', s.daemon.configPath], { cwd: s.dir });
  assert.equal(verify.code, 0, `audit verify on the full disk:\n${verify.stdout}${verify.stderr}`);
  assert.match(verify.stdout, /audit chain OK/);
  assert.equal(s.daemon.child.exitCode, null, 'the daemon is still running');

  grow(s);
  await until('the held reads\' audit events to be written', async () => /wrote the audit events of \d+ read\(s\) answered while the disk was full/.test(s.daemon.output()), 60_000);
  await assertResumed(s);
  const log = s.daemon.output();
  assert.equal(log.split('\n').filter((l) => l.includes('disk space is back')).length, 1, 'the way back is logged once');
});

test('the free-space floor stops ingest before the disk is full; it resumes by itself once there is room', { timeout: 600_000 }, async (t) => {
  // 128 MB with a floor of 100: room under the floor for what an ingest begun just above it
  // still writes (its chunks, their WAL frames, the checkpoint's copy: 2–3× a 9 MB scan,
  // two at once under load) without reaching the 16 MB below which the disk counts as
  // full whatever the floor. On 64 MB with a floor of 40 that margin was too thin: under
  // load the disk went `full` although no write had failed.
  const s = await setup(t, 100, '128m');
  if (!s) return;
  drop(s, 5, 11);
  const low = await until('health to say disk space is low', async () => {
    const h = await health(s.daemon);
    return h.checks.disk === 'low' ? h : undefined;
  }, 120_000);
  assert.equal(low.status, 'degraded');
  assert.match(low.problems!.join('\n'), /disk space low: .* below store\.minFreeMegabytes \(100 MiB\)/);
  // Held, not failed: a file whose ingest began above the floor may still finish (it stays
  // in the drop folder until its commit); once no ingest has ended for a rescan period, two
  // more rescans later the waiting files are still there.
  const stored = () => s.daemon.output().split('\n').filter((l) => l.includes('"stored scan ')).length;
  for (let before = -1; before !== stored();) {
    before = stored();
    await new Promise((r) => setTimeout(r, 8_000));
  }
  const waiting = readdirSync(s.inbox).length;
  assert.ok(waiting > 0, 'files wait in the drop folder');
  await new Promise((r) => setTimeout(r, 13_000));
  assert.equal(readdirSync(s.inbox).length, waiting, 'ingest took nothing while below the floor');
  assert.equal((await health(s.daemon)).checks.disk, 'low');
  assert.ok(!s.daemon.output().includes('SQLITE_FULL'), 'the floor stopped ingest before any write failed');
  assert.match(String((await s.daemon.request('GET', '/api/v1/metrics', { token: s.token })).body), /^cusp_ingest_paused 1$/m);
  const entering = s.daemon.output().split('\n').filter((l) => l.includes('disk space low')).length;
  assert.equal(entering, 1, 'entering the state is logged once, not at every check');

  grow(s);
  await assertResumed(s);
});
