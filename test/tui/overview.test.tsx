// The overview screen against a real daemon: health, folders, scan counts, the event
// stream, and a scan dropped into the inbox showing up live.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { assertFits, consoleDaemon, Connection, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('the overview shows the daemon, its folder, the certificate and disk, and counts a dropped scan live', { skip }, async (t) => {
  const { daemon, socketPath, inbox, dir } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath), { site: { tls: { host: '127.0.0.1', port: daemon.port }, dataDir: join(dir, 'data') } });
  let frame = await app.waitFor(/Daemon\s+ready · v\d/);
  frame = await app.waitFor((f) => /inbox/.test(f) && /live/.test(f) && /certificate valid until \d{4}-\d\d-\d\d/.test(f) && /free of/.test(f));
  assert.match(frame, /Scans\s+today 0 · this week 0/);
  assert.match(frame, /● watching\s+inbox/);
  assertFits(frame);

  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  frame = await app.waitFor(/Scans\s+today 1 · this week 1/, 60_000);
  assertFits(frame);
});
