// The overview screen against a real daemon: health, folders, certificate and disk, scan
// counts, running jobs with progress bars and the queue while a burst comes in, and a
// quarantined file among the recent errors — all live from the event stream.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/daemon.js';
import { assertFits, consoleDaemon, Connection, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('the overview shows the daemon, its folder, the certificate and disk, and counts a dropped scan live', { skip }, async (t) => {
  const { daemon, socketPath, inbox, dir } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath), { site: { tls: { host: '127.0.0.1', port: daemon.port }, dataDir: join(dir, 'data') } });
  let frame = await app.waitFor(/Daemon\s+ready · v\d/);
  frame = await app.waitFor((f) => /inbox/.test(f) && /live/.test(f) && /certificate valid until \d{4}-\d\d-\d\d/.test(f) && /free of/.test(f));
  assert.match(frame, /Scans\s+today 0 · this week 0/);
  assert.match(frame, /● watching\s+inbox/);
  assert.match(frame, /Audit\s+never verified — press 6, then v/);
  assert.match(frame, /Signed\s+(no checkpoint signed yet|checkpoint at event #\d+, )/);
  assertFits(frame);

  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  frame = await app.waitFor(/Scans\s+today 1 · this week 1/, 60_000);
  assertFits(frame);
});

test('a burst shows running jobs with progress bars and the queue; a broken file shows among the recent errors', { skip }, async (t) => {
  const { socketPath, inbox } = await consoleDaemon(t, 'jobs:\n  concurrency: 1\n');
  const app = renderConsole(t, Connection.socket(socketPath));
  await app.waitFor(/Daemon\s+ready.*live/);
  const teeth = ['maxilla_tooth08_incisor', 'maxilla_tooth14_molar', 'mandible_tooth19_molar', 'mandible_tooth24_incisor', 'mandible_tooth31_molar'];
  // A big scan first, so that a job runs for seconds with progress while the rest queue
  // (with warm workers a burst of small scans was through before the console drew a frame
  // with a queue), then three of each tooth (a different 80-byte header each: no duplicates).
  writeFileSync(join(inbox, 'Burst_Big_2026-11-20_lower.stl'), writeStlBinary(generateToothMesh(400_000, 3)));
  for (let round = 0; round < 3; round++) {
    teeth.forEach((tooth, i) => {
      const bytes = readFileSync(corpusPath(`dental/openfulljaw_P26_${tooth}.stl`));
      bytes.write(`cusp burst ${round} ${i}`.padEnd(80, ' '), 0, 'latin1');
      writeFileSync(join(inbox, `Burst_Case${round}${i}_2026-11-20_upper.stl`), bytes);
    });
  }
  copyFileSync(corpusPath('dental/derived_tooth08_ascii.stl'), join(inbox, 'Burst_Ascii_2026-11-20_lower.stl'));
  copyFileSync(corpusPath('broken/derived_tooth24_truncated_mid_triangle.stl'), join(inbox, 'Broken_Case_2026-11-21_upper.stl'));

  const frame = await app.waitFor((f) => /Jobs\s+1 running · [1-9]\d* queued/.test(f) && /#\d+ \w+\s+\[[█░]{20}\]\s+\d+%/.test(f), 60_000);
  assertFits(frame);
  const errors = await app.waitFor(/✗ \d\d:\d\d quarantined Broken_Case_2026-11-21_upper\.stl \(inbox\): the file is trun/, 90_000);
  assertFits(errors);
  await app.waitFor(/● watching\s+inbox\s+1 in quarantine · /, 30_000);
  await app.waitFor(/Scans\s+today 17 · this week 17/, 120_000);

  // A console opened later still lists it: from the quarantine itself, not only from the stream.
  const later = renderConsole(t, Connection.socket(socketPath));
  await later.waitFor(/✗ \d\d:\d\d quarantined Broken_Case_2026-11-21_upper\.stl \(inbox\): the file is trun/);
});

test('remotely (token over HTTPS, no data folder here) the overview gets the disk space and the audit state from the daemon', async (t) => {
  const { daemon, dir } = await consoleDaemon(t);
  const created = await runCli(['token', 'create', '--name', 'it-laptop', '--role', 'admin', '--user', '--config', daemon.configPath]);
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  const connection = Connection.remote(`https://127.0.0.1:${daemon.port}`, token, readFileSync(join(dir, 'data', 'tls', 'ca.crt')));
  const app = renderConsole(t, connection, { site: { tls: { host: '127.0.0.1', port: daemon.port } } });
  let frame = await app.waitFor((f) => /Disk\s+\S+ \S+ free of \S+ \S+ \(\d+%\) for the data folder/.test(f) && /Audit\s+never verified/.test(f));
  assertFits(frame);
  // A verification started elsewhere shows up here, carried by the event stream.
  const client = connection.client;
  const result = await client.verifyAudit();
  assert.equal(result.ok, true);
  const status = await client.auditStatus();
  assert.equal(status.lastVerification?.ok, true);
  assert.equal(status.lastVerification?.events, result.events);
  assert.ok(status.head && status.head.seq > result.events, 'the verify itself is an event after the ones it checked');
  frame = await app.waitFor(new RegExp(`Audit\\s+chain verified .* intact \\(${result.events} events\\)`), 30_000);
  assertFits(frame);
});
