// The periodic work on bree: real bree, real run-now threads, real cron and interval timing.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import later from '@breejs/later';
import type { Schedule } from '../../src/config/schedule.js';
import { PeriodicWork } from '../../src/jobs/periodic.js';
import { defaultWorkerDir } from '../../src/jobs/worker-path.js';
import { captureLogging } from '../helpers/logging.js';
import { until } from '../helpers/until.js';

/** Every second: bree's cron with seconds, so a test needs no minute-long wait. */
const EVERY_SECOND: Extract<Schedule, { kind: 'cron' }> = { kind: 'cron', expression: '* * * * * *', later: later.parse.cron('* * * * * *', true) };

function setup(t: TestContext) {
  const captured = captureLogging();
  const periodic = new PeriodicWork({ workerDir: defaultWorkerDir(), log: captured.logging.logger('daemon') });
  t.after(async () => {
    await periodic.stop();
    await captured.logging.close();
  });
  return { periodic, captured };
}

test('a cron task runs on the main thread each time it is due; a failing run is reported and the schedule goes on', async (t) => {
  const { periodic } = setup(t);
  const runs: number[] = [];
  const errors: string[] = [];
  await periodic.add({
    name: 'backup', when: { cron: EVERY_SECOND }, onError: (err) => errors.push((err as Error).message),
    run: () => {
      runs.push(runs.length + 1);
      if (runs.length === 1) throw new Error('disk full');
    },
  });
  assert.deepEqual(runs, [], 'nothing runs before start');
  await periodic.start();
  await until('three runs', () => runs.length >= 3, 20_000);
  assert.deepEqual(errors, ['disk full']);
  await periodic.stop();
  const after = runs.length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(runs.length, after, 'nothing runs after stop');
});

test('an interval task waits firstAfterMs, then runs every everyMs; a run still going when due again is skipped, and stop waits for it', async (t) => {
  const { periodic } = setup(t);
  let started = 0;
  let finished = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await periodic.add({
    name: 'integrity-check', when: { everyMs: 200, firstAfterMs: 50 }, onError: (err) => assert.fail(String(err)),
    run: async () => {
      started++;
      if (started === 1) await held;
      finished++;
    },
  });
  await periodic.start();
  await until('the first run', () => started === 1, 20_000);
  // Several due times pass while the first run is held: none starts a second run.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(started, 1);
  assert.deepEqual(periodic.running(), ['integrity-check']);
  release();
  await until('two more runs', () => started >= 3, 20_000);
  await periodic.stop();
  assert.equal(finished, started, 'stop waited for the run in progress');
});

test('an interval longer than a timer can wait is refused with the limit, not run without pause', async (t) => {
  const { periodic } = setup(t);
  await assert.rejects(
    periodic.add({ name: 'integrity-check', when: { everyMs: 720 * 3_600_000 }, run: () => assert.fail('must not run'), onError: () => undefined }),
    /every 720 h is longer than the 596 h a timer can wait/,
  );
});
