// Fault: a restart while the data folder's disk is completely full (a real 64 MB tmpfs,
// filled to the last byte; the drop folder is outside it). Before: the start died on the
// pid file write ("ENOSPC"), then on the store's `-shm`, and `cusp audit verify` could not
// open the database ("disk I/O error"). Now: `audit verify` works with the daemon stopped
// and running; the daemon starts from its reserve (cusp.reserve), records the start,
// answers degraded ("disk full"), keeps new files in the drop folder, runs no jobs, and
// resumes by itself when space is freed. Needs root to mount; skipped with a message otherwise.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { until } from '../helpers/until.js';
import { gridStl } from './grid-stl.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, sizeOf, smallDisk } from './harness.js';
import { dbOf } from '../helpers/db.js';

interface Health { status: string; checks: Record<string, string>; problems?: string[] }

/** A port of this test's own (19900–19949). */
const PORT = 19907;

/** Fill the disk holding `dir` to the last byte (1 MiB writes, then 4 KiB ones). */
function fillCompletely(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const size of [1048576, 4096, 512]) {
      const block = Buffer.alloc(size, 7);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** GET /health, once more on a socket the daemon closed as idle (see disk-full-data.test.ts). */
async function health(d: RunningDaemon): Promise<Health> {
  try {
    return (await d.request('GET', '/api/v1/health')).body as Health;
  } catch (err) {
    if (!/socket hang up|ECONNRESET/.test((err as Error).message)) throw err;
    return (await d.request('GET', '/api/v1/health')).body as Health;
  }
}

async function jobCounts(d: RunningDaemon, token: string): Promise<Record<string, string | undefined>> {
  const text = String((await d.request('GET', '/api/v1/metrics', { token })).body);
  const count = (state: string) => new RegExp(`^cusp_jobs\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1];
  return { queued: count('queued'), running: count('running'), failed: count('failed'), done: count('done') };
}

test('a restart on a completely full disk: audit verify works, the daemon starts degraded, keeps new files waiting and resumes by itself', { timeout: 600_000 }, async (t) => {
  const disk = smallDisk(t, 'cusp-fault-fullstart-', '64m');
  if (!disk) return;
  const { dir, data, running } = disk;
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const ledger = new Ledger();
  const drop = (first: number, count: number) => {
    for (let i = first; i < first + count; i++) {
      const name = `Voll_Neustart${i}_2026-11-1${i % 10}_lower.stl`;
      const bytes = gridStl(100, 500 + i); // 1 MB each
      ledger.add(name, bytes);
      writeFileSync(join(inbox, name), bytes);
    }
  };

  // 1. A daemon with room stores scans and sets its reserve aside.
  let daemon = await startDaemon(dir, {
    port: PORT,
    extraConfig: `store:\n  keyFile: ${keyFile}\n  integrityCheckHours: 0\njobs:\n  concurrency: 1\nfolders:\n  - path: ${inbox}\n    name: trios-share\n    stabilitySeconds: 0.5\n    rescanMinutes: 0.1\n`,
  });
  running.daemon = daemon;
  const { configPath } = daemon;
  const token = (await runCli(['token', 'create', '--name', 'it', '--role', 'admin', '--config', configPath], { cwd: dir })).stdout.trim();
  drop(1, 2);
  await until('the first scans to be stored and their jobs done', async () => {
    if (readdirSync(inbox).length > 0) return false;
    const jobs = await jobCounts(daemon, token);
    return jobs.queued === '0' && jobs.running === '0' && Number(jobs.done) > 0;
  }, 120_000);
  const reserve = join(data, 'cusp.reserve');
  assert.equal(sizeOf(reserve), 2 * 1048576, 'the reserve (a thirty-second of the 64 MB disk) is set aside');
  const doneBefore = (await jobCounts(daemon, token)).done;
  assert.equal(await daemon.stop(), 0);

  // 2. The disk fills to the last byte while the daemon is stopped.
  const filler = join(data, 'filler');
  fillCompletely(filler);
  assert.ok(!existsSync(join(data, 'cusp.db-shm')), 'a clean stop left no -shm (the case a read-only open must create one)');

  // 3. `audit verify` with the daemon stopped: the check works; only its record cannot be written.
  const stopped = await runCli(['audit', 'verify', '--config', configPath], { cwd: dir });
  assert.equal(stopped.code, 0, `audit verify on the full disk, daemon stopped:\n${stopped.stdout}${stopped.stderr}`);
  assert.match(stopped.stdout, /audit chain OK/);
  assert.match(stopped.stderr, /could not be recorded in the audit trail: the disk is full/);

  // 4. The daemon starts on the full disk: degraded, disk full, running.
  daemon = await startDaemon(dir, { configPath, port: PORT });
  running.daemon = daemon;
  const h = await health(daemon);
  assert.equal(h.status, 'degraded', JSON.stringify(h));
  assert.equal(h.checks.disk, 'full');
  assert.match(h.problems!.join('\n'), /disk full: .* new scans wait in their drop folders/);
  assert.match(daemon.output(), /released the reserve \(2 MiB\) to start/);
  assert.ok(!existsSync(reserve), 'the reserve was released');

  // 5. New files stay in the drop folder and no job runs, over several rescans.
  drop(11, 2);
  await new Promise((r) => setTimeout(r, 15_000));
  assert.equal(readdirSync(inbox).length, 2, 'the files wait in the drop folder');
  assert.equal(daemon.child.exitCode, null, 'the daemon is still running');
  assert.equal((await jobCounts(daemon, token)).done, doneBefore, 'no job ran on the full disk');
  await assertAnswers(daemon);

  // 6. `audit verify` with the daemon running on the full disk (its -shm exists).
  const live = await runCli(['audit', 'verify', '--config', configPath], { cwd: dir });
  assert.equal(live.code, 0, `audit verify on the full disk, daemon running:\n${live.stdout}${live.stderr}`);
  assert.match(live.stdout, /audit chain OK/);

  // 7. Space returns: everything resumes by itself, the reserve is set aside again.
  rmSync(filler);
  await until('the waiting files to be stored', () => readdirSync(inbox).length === 0, 120_000);
  await until('health to be ready again', async () => (await health(daemon)).status === 'ready', 60_000);
  await until('every job to finish', async () => {
    const jobs = await jobCounts(daemon, token);
    return jobs.queued === '0' && jobs.running === '0' && Number(jobs.done) > Number(doneBefore);
  }, 180_000);
  assert.equal((await jobCounts(daemon, token)).failed, '0', 'no job failed for lack of space');
  await until('the reserve to be set aside again', () => sizeOf(reserve) === 2 * 1048576, 60_000);
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0);
  running.daemon = undefined;

  const where = assertNothingLost(ledger, { dbPath: join(data, 'cusp.db'), key, dropDirs: [inbox], quarantineDirs: [join(data, 'quarantine')] });
  assert.deepEqual([...where.values()], ['stored', 'stored', 'stored', 'stored']);
  await assertAuditIntact(configPath, dir);
  const store = openStore(join(data, 'cusp.db'), key);
  try {
    const starts = dbOf(store).prepare(`SELECT count(*) AS n FROM audit_events WHERE action = 'daemon.start'`).get() as { n: number };
    assert.equal(starts.n, 2, 'the start on the full disk is in the audit trail');
  } finally {
    store.close();
  }
});
