// Migration 007 rebuilds the visits table (review state, title, no one-visit-per-day rule)
// under existing data: every visit, scan and annotation keeps its links; visits older than
// 30 days start reviewed, recent ones pending; a scan arriving in a reviewed visit reopens it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test('migration 007 keeps visits, their scans and tags, starts old visits reviewed, and allows two visits a day', (t) => {
  const path = join(tempDir(t), 'cusp.db');
  const key = randomBytes(32);
  const db = openDatabase(path, key);
  migrate(db, loadMigrations().filter((m) => m.version < 7));
  const now = new Date().toISOString();
  db.prepare("INSERT INTO patients (id, pseudo_id, created_at, updated_at) VALUES (1, 'p_aaaaaaaaaaaaaaaa', ?, ?)").run(now, now);
  db.prepare('INSERT INTO visits (id, patient_id, date, created_at) VALUES (10, 1, ?, ?), (11, 1, ?, ?)').run(daysAgo(400), now, daysAgo(3), now);
  db.prepare("INSERT INTO blobs (hash, size, chunks, created_at) VALUES ('h', 0, 0, ?)").run(now);
  db.prepare(`INSERT INTO scans (id, uid, patient_id, visit_id, jaw, original_name, format, size, sha256, status, received_at, updated_at)
    VALUES (5, 'u5', 1, 10, 'upper', 'a.stl', 'stl', 0, 'h', 'validated', ?, ?), (6, 'u6', 1, 11, 'lower', 'b.stl', 'stl', 0, 'h', 'validated', ?, ?)`).run(now, now, now, now);
  db.prepare("INSERT INTO annotations (visit_id, tag, value, created_at) VALUES (10, 'tracking', '4', ?)").run(now);
  db.close();

  const store = openStore(path, key);
  t.after(() => store.close());
  assert.deepEqual(store.migrated.filter((v) => v <= 7), [7], "007 applied (and the later ones after it)");
  const old = store.visits.get(10)!;
  const recent = store.visits.get(11)!;
  assert.deepEqual([old.date, old.review.state, old.review.by], [daysAgo(400), 'reviewed', 'system:migration-007']);
  assert.deepEqual([recent.review.state, recent.review.by, recent.title], ['pending', null, null]);
  assert.deepEqual(store.scans.forVisit(10).map((s) => s.uid), ['u5']);
  assert.deepEqual(store.annotations.forVisit(10).map((a) => [a.tag, a.value]), [['tracking', '4']], 'older free values are read as written');
  assert.deepEqual(dbOf(store).pragma('foreign_key_check'), []);

  const second = store.visits.create(1, daysAgo(3), 'afternoon');
  assert.notEqual(second.id, recent.id, 'a second visit on the same day');
  assert.equal(store.visits.findOrCreate(1, daysAgo(3)).id, recent.id, 'ingest keeps using the first visit of the day');

  // A scan moved into the reviewed visit reopens it; a flagged one stays flagged.
  store.visits.setReview(11, 'flagged', 'principal:1', null);
  store.visits.moveItems(10, { scans: [6], images: [] });
  store.visits.moveItems(11, { scans: [6], images: [] });
  assert.deepEqual([store.visits.get(10)!.review.state, store.visits.get(10)!.review.by], ['pending', 'system:migration-007']);
  assert.equal(store.visits.get(11)!.review.state, 'flagged');
  store.patients.delete(1);
  assert.deepEqual(dbOf(store).prepare('SELECT count(*) AS n FROM visits').get(), { n: 0 }, 'visits still go with their patient');
});
