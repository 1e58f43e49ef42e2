// A scan listing is written by SQLite (SCAN_DTO_JSON through ScanRepository.listAs): it must
// be byte for byte the JSON of scanDto for the same scans, whatever their fields hold.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCAN_DTO_JSON, scanDto } from '../../src/api/schemas/scan.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

test('a listing written by SQLite is the JSON of scanDto, field for field and byte for byte', (t) => {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const patient = store.patients.create({ lastName: 'Müller', firstName: 'Zoë' });
  const blob = store.blobs.put(randomBytes(64));
  const awkward = 'quote " backslash \\ tab \t newline \n bell \u0007 ümlaut 日本 emoji 🦷 slash / <script>';
  const first = store.scans.insert({ patientId: patient.id, jaw: 'upper', capturedAt: '2026-11-20', originalName: awkward, format: 'stl', size: 64, sha256: blob.hash, sourceFolder: '/srv/in', scanner: 'iTero Element 5D' });
  store.scans.setStatus(first.id, 'rejected', 'fail', `not a mesh: ${awkward}`);
  store.scans.insert({ patientId: patient.id, jaw: 'upper', capturedAt: '2026-11-20', originalName: 'again.stl', format: 'stl', size: 64, sha256: blob.hash, sourceFolder: null, version: 2, supersedes: first.id });
  store.scans.insert({ patientId: null, jaw: 'other', capturedAt: null, originalName: 'unassigned.ply', format: 'ply', size: 2 ** 40, sha256: blob.hash, sourceFolder: 'upload', scanner: null });
  const filters = [{ limit: 50 }, { limit: 2 }, { patientId: patient.id, limit: 50 }, { unassigned: true, limit: 50 }, { sort: 'captured' as const, order: 'asc' as const, limit: 50 }];
  for (const filter of filters) {
    const objects = store.scans.list(filter);
    const json = store.scans.listAs(filter, SCAN_DTO_JSON);
    assert.equal(json.rows.length, objects.scans.length);
    assert.deepEqual(json.next, objects.next, 'the same cursor');
    json.rows.forEach((row, i) => assert.equal(row, JSON.stringify(scanDto(store, objects.scans[i])), `row ${i} of ${JSON.stringify(filter)}`));
  }
  assert.equal(store.scans.listAs({ limit: 50 }, SCAN_DTO_JSON).rows.length, 3);
});
