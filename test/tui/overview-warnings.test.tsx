// The overview's warning line: what /health says needs a person. A real daemon whose free-
// space floor (store.minFreeMegabytes) is above what the disk has: health is degraded with
// "disk space low", and the console says so under the Daemon line.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { assertFits, Connection, renderConsole } from './console-helpers.js';

test('a degraded daemon: the overview shows the status, the disk check and the reason on a warning line', async (t) => {
  const dir = tempDir(t, 'cusp-tui-');
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  // 100 TB: more than any disk here has free.
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\n  minFreeMegabytes: 100000000\nfolders:\n  - path: ${inbox}\n    name: inbox\n`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const health = (await daemon.request('GET', '/api/v1/health')).body as { status: string; checks: Record<string, string>; problems: string[] };
  assert.equal(health.status, 'degraded');
  assert.equal(health.checks.disk, 'low');

  const app = renderConsole(t, Connection.socket(join(dir, 'data', 'cusp.sock')));
  const frame = await app.waitFor((f) => /Daemon\s+degraded · v\d/.test(f) && /Warning\s+disk space low: /.test(f));
  assert.match(frame, /disk low/);
  assertFits(frame);
});
