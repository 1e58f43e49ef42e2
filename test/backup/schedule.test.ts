import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import later from '@breejs/later';
import { autoBackupPath, listAutoBackups, pruneBackups } from '../../src/backup/rotation.js';
import { BackupScheduler } from '../../src/backup/scheduler.js';
import type { Schedule } from '../../src/config/schedule.js';
import { PeriodicWork } from '../../src/jobs/periodic.js';
import { defaultWorkerDir } from '../../src/jobs/worker-path.js';
import type { Logger } from '../../src/log/index.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

test('automatic backup names sort by time, never collide, and rotation keeps the newest and never a hand-named backup', (t) => {
  const dir = tempDir(t);
  const times = ['2026-01-05T03:00:00Z', '2026-01-03T03:00:00Z', '2026-01-04T03:00:00Z', '2026-01-04T03:00:00Z', '2026-01-06T03:00:00Z'];
  const made: string[] = [];
  for (const time of times) {
    const path = autoBackupPath(dir, new Date(time));
    writeFileSync(path, 'x');
    made.push(path);
  }
  assert.equal(made[3], join(dir, 'cusp-20260104-030000-2.cuspbak'), 'a second backup in the same second gets its own name');
  writeFileSync(join(dir, 'before-upgrade.cuspbak'), 'kept');
  writeFileSync(join(dir, 'cusp-notes.txt'), 'kept');

  assert.deepEqual(listAutoBackups(dir), [
    'cusp-20260103-030000.cuspbak', 'cusp-20260104-030000.cuspbak', 'cusp-20260104-030000-2.cuspbak', 'cusp-20260105-030000.cuspbak', 'cusp-20260106-030000.cuspbak',
  ]);
  const removed = pruneBackups(dir, 2);
  assert.deepEqual(removed.map((p) => p.slice(dir.length + 1)), ['cusp-20260103-030000.cuspbak', 'cusp-20260104-030000.cuspbak', 'cusp-20260104-030000-2.cuspbak']);
  assert.deepEqual(listAutoBackups(dir), ['cusp-20260105-030000.cuspbak', 'cusp-20260106-030000.cuspbak']);
  assert.deepEqual(pruneBackups(dir, 2), []);
});

/** Every second: bree's cron with seconds, so the test needs no minute-long wait. */
const EVERY_SECOND: Schedule = { kind: 'cron', expression: '* * * * * *', later: later.parse.cron('* * * * * *', true) };

function periodicWork(t: TestContext, log: Logger): PeriodicWork {
  const periodic = new PeriodicWork({ workerDir: defaultWorkerDir(), log });
  t.after(async () => {
    await periodic.stop();
    await periodic.idle();
  });
  return periodic;
}

test('the scheduler runs a backup when the schedule fires and then waits for the next time', async (t) => {
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  const periodic = periodicWork(t, captured.logging.logger('daemon'));
  const times: number[] = [];
  const scheduler = new BackupScheduler({ schedule: EVERY_SECOND, log: captured.logging.logger('daemon'), periodic, run: async () => {
    times.push(Date.now());
  } });
  await scheduler.start();
  await periodic.start();
  await until('two scheduled backups', () => times.length >= 2, 20_000);
  // One run per due time: bree's cron, not a loop.
  assert.ok(times[1] - times[0] >= 500, `runs ${times[1] - times[0]} ms apart`);
});

test('the next run is announced from the configured schedule', async (t) => {
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  const periodic = periodicWork(t, captured.logging.logger('daemon'));
  const scheduler = new BackupScheduler({ schedule: '* * * * *', log: captured.logging.logger('daemon'), periodic, now: () => new Date('2026-03-01T02:59:59.960Z'), run: async () => undefined });
  const before = scheduler.nextRunAt;
  await scheduler.start();
  assert.equal(before, undefined, 'nothing is announced before start');
  assert.equal(scheduler.nextRunAt?.toISOString(), '2026-03-01T03:00:00.000Z');
  const justRun = new BackupScheduler({ schedule: '* * * * *', log: captured.logging.logger('daemon'), periodic: periodicWork(t, captured.logging.logger('daemon')), now: () => new Date('2026-03-01T03:00:00.020Z'), run: async () => undefined });
  await justRun.start();
  assert.equal(justRun.nextRunAt?.toISOString(), '2026-03-01T03:01:00.000Z', 'just run: the next is the next minute');
});

test('a failing scheduled backup is logged and the schedule goes on; "off" schedules nothing', async (t) => {
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  const periodic = periodicWork(t, captured.logging.logger('daemon'));
  let runs = 0;
  const scheduler = new BackupScheduler({ schedule: EVERY_SECOND, log: captured.logging.logger('daemon'), periodic, run: async () => {
    runs++;
    throw new Error('disk full');
  } });
  await scheduler.start();
  await periodic.start();
  await until('a second run after the failed one', () => runs >= 2, 20_000);
  assert.match(captured.text(), /scheduled backup failed: disk full/);

  const offPeriodic = periodicWork(t, captured.logging.logger('daemon'));
  const off = new BackupScheduler({ schedule: 'off', log: captured.logging.logger('daemon'), periodic: offPeriodic, run: async () => assert.fail('must not run') });
  await off.start();
  await offPeriodic.start();
  assert.equal(off.nextRunAt, undefined);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(offPeriodic.running(), []);
});
