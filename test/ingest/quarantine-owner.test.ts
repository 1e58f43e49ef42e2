// Whose a quarantined file may be: read from its name with the folder's rule, matched to
// records the way ingest matches them, read only — never a record created, never a guess.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { quarantineOwner } from '../../src/ingest/quarantine-owner.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

test('a quarantined file name points to one record (shown as the record names them), to none, or to several — and nothing is created', (t) => {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const generic = { rule: 'generic', layout: 'flat' as const };
  const anna = store.patients.create({ lastName: 'Meier', firstName: 'Anna', birthDate: '1980-02-03', externalIds: [] });
  store.patients.create({ lastName: 'Braun', firstName: 'Max', birthDate: '1961-03-04', externalIds: [] });
  store.patients.create({ lastName: 'Braun', firstName: 'Max', birthDate: '1999-09-09', externalIds: [] });
  const before = store.patients.search({ limit: 100 }).patients.length;

  assert.deepEqual(quarantineOwner(store, generic, 'Meier_Anna_2026-12-01_upper.stl'),
    { lastName: 'Meier', firstName: 'Anna', birthDate: '1980-02-03', patient: anna.pseudoId, records: 1 });
  assert.deepEqual(quarantineOwner(store, generic, 'Braun_Max_2026-12-01_upper.stl'),
    { lastName: 'Braun', firstName: 'Max', birthDate: null, patient: null, records: 2 }, 'two records: no pick');
  assert.deepEqual(quarantineOwner(store, generic, 'Neu_Nina_2026-12-01_lower.stl'),
    { lastName: 'Neu', firstName: 'Nina', birthDate: null, patient: null, records: 0 });
  assert.equal(quarantineOwner(store, generic, 'scan.stl'), null, 'a name that names no one');
  assert.equal(store.patients.search({ limit: 100 }).patients.length, before, 'nothing created');
});
