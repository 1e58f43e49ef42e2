import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { autoBackupPath, listAutoBackups, pruneBackups } from '../../src/backup/rotation.js';
import { BackupScheduler } from '../../src/backup/scheduler.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';

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

test('the scheduler runs a backup when the schedule fires and then waits for the next time', async (t) => {
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  // A clock that is 40 ms before a whole minute, then runs on with real time.
  const minute = new Date('2026-03-01T02:59:00Z');
  const offset = minute.getTime() + 60_000 - 40 - Date.now();
  const now = () => new Date(Date.now() + offset);
  let runs = 0;
  let ran!: () => void;
  const done = new Promise<void>((resolve) => (ran = resolve));
  const scheduler = new BackupScheduler({ schedule: '* * * * *', log: captured.logging.logger('daemon'), now, run: async () => {
    runs++;
    ran();
  } });
  scheduler.start();
  t.after(() => scheduler.stop());
  // The scheduler's timer does not hold the process open (the daemon's servers do); this does.
  const alive = setTimeout(() => undefined, 10_000);
  t.after(() => clearTimeout(alive));
  assert.equal(scheduler.nextRunAt?.toISOString(), '2026-03-01T03:00:00.000Z');
  await done;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(runs, 1);
  assert.equal(scheduler.nextRunAt?.toISOString(), '2026-03-01T03:01:00.000Z');
  await scheduler.stop();
});

test('a failing scheduled backup is logged and the schedule goes on; "off" schedules nothing', async (t) => {
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  const offset = new Date('2026-03-01T02:59:59.970Z').getTime() - Date.now();
  let failed!: () => void;
  const done = new Promise<void>((resolve) => (failed = resolve));
  const scheduler = new BackupScheduler({ schedule: '* * * * *', log: captured.logging.logger('daemon'), now: () => new Date(Date.now() + offset), run: async () => {
    failed();
    throw new Error('disk full');
  } });
  scheduler.start();
  const alive = setTimeout(() => undefined, 10_000);
  t.after(() => clearTimeout(alive));
  await done;
  await new Promise((r) => setTimeout(r, 20));
  assert.match(captured.text(), /scheduled backup failed: disk full/);
  assert.equal(scheduler.nextRunAt?.toISOString(), '2026-03-01T03:01:00.000Z');
  await scheduler.stop();

  const off = new BackupScheduler({ schedule: 'off', log: captured.logging.logger('daemon'), run: async () => assert.fail('must not run') });
  off.start();
  assert.equal(off.nextRunAt, undefined);
  await off.stop();
});
