// The quarantine as clinic IT works it, on the real daemon and watcher: a file that was
// quarantined is fixed and retried — it goes back where it arrived and is stored; one still
// broken is quarantined again with its reason; one not wanted is removed, audited, its bytes
// gone. Nothing is lost on the way.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

const skip = !hasCorpus() && 'no corpus';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('quarantined files can be retried (stored once fixed, quarantined again with the reason when not) and removed for good', { skip }, async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.1\n`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const token = (await runCli(['token', 'create', '--name', 'it', '--role', 'admin', '--config', daemon.configPath], { cwd: dir })).stdout.trim();
  const api = async (method: string, path: string, body?: unknown) => daemon.request(method, `/api/v1${path}`, { token, body });
  const quarantine = join(dir, 'data', 'quarantine', 'inbox');

  // Three exports cut short: each is quarantined with its reason.
  const good = corpusBytes('dental/openfulljaw_P26_mandible_tooth19_molar.stl');
  const names = ['case1/Muster_Max_2026-11-20_lower.stl', 'Muster_Max_2026-11-20_upper.stl', 'Probe_Paul_2026-11-20_lower.stl'];
  mkdirSync(join(inbox, 'case1'));
  for (const name of names) writeFileSync(join(inbox, name), good.subarray(0, 1000));
  const listed = await until('three files quarantined', async () => {
    const r = await api('GET', '/folders/inbox/quarantine');
    const files = (r.body as { files: Array<{ file: string; reason: string }> }).files;
    return files.length === 3 && files;
  });
  assert.ok(listed.every((f) => /truncated|triangles/.test(f.reason)), JSON.stringify(listed));

  // The first is re-exported whole over the quarantined copy, then retried with the second (still cut short).
  writeFileSync(join(quarantine, names[0]), good);
  const retry = await api('POST', '/folders/inbox/quarantine/retry', { files: [names[0], names[1]] });
  assert.equal(retry.status, 200, JSON.stringify(retry.body));
  assert.deepEqual((retry.body as { retried: Array<{ to: string }> }).retried.map((r) => r.to), [names[0], names[1]], 'each goes back where it arrived');

  // The fixed one is stored byte for byte and leaves the drop folder; the broken one is back in quarantine.
  const stored = await until('the fixed file stored', async () => {
    const r = await api('GET', '/scans');
    const scans = (r.body as { scans: Array<{ sha256: string; source: { originalName: string } }> }).scans;
    return scans.find((s) => s.sha256 === sha(good));
  });
  assert.equal(stored.source.originalName, names[0], 'stored under the path it arrived with');
  await until('the drop folder empty again', () => !existsSync(join(inbox, names[0])) && !existsSync(join(inbox, names[1])));
  const again = await until('the still-broken file quarantined again', async () => {
    const files = ((await api('GET', '/folders/inbox/quarantine')).body as { files: Array<{ file: string; reason: string | null }> }).files;
    return files.length === 2 && files.some((f) => f.file === names[1]) && files;
  });
  assert.ok(again.every((f) => f.reason), 'each has its reason');
  assert.ok(existsSync(join(quarantine, `${names[1]}.reason.txt`)), 'the note came back with it');
  assert.equal(existsSync(join(quarantine, `${names[0]}.reason.txt`)), false, 'the retried file\'s note went with it');

  // Removal: the file and its note are gone, nothing else.
  const removed = await api('POST', '/folders/inbox/quarantine/remove', { files: [names[2]] });
  assert.deepEqual(removed.body, { removed: 1 });
  assert.deepEqual(readdirSync(quarantine).sort(), [names[1], `${names[1]}.reason.txt`, 'case1'].sort());
  assert.deepEqual(readdirSync(join(quarantine, 'case1')), [], 'the retried file left its case folder in the quarantine');

  // Names outside the quarantine, notes and files already gone are refused, one clear line each.
  const outside = await api('POST', '/folders/inbox/quarantine/remove', { files: ['../cusp.db'] });
  assert.equal(outside.status, 400);
  assert.match(JSON.stringify(outside.body), /not a path inside the quarantine/);
  const gone = await api('POST', '/folders/inbox/quarantine/retry', { files: [names[2]] });
  assert.equal(gone.status, 404);
  assert.match(JSON.stringify(gone.body), /is not in the quarantine \(already retried or removed\?\)/);
  const note = await api('POST', '/folders/inbox/quarantine/remove', { files: [`${names[1]}.reason.txt`] });
  assert.equal(note.status, 400);
  assert.ok(existsSync(join(quarantine, names[1])), 'a refused request touched nothing');

  // Both actions are audited with counts, never file names.
  const events = async (action: string) => ((await api('GET', `/audit?action=${action}`)).body as { events: Array<{ action: string; details: Record<string, unknown> }> }).events;
  const mine = [...await events('folder.quarantine.retry'), ...await events('folder.quarantine.remove')];
  assert.deepEqual(mine.map((e) => [e.action, e.details.files]).sort(), [['folder.quarantine.remove', 1], ['folder.quarantine.retry', 2]]);
  assert.doesNotMatch(JSON.stringify(mine), /Muster|Probe/);
  assert.ok(readFileSync(join(quarantine, names[1])).equals(good.subarray(0, 1000)), 'the still-broken file is kept as it arrived');
});
