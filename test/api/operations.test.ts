import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Scan } from '../../src/store/scans.js';
import { apiStack } from '../helpers/api.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';

test('an admin runs a scan\'s job again; it is queued, runs, and the call is audited', { skip }, async (t) => {
  const api = await apiStack(t);
  const name = 'Smith_John_2026-11-20_upper.stl';
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(api.inbox, name));
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, name), relativePath: name, firstSeenMs: Date.now() });
  const scan = (outcome as { scans: Scan[] }).scans[0];
  const job = await api.local.call<{ id: number; kind: string; state: string }>('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'derive' } });
  assert.deepEqual([job.kind, job.state], ['derive', 'queued']);
  const done = new Promise<void>((resolve) => api.bus.on('job.finished', (e) => e.jobId === job.id && e.state === 'done' && resolve()));
  api.dispatcher.start();
  await done;
  assert.ok(api.store.artifacts.get(scan.id, 'thumbnail'), 'the re-run derive made the thumbnail');
  const compare = await api.local.send('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'compare' } });
  assert.equal(compare.status, 409);
  assert.match((compare.body as { error: { message: string } }).error.message, /no earlier validated scan of this jaw/);
  const bad = await api.local.send('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'format-disk' } });
  assert.equal(bad.status, 400);
  assert.equal((await api.as('auditor').send('POST', `/scans/${scan.uid}/jobs`, { body: { kind: 'derive' } })).status, 403, 'auditors run no jobs');
  const event = dbOf(api.store).prepare("SELECT actor, object FROM audit_events WHERE action = 'job.rerun'").get();
  assert.deepEqual(event, { actor: 'local-admin', object: `scan:${scan.uid}` });
});

test('the log tail gives the last redacted lines, admin only', async (t) => {
  const api = await apiStack(t);
  const log = api.captured.logging.logger('ingest');
  log.info('stored scan 42 for patient', { lastName: 'Mustermann' });
  log.warn('folder inbox is paused');
  const { lines } = await api.local.call<{ lines: string[] }>('GET', '/logs', { query: { lines: 2 } });
  assert.equal(lines.length, 2);
  assert.match(lines[1], /warn.*folder inbox is paused/);
  assert.doesNotMatch(lines.join('\n'), /Mustermann/, 'the tail is redacted like the log');
  assert.equal((await api.as('auditor').send('GET', '/logs')).status, 403);
});
