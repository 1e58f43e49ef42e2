// The folders screen against a real daemon: pause and resume, test a rule on example
// names, add a folder after testing its rule, remove it (asked first), the quarantine.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

const skip = !hasCorpus() && 'no corpus';

test('folders: pause/resume, rule test, add with a tested rule, remove after a question, quarantine with reasons', { skip }, async (t) => {
  const { socketPath, inbox, dir, daemon } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'folders' });
  let frame = await app.waitFor(/›inbox\s+watching\s+generic\s+delete/);
  assertFits(frame);

  await app.press('p');
  await app.waitFor('✓ inbox is paused');
  await app.waitFor(/›inbox\s+paused/);
  await app.press('p');
  await app.waitFor('✓ inbox is watching');

  await app.press('t');
  await app.waitFor('Test the rule of inbox: generic (flat)');
  await app.type('Mustermann_Erika_2026-11-20_upper.stl, UpperJaw.stl');
  await app.press(KEYS.enter);
  frame = await app.waitFor('Mustermann, Erika · upper · 2026-11-20');
  assert.match(frame, /UpperJaw\.stl\s+→ no patient · upper/);
  assertFits(frame);
  await app.press(KEYS.escape);

  const trios = join(dir, 'trios-share');
  mkdirSync(trios);
  await app.press('a');
  await app.waitFor('Folder path (absolute):');
  await app.type(trios);
  await app.press(KEYS.enter);
  await app.waitFor("Name (Enter for the folder's own):");
  await app.type('trios');
  await app.press(KEYS.enter);
  await app.waitFor('Filename rule:');
  await app.press(...Array(7).fill(KEYS.backspace));
  await app.type('{lastName}_{firstName}_{date}_{jaw}');
  await app.press(KEYS.enter);
  await app.waitFor('Example file names, comma-separated');
  await app.type('Doe_Jane_2026-11-21_lower.ply');
  await app.press(KEYS.enter);
  frame = await app.waitFor('Doe, Jane · lower · 2026-11-21');
  assert.match(frame, /\[y yes · e edit rule · other key: no\] Watch .*trios-share\?/);
  assertFits(frame);
  await app.press('y');
  await app.waitFor(/✓ watching .*trios-share as trios/);
  frame = await app.waitFor(/trios\s+(watching|starting)\s+\{lastName/);
  const listed = await daemon.request('GET', '/api/v1/health');
  assert.equal(listed.status, 200);

  await app.press(KEYS.down, 'd');
  await app.waitFor(/\[y yes · other key: no\] Stop watching trios/);
  await app.press('n');
  await app.waitFor('nothing done');
  await app.press('d');
  await app.waitFor(/Stop watching trios/);
  await app.press('y');
  await app.waitFor('✓ trios is no longer watched');
  await app.waitFor((f) => !/trios\s+(watching|starting)/.test(f));

  copyFileSync(corpusPath('broken/derived_tooth24_header_overclaims.stl'), join(inbox, 'Broken_Case_2026-11-21_upper.stl'));
  await app.press(KEYS.up, KEYS.enter);
  frame = await app.waitFor(/Quarantine of inbox · 1 file · /, 60_000);
  assert.match(frame, /Broken_Case_2026-11-21_upper\.stl \(818 KiB, [^)]+\): header says 21744\s+triangles/);
  assert.match(frame, /›\s+\d\d-\d\d \d\d:\d\d Broken_Case_2026-11-21_uppe… header says 21744/);
  assert.match(frame, /the header count is wrong or the file was cut short; re-export from\s+the scanner/, 'the whole reason, wrapped, not cut at the edge');
  assert.match(frame, /Whose: Broken, Case · no record yet \(a retry creates one\)/, 'whom the name points to');
  assertFits(frame);
  // Once the patient has a record, the entry shows it by name with the id the audit trail uses.
  const patient = await Connection.socket(socketPath).client.createPatient({ lastName: 'Broken', firstName: 'Case', birthDate: '1970-01-02' });
  await app.press(KEYS.escape, KEYS.enter);
  frame = await app.waitFor(`Whose: Broken, Case (1970-01-02) ${patient.id}`, 30_000);
  assertFits(frame);

  // Retry: back to the drop folder, still broken, so quarantined again with its reason.
  await app.press(' ');
  await app.waitFor(/1 file · 1 marked/);
  await app.press('r');
  await app.waitFor(/✓ 1 file back in inbox: ingest takes it as new/);
  // Taken in again and quarantined again (the list briefly still shows the old entry).
  await until('the file quarantined again', () => (daemon.output().match(/quarantined a file from folder inbox/g) ?? []).length >= 2, 60_000);
  frame = await app.waitFor(/Quarantine of inbox .* 1 file\b(?! · 1 marked)[\s\S]*Broken_Case_2026-11-21_upper\.stl \(818 KiB/, 60_000);
  // Delete: asked first; no keeps it, yes deletes file and note.
  await app.press('d');
  await app.waitFor(/\[y yes · other key: no\] Delete Broken_Case_2026-11-21_upper\.stl and its note/);
  await app.press('n');
  await app.waitFor((f) => !/Delete Broken_Case/.test(f));
  await app.press('d');
  await app.waitFor(/Delete Broken_Case/);
  await app.press('y');
  frame = await app.waitFor(/✓ 1 file deleted from the quarantine/);
  await app.waitFor(/the quarantine is empty/);
  assertFits(frame);
  await app.press(KEYS.escape);
  await app.waitFor(/›inbox\s+watching/);
});
