// The jobs screen against a real daemon whose jobs time out: the failed job with its reason,
// retry (queued again, fails again), the refusals for jobs in the wrong state, the views.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { assertFits, consoleDaemon, Connection, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('jobs: a failed job shows its reason; retry queues it again; cancel asks only for queued or running jobs', { skip }, async (t) => {
  const { daemon, socketPath, inbox } = await consoleDaemon(t, 'jobs:\n  timeoutSeconds: 0.001\n  retryBackoffSeconds: 0\n');
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'jobs' });

  let frame = await app.waitFor(/#1\s+validate\s+failed\s+(\d)\/\1/, 60_000);
  assert.match(frame, /Showing: running, queued and failed \(0 running · 0 queued · 1 failed\)/);
  assert.match(frame, /Reason: .*(time|took)/i);
  assertFits(frame);

  await app.press('c');
  await app.waitFor('job 1 is failed — only a queued or running job can be cancelled');

  await app.press('r');
  frame = await app.waitFor(/✓ job 1 \(validate\) is (queued|running|failed) again|✓ job 1 \(validate\) is queued/);
  // It runs again and fails again: the daemon says so a second time (the screen's row reads
  // the same before and after — attempts start again at 0 — so the frame alone cannot tell).
  const finalFailures = () => daemon.output().split('\n').filter((l) => /job 1 \(validate\) failed:/.test(l)).length;
  for (const deadline = Date.now() + 60_000; finalFailures() < 2;) {
    assert.ok(Date.now() < deadline, `the retried job did not fail a second time; the daemon said:\n${daemon.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.waitFor(/#1\s+validate\s+failed/, 60_000);

  await app.press('t', 't', 't', 't', 't', 't');
  frame = await app.waitFor((f) => /Showing: all \(1 jobs\)/.test(f) && /#1\s+validate\s+failed/.test(f));
  assertFits(frame);
});
