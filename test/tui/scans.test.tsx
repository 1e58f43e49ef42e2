// The scans screen against a real daemon: the list and its filters, the detail with the
// validation report in words, assigning an unassigned scan, and the questions before jobs.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('scans: list, filter unassigned, open the report, assign to a patient, find by patient name', { skip }, async (t) => {
  const { socketPath, inbox } = await consoleDaemon(t);
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  copyFileSync(corpusPath('dental/openfulljaw_P26_mandible_tooth24_incisor.stl'), join(inbox, 'LowerJaw.stl'));
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'scans' });

  // Validated first; the analyse job may have run by now too.
  let frame = await app.waitFor((f) => (f.match(/(validated|analysed)\s+ok/g) ?? []).length === 2, 60_000);
  assert.match(frame, /2 shown · status all · verdict all · date all/);
  assert.match(frame, /unassigned\s+lower\s+(validated|analysed)\s+ok\s+LowerJaw\.stl/);
  assert.match(frame, /p_[a-z2-7]{16}\s+upper\s+(validated|analysed)\s+ok\s+Mustermann_Erika/);
  assertFits(frame);

  await app.press('u');
  frame = await app.waitFor('unassigned only');
  await app.waitFor((f) => /1 shown ·/.test(f) && !f.includes('Mustermann'));

  await app.press(KEYS.enter);
  frame = await app.waitFor('Good: no problems found.');
  assert.match(frame, /Scan [0-9a-f-]{36} v1 · STL · 818 KiB · lower/);
  assert.match(frame, /Patient: unassigned — press a to assign it/);
  assert.match(frame, /16,744 triangles · 8,374 vertices/);
  assert.match(frame, /#\d+ validate\s+done/);
  assertFits(frame);
  // The thumbnail of the derive job, drawn in braille (colours are off here): dots right of the report.
  frame = await app.waitFor((f) => f.split('\n').filter((l) => /[\u2801-\u28FF]/.test(l)).length >= 5, 60_000);
  assert.match(frame, /#\d+ derive\s+done/);
  assertFits(frame);

  await app.press('a');
  await app.waitFor('Patient (name, pms:ID or p_…):');
  await app.type('Muster');
  await app.press(KEYS.enter);
  frame = await app.waitFor('✓ assigned to Mustermann, Erika');
  frame = await app.waitFor(/Patient: Mustermann, Erika p_[a-z2-7]{16}/);
  assertFits(frame);

  // Misfiled after all: a assigns only a scan without a patient; m moves it, after a question.
  const schulz = await Connection.socket(socketPath).client.createPatient({ lastName: 'Schulz', firstName: 'Jonas', birthDate: '1990-01-01' });
  await app.press('a');
  await app.waitFor('this scan has its patient — m moves a misfiled scan to another');
  await app.press('m');
  await app.waitFor(/Move scan LowerJaw\.stl from Mustermann, Erika p_[a-z2-7]{16} to/);
  await app.type('Schulz');
  await app.press(KEYS.enter);
  frame = await app.waitFor("Move this scan to Schulz, Jonas (1990-01-01)?");
  assertFits(frame);
  await app.press('y');
  await app.waitFor(`✓ moved to Schulz, Jonas (1990-01-01) (${schulz.id})`);
  frame = await app.waitFor(`Patient: Schulz, Jonas (1990-01-01) ${schulz.id}`);
  assertFits(frame);

  await app.press('r');
  await app.waitFor('[y yes · other key: no] Run validate again for this scan?');
  await app.press('n');
  await app.waitFor('nothing done');

  await app.press(KEYS.escape, 'x');
  await app.waitFor(/2 shown ·/);
  await app.press('/');
  await app.type('mustermann');
  await app.press(KEYS.enter);
  // Her upper scan only: the lower one was moved to Schulz above.
  frame = await app.waitFor(/1 shown · .*patient Mustermann, Erika/);
  assert.match(frame, /upper\s+(validated|analysed)\s+ok\s+Mustermann_Erika/);
  assert.doesNotMatch(frame, /lower/);
  assertFits(frame);
});

test('a scan whose jobs have not run yet: not validated, no preview, its validate job queued (the API in process, no workers)', { skip }, async (t) => {
  const api = await apiStack(t);
  const name = 'Mustermann_Erika_2026-11-20_upper.stl';
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), join(api.inbox, name));
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, name), relativePath: name, firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'stored');
  const app = renderConsole(t, Connection.socket(api.socketPath), { initialScreen: 'scans' });
  await app.waitFor(/›.*upper\s+received\s+—\s+Mustermann_Erika/);
  await app.press(KEYS.enter);
  const frame = await app.waitFor('preview not made yet');
  assert.match(frame, /Status: received/);
  assert.match(frame, /not validated yet/);
  assert.match(frame, /#\d+ validate\s+queued/);
  assertFits(frame);
});
