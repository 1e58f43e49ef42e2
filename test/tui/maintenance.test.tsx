// The maintenance screen against a real daemon: back up now, rotate the key (through
// `cusp key rotate`, the console holds no key), retention years, purge dry run, legal holds.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { CLI } from '../helpers/daemon.js';
import { until } from '../helpers/until.js';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('maintenance: backup, key rotation, retention, purge dry run, place and lift a legal hold', { skip }, async (t) => {
  const { socketPath, inbox, dir, daemon } = await consoleDaemon(t);
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'maintenance', site: { cli: { argv: [process.execPath, CLI], config: daemon.configPath } } });
  let frame = await app.waitFor((f) => f.includes('scans kept 10 years from the captured date (config file)') && f.includes('no patient is on legal hold'));
  assertFits(frame);

  await app.press('b');
  frame = await app.waitFor(/✓ backup written \([\d.]+ [KM]iB\): …\S*\/backups\/(cusp-\S+)/, 60_000);
  const backupFile = /\/backups\/(cusp-\S+)/.exec(frame)![1];
  assert.ok(existsSync(join(dir, 'data', 'backups', backupFile)), `${backupFile} is in the backup folder`);

  const keyBefore = readFileSync(join(dir, 'cusp.key'), 'utf8');
  await app.press('k');
  await app.waitFor('[y yes · other key: no] Rotate the database key now?');
  await app.press('y');
  await app.waitFor(/✓ database key rotated by the running daemon/, 60_000);
  assert.notEqual(readFileSync(join(dir, 'cusp.key'), 'utf8'), keyBefore);
  assert.equal((await daemon.request('GET', '/api/v1/health')).status, 200);

  await app.press('y');
  await app.type('7');
  await app.press(KEYS.enter);
  await app.waitFor('[y yes · other key: no] Keep scans 7 years from the captured date? Older scans');
  await app.press('y');
  await app.waitFor('✓ scans are kept 7 years from the captured date');
  await app.waitFor(/scans kept 7 years from the captured date \(set by local-admin/);

  await app.press('u');
  await app.waitFor(/✓ dry run: 0 expired scans dated before \d{4}-\d\d-\d\d, 0 kept for legal holds/);

  // The hold needs the patient the dropped scan created: wait for the ingest (on a busy machine it can still be under way).
  await until('the dropped scan', async () => (await Connection.socket(socketPath).client.listScans()).scans.length === 1);
  await app.press('h');
  await app.waitFor('Place a legal hold: which patient?');
  await app.type('Mustermann');
  await app.press(KEYS.enter);
  await app.waitFor(/Reason for the hold on Mustermann, Erika p_[a-z2-7]{16}:/);
  await app.type('claim 2026-17');
  await app.press(KEYS.enter);
  // The held patient as an admin knows them (name), with the id the audit trail shows.
  frame = await app.waitFor(/›Mustermann, Erika\s+(p_[a-z2-7]{16})\s+"claim 2026-17"/, 30_000);
  const heldId = /›Mustermann, Erika\s+(p_[a-z2-7]{16})/.exec(frame)![1];
  const admin = Connection.socket(socketPath).client;
  const auditor = await admin.createPrincipal('privacy-officer', 'auditor', 'user');
  const auditorToken = (await admin.issueToken(auditor.id, 'audit')).token;
  const listed = await daemon.request('GET', '/api/v1/retention/holds', { token: auditorToken });
  const body = listed.body as { holds: Array<{ patient: string; name: unknown }> };
  assert.deepEqual(body.holds.map((h) => [h.patient, h.name]), [[heldId, null]], 'an auditor sees the id only');
  // The count comes with its own request, after the list's.
  frame = await app.waitFor(/Legal holds 1 patient/);
  assertFits(frame);

  await app.press('l');
  await app.waitFor(/Lift the hold on Mustermann, Erika\? Their scans may/);
  await app.press('y');
  await app.waitFor(/✓ hold on Mustermann, Erika p_[a-z2-7]{16} lifted/);
  await app.waitFor('no patient is on legal hold');
});
