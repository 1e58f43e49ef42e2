// The identity review screen against a real daemon: a scan whose name fits two patients
// waits there with what its sources said and the candidates; a person picks one after a
// question; two records of one person are merged.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReviewDto } from '../../src/api/schemas/identity.js';
import { whoItMayBe } from '../../tui/screens/identity-review.js';
import { stl } from '../fixtures/exports/build.js';
import { until } from '../helpers/until.js';
import { assertFits, consoleDaemon, Connection, flat, KEYS, renderConsole } from './console-helpers.js';

test('identity review: see what the sources say, pick a candidate, merge two records', async (t) => {
  const { inbox, socketPath } = await consoleDaemon(t);
  const connection = Connection.socket(socketPath);
  const older = await connection.client.createPatient({ lastName: 'Braun', firstName: 'Max', birthDate: '1961-03-04' });
  const younger = await connection.client.createPatient({ lastName: 'Braun', firstName: 'Max', birthDate: '1999-09-09' });
  writeFileSync(join(inbox, 'Braun_Max_2026-12-05_upper.stl'), stl(1));
  await until('the scan in review', async () => (await connection.client.identityReviews()).open === 1 || undefined, 60_000);

  const app = renderConsole(t, connection, { initialScreen: 'scans' });
  await app.waitFor('Braun_Max');
  await app.press('i');
  let frame = await app.waitFor(/Identity review · 1 waiting/);
  frame = await app.waitFor('Candidates');
  // The item says whom it may be as the admin sees patients: the name, and how many records it fits.
  assert.match(frame, /name fits several\s+upper\s+Braun, Max · 2 records/);
  assert.match(frame, /What the sources say \(inbox: Braun_Max_2026-12-05_upper\.stl/);
  assert.match(frame, /name\s+Braun, Max · 2026-12-05/, 'what the file name said');
  assert.match(frame, /Braun, Max \(1961-03-04\)\s+p_/);
  assert.match(frame, /Braun, Max \(1999-09-09\)\s+p_/);
  assertFits(frame);

  await app.press('a');
  await app.waitFor('⏎ assign');
  await app.press(KEYS.enter);
  frame = await app.waitFor('[y yes · other key: no] the selected scan is Braun, Max (1961-03-04)?');
  assertFits(frame);
  await app.press('y');
  frame = await app.waitFor('✓ 1 scan assigned to Braun, Max (1961-03-04)');
  await app.waitFor('nothing waits: every scan has its patient');
  const scan = (await connection.client.listScans({})).scans[0];
  assert.equal(scan.patient, older.id);

  await app.press('m');
  await app.waitFor('Merge: the duplicate record');
  await app.type(younger.id);
  await app.press(KEYS.enter);
  await app.waitFor('the record to keep');
  await app.type(older.id);
  await app.press(KEYS.enter);
  frame = await app.waitFor('merge these two records of one person?');
  assert.match(flat(frame), new RegExp(`everything of Braun, Max \\(1999-09-09\\) ${younger.id} moves to Braun, Max \\(1961-03-04\\) ${older.id}; the first is removed`));
  assertFits(frame);
  await app.press('y');
  frame = await app.waitFor('✓ merged: 0 scans, 0 visits moved to Braun, Max (1961-03-04)');
  assertFits(frame);
  await assert.rejects(connection.client.getPatient(younger.id), /404|no patient/);
});

test('an identity review item with one candidate shows that patient by name and birth date with the id the audit trail uses', () => {
  const candidate = { id: 'p_abcdefghijklmnop', lastName: 'Meier', firstName: 'Anna', birthDate: '1980-02-03' } as ReviewDto['candidates'][number];
  assert.equal(whoItMayBe({ candidates: [candidate], evidence: null }), 'Meier, Anna (1980-02-03) p_abcdefghijklmnop');
  assert.equal(whoItMayBe({ candidates: [], evidence: null }), 'no name in any source · no record');
});
