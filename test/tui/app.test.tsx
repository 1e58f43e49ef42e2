// The console as a whole against a real daemon: every screen by its key within 80×24 (and
// using a bigger terminal), help, quitting, and the idle lock over the socket and remotely.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/daemon.js';
import { until } from '../helpers/until.js';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

// Each screen: its key, title, something it shows, and the end of its key hints (shown whole, not cut).
const SCREENS: Array<[key: string, title: string, shows: RegExp, hintsEnd: string]> = [
  ['1', 'Overview', /Daemon\s+ready/, ''],
  ['2', 'Scans', /Mustermann_Erika/, 'x clear  n more'],
  ['3', 'Jobs', /Showing: running, queued and failed/, 'r retry  c cancel'],
  ['4', 'Folders', /inbox\s+watching/, 't test rule  r rescan'],
  ['5', 'Access', /Users and API clients/, 't new token  x revoke token'],
  ['6', 'Audit', /daemon\.start/, 'e export  ↑↓ select'],
  ['7', 'Maintenance', /scans kept 10 years/, 'l lift  ↑↓ select hold'],
];

test('every screen is one key away, fits 80×24, and grows with a bigger terminal; ? shows help, q quits', { skip }, async (t) => {
  const { socketPath, inbox, daemon } = await consoleDaemon(t);
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  const app = renderConsole(t, Connection.socket(socketPath), { site: { tls: { host: '127.0.0.1', port: daemon.port } } });
  await app.waitFor(/Scans\s+today 1/, 60_000);
  for (const [key, title, shows, hintsEnd] of SCREENS) {
    await app.press(key);
    const frame = await app.waitFor((f) => f.startsWith(`Cusp ▸ ${title} `) && shows.test(f));
    assertFits(frame);
    if (hintsEnd) assert.ok(frame.split('\n').some((l) => l.endsWith(hintsEnd)), `${title}: the key hints end in "${hintsEnd}":\n${frame}`);
    assert.match(frame.split('\n').at(-1)!, /^1 Overview 2 Scans 3 Jobs 4 Folders 5 Access 6 Audit 7 Maint \? help q quit$/);
  }
  await app.press('2');
  await app.waitFor(/›.*Mustermann_Erika/);
  await app.press(KEYS.enter);
  assertFits(await app.waitFor('Good: no problems found.'));

  await app.press('?');
  let frame = await app.waitFor('Cusp ▸ Help');
  assert.match(frame, /2 Scans\s+find scans, read reports, assign to a patient/);
  assert.match(frame, /locks itself after 15 minutes without a key press/);
  assertFits(frame);
  await app.press(KEYS.escape);
  await app.waitFor('Cusp ▸ Scans');

  const big = renderConsole(t, Connection.socket(socketPath), { size: { columns: 120, rows: 40 }, initialScreen: 'scans' });
  frame = await big.waitFor(/Mustermann_Erika_2026-11-20_upper\.stl/);
  assert.match(frame, /1 Overview 2 Scans 3 Jobs 4 Folders 5 Access 6 Audit 7 Maintenance \? help q quit/);
  assert.equal(frame.split('\n').length, 39);
  assertFits(frame, 120, 40);

  assert.ok(app.stdin.listenerCount('readable') > 0, 'the console reads keys');
  await app.press('q');
  assert.equal(app.stdin.listenerCount('readable'), 0, 'after q the console has stopped reading keys');
});

test('an idle console locks: no data on screen, nothing fetched; the word unlock opens it over the socket', { skip }, async (t) => {
  const { socketPath, inbox } = await consoleDaemon(t);
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  // Stored before the console starts: its first look must show the scan before it locks.
  await until('the scan stored', () => readdirSync(inbox).length === 0, 60_000);
  const connection = Connection.socket(socketPath);
  const app = renderConsole(t, connection, { idleLockMinutes: 0.05, initialScreen: 'scans' });
  await app.waitFor('Mustermann_Erika', 60_000);
  let frame = await app.waitFor('Console locked', 10_000);
  assert.doesNotMatch(frame, /Mustermann|p_[a-z2-7]{16}/, 'nothing of the data stays on screen');
  assert.match(frame, /Locked after 3s without a key press \(automatic logoff\)/);
  assert.equal(connection.locked, true);
  assert.match(frame.split('\n')[0], /^Cusp ▸ Locked .*● locked$/);
  assertFits(frame);

  assert.match(frame, /To open it, type the word 'unlock' and press Enter\./, 'the lock says exactly what opens it');
  assert.match(frame, /Type unlock:/, 'the prompt is there at once');
  await app.type('open');
  await app.press(KEYS.enter);
  await app.waitFor('✗ that is not it (1 try)');
  await app.type('unlock');
  await app.press(KEYS.enter);
  frame = await app.waitFor('Mustermann_Erika');
  assert.match(frame, /^Cusp ▸ Scans/);

  await app.press(KEYS.ctrlL);
  frame = await app.waitFor('Console locked');
  assert.match(frame, /Locked with Ctrl\+L\. It also locks by itself after 3s without a key press/, 'a lock by Ctrl+L names the real timeout, not a made-up one');
});

test('remotely the lock asks for the token again, and only that token opens it', async (t) => {
  const { daemon, dir } = await consoleDaemon(t);
  const created = await runCli(['token', 'create', '--name', 'it-laptop', '--role', 'admin', '--user', '--config', daemon.configPath]);
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  const ca = readFileSync(join(dir, 'data', 'tls', 'ca.crt'));
  const connection = Connection.remote(`https://127.0.0.1:${daemon.port}`, token, ca);
  const app = renderConsole(t, connection, { idleLockMinutes: 0.01, initialScreen: 'folders' });
  let frame = await app.waitFor('Console locked', 15_000);
  assert.match(frame, /^Cusp ▸ Locked\s+remote https:\/\/127\.0\.0\.1:\d+/);
  assert.match(frame, /To open it, enter your API token again and press Enter\./);
  assert.match(frame, /API token:/);
  await app.type('unlock');
  await app.press(KEYS.enter);
  frame = await app.waitFor('✗ that is not it (1 try) — enter your API token again');
  assert.doesNotMatch(frame, /unlock/, 'what is typed for the token is masked');
  await app.type(token);
  await app.press(KEYS.enter);
  frame = await app.waitFor(/inbox\s+watching/);
  assert.match(frame, /remote https:\/\/127\.0\.0\.1/);
});
