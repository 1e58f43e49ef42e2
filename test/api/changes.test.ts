// The changes feed: what a practice system polls to stay in step with Cusp.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const MOLAR = 'dental/openfulljaw_P26_maxilla_tooth14_molar.stl';
const skip = !hasCorpus() && 'no corpus';

test('a scan that arrives shows up in the feed after the last seen seq; the next poll starts after it', { skip }, async (t) => {
  const api = await apiStack(t);
  const client = api.as('integration');
  const before = await client.changes(0);
  assert.deepEqual(before, { changes: [], last: 0, done: true });

  for (const [i, file] of [TOOTH, MOLAR].entries()) {
    const name = `Smith_John_2026-11-2${i}_upper.stl`;
    copyFileSync(corpusPath(file), join(api.inbox, name));
    const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, name), relativePath: name, firstSeenMs: Date.now() });
    assert.equal(outcome.kind, 'stored');
  }
  const uids = (dbOf(api.store).prepare('SELECT uid FROM scans ORDER BY id').all() as Array<{ uid: string }>).map((r) => r.uid);
  const all = await client.changes(0);
  const patient = api.store.patients.findByName('Smith', 'John')!;
  // Ingest made the patient with the first scan, and a visit for each day: they are in the
  // feed too, the patient before its visit, the visit before its scan.
  const visits = (dbOf(api.store).prepare('SELECT id FROM visits ORDER BY id').all() as Array<{ id: number }>).map((r) => String(r.id));
  assert.deepEqual(all.changes.map((c) => [c.type, c.objectId]), [['patient.created', patient.pseudoId], ['visit.created', visits[0]], ['scan.received', uids[0]], ['visit.created', visits[1]], ['scan.received', uids[1]]]);
  assert.deepEqual(all.changes[1].data, { patient: patient.pseudoId, by: 'ingest' });
  assert.ok(all.changes[2].seq < all.changes[4].seq);
  assert.equal(all.changes[2].data.patient, patient.pseudoId, 'changes name patients by pseudonymous id');
  assert.doesNotMatch(JSON.stringify(all), /Smith|John/, 'and never by name');

  const first = await client.changes(0, 4);
  assert.equal(first.changes.length, 4);
  assert.equal(first.done, false, 'one more change waits');
  const rest = await client.changes(first.last, 1);
  assert.deepEqual(rest.changes.map((c) => c.objectId), [uids[1]]);
  const empty = await client.changes(all.last);
  assert.deepEqual(empty, { changes: [], last: all.last, done: true });

  const reads = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'changes.read' ORDER BY seq").all() as Array<{ details: string }>;
  assert.equal(reads.length, 3, 'every poll that returned changes is audited; empty polls are not');
  assert.deepEqual(JSON.parse(reads[0].details), { since: 0, count: 5 });
});
