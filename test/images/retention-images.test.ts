// Retention covers photos: an image older than the policy goes with its bytes (each
// removal audited), one of a patient on legal hold stays, a recent one stays; a photo that
// is also a scan's source file keeps its bytes while the scan is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { purgeExpiredScans } from '../../src/retention/purge.js';
import { stack } from '../helpers/stack.js';
import { jpeg, toothPhoto } from './photos.js';
import { dbOf } from '../helpers/db.js';

test('the retention purge removes expired photos with their bytes, never a held patient\'s, never a recent one', async (t) => {
  const s = stack(t);
  const held = s.store.patients.create({ lastName: 'Held', firstName: null, birthDate: null, externalIds: [] });
  const free = s.store.patients.create({ lastName: 'Free', firstName: null, birthDate: null, externalIds: [] });
  s.store.retention.placeHold(held.id, 'matter 7', 'test');
  const upload = (seed: number, patientId: number, capturedAt: string) => s.photos.ingestUpload({ bytes: jpeg(toothPhoto(64, 48, seed)), name: `p${seed}_frontal.jpg`, patientId, capturedAt, actor: 'test' });
  const old = (await upload(1, free.id, '2001-03-04')).image;
  const oldHeld = (await upload(2, held.id, '2001-03-04')).image;
  const recent = (await upload(3, free.id, new Date().toISOString().slice(0, 10))).image;

  const dry = await purgeExpiredScans({ store: s.store, audit: s.audit, defaults: { scansYears: 10 } }, { dryRun: true, actor: 'test' });
  assert.deepEqual(dry.images.purged.map((i) => i.uid), [old.uid]);
  assert.equal(dry.images.held, 1);
  assert.ok(s.store.images.get(old.id), 'a dry run removes nothing');

  const run = await purgeExpiredScans({ store: s.store, audit: s.audit, defaults: { scansYears: 10 } }, { dryRun: false, actor: 'test' });
  assert.deepEqual(run.images.purged.map((i) => i.uid), [old.uid]);
  assert.equal(s.store.images.get(old.id), undefined);
  assert.equal(s.store.blobs.exists(old.sha256), false, 'its bytes are gone');
  assert.ok(s.store.images.get(oldHeld.id), 'legal hold keeps it');
  assert.ok(s.store.images.get(recent.id));
  const purgeEvent = dbOf(s.store).prepare("SELECT object FROM audit_events WHERE action = 'image.purge'").all() as Array<{ object: string }>;
  assert.deepEqual(purgeEvent.map((e) => e.object), [`image:${old.uid}`]);
  assert.equal(s.verify().ok, true);
});
