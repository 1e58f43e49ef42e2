// The live event stream (SSE) during a real ingest, resuming with Last-Event-ID, and the
// stream's own promises: progress for a quiet running job, heartbeats, clean-up.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventSubscription, ServerEvent } from '../../src/api/sse-reader.js';
import { LiveStream } from '../../src/api/live-stream.js';
import { parseSse } from '../../src/api/sse-reader.js';
import { apiStack } from '../helpers/api.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { stack } from '../helpers/stack.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const skip = !hasCorpus() && 'no corpus';

/** Read events until `stop` says so (or 60 s pass, which fails the test). */
async function collect(sub: EventSubscription, stop: (e: ServerEvent, all: ServerEvent[]) => boolean): Promise<ServerEvent[]> {
  const all: ServerEvent[] = [];
  const timer = setTimeout(() => sub.close(), 60_000);
  try {
    for await (const e of sub) {
      all.push(e);
      if (stop(e, all)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return all;
}

const changeOf = (e: ServerEvent) => e.data as { seq: number; objectId: string; data: Record<string, unknown> };

test('during a real ingest the stream carries the new scan, job start, progress and end, and the verdict; Last-Event-ID resumes without loss', { skip }, async (t) => {
  const api = await apiStack(t);
  const sub = await api.as('clinician').events();
  const name = 'Smith_John_2026-11-20_upper.stl';
  copyFileSync(corpusPath(TOOTH), join(api.inbox, name));
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, name), relativePath: name, firstSeenMs: Date.now() });
  const uid = (outcome as { scans: Array<{ uid: string; id: number }> }).scans[0].uid;
  api.dispatcher.start();
  const events = await collect(sub, (e) => e.event === 'scan.validated' && changeOf(e).objectId === uid);
  sub.close();

  const at = (pred: (e: ServerEvent) => boolean) => events.findIndex(pred);
  const received = at((e) => e.event === 'scan.received' && changeOf(e).objectId === uid);
  const started = at((e) => e.event === 'job.started' && (e.data as { kind: string }).kind === 'validate');
  const jobId = (events[started].data as { jobId: number }).jobId;
  const progress = events.filter((e) => e.event === 'job.progress' && (e.data as { jobId: number }).jobId === jobId);
  const finished = at((e) => e.event === 'job.finished' && (e.data as { jobId: number }).jobId === jobId);
  const validated = events.length - 1;
  assert.ok(received >= 0 && started > received && finished > started && validated > started, events.map((e) => e.event).join(' '));
  assert.ok(progress.length >= 1, 'progress while the job runs');
  assert.ok(progress.every((e) => { const p = (e.data as { progress: number }).progress; return p >= 0 && p <= 1; }));
  assert.equal((events[finished].data as { state: string }).state, 'done');
  assert.equal(changeOf(events[validated]).data.status, 'validated');
  assert.equal(events[received].id, changeOf(events[received]).seq, 'a change carries its seq as the event id');
  assert.equal(events[started].id, undefined, 'live job events have no id: they are not replayed');
  assert.doesNotMatch(JSON.stringify(events), /Smith|John/, 'no patient names on the stream');

  const resumed = await api.as('clinician').events({ lastEventId: events[received].id });
  const replay = await collect(resumed, (e) => e.event === 'scan.validated');
  resumed.close();
  assert.ok(replay.every((e) => e.id === undefined || e.id > events[received].id!), 'nothing at or before Last-Event-ID again');
  assert.equal(replay[replay.length - 1].id, events[validated].id, 'the verdict the client saw is the one replayed');
  const subscribed = dbOf(api.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'events.subscribe'").get() as { n: number };
  assert.equal(subscribed.n, 2, 'each subscription is audited');
});

test('a running job gets a progress event every interval even when its worker says nothing; heartbeats keep the line open; closing stops everything', async (t) => {
  const s = stack(t);
  const running = [{ jobId: 7, kind: 'analyse', scanId: 3, progress: 0.25, stage: 'wall thickness' }];
  const live = new LiveStream({ bus: s.bus, changes: s.store.changes, running: () => running, since: 0, progressMs: 60, heartbeatMs: 50 }).start();
  t.after(() => live.close());
  let text = '';
  live.stream.on('data', (c: Buffer) => { text += c.toString(); });
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`the stream did not deliver in time: ${text.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(() => parseSse(text).events.filter((e) => e.event === 'job.progress').length >= 3 && text.includes(': heartbeat'));
  const ticks = parseSse(text).events.filter((e) => e.event === 'job.progress');
  assert.deepEqual(ticks[0].data, { jobId: 7, kind: 'analyse', scanId: 3, progress: 0.25, stage: 'wall thickness' });

  s.store.changes.append('folder.added', 'folder', 'lab', {});
  await until(() => parseSse(text).events.some((e) => e.event === 'folder.added'));
  const change = parseSse(text).events.find((e) => e.event === 'folder.added')!;
  assert.equal(change.id, s.store.changes.lastSeq(), 'a change written without a bus event still arrives, with its seq');

  live.stream.destroy();
  await until(() => live.closed);
  s.bus.emit('job.progress', { jobId: 7, kind: 'analyse', scanId: 3, progress: 0.5, stage: null });
  s.store.changes.append('folder.removed', 'folder', 'lab', {});
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(!text.includes('folder.removed') && !text.includes('"progress":0.5'), 'a closed stream writes nothing more');
});

test('the SSE parser joins data lines, keeps ids, skips comments and keeps an unfinished block for later', () => {
  const { events, rest } = parseSse(': hi\n\nid: 5\nevent: scan.received\ndata: {"a":\ndata: 1}\n\nevent: job.progress\ndata: {"p":0.5}\n\nevent: x\ndata: {"incomplete"');
  assert.deepEqual(events, [{ id: 5, event: 'scan.received', data: { a: 1 } }, { event: 'job.progress', data: { p: 0.5 } }]);
  assert.equal(rest, 'event: x\ndata: {"incomplete"');
});

test('a live stream whose store closes under it (the daemon stopping) ends instead of throwing from its timer', async (t) => {
  const { randomBytes } = await import('node:crypto');
  const { openStore } = await import('../../src/store/store.js');
  const { EventBus } = await import('../../src/events/bus.js');
  const { LiveStream } = await import('../../src/api/live-stream.js');
  const { tempDir } = await import('../helpers/temp.js');
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  const bus = new EventBus();
  const live = new LiveStream({ bus, changes: store.changes, since: 0, pollMs: 20 }).start();
  live.stream.resume();
  store.close();
  bus.emit('job.queued', { jobId: 1, kind: 'validate', scanId: null });
  const deadline = Date.now() + 5000;
  while (!live.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(live.closed, true, 'the stream ended');
});
