// Staging a blob from a file (an upload's temp file) a chunk at a time: stored byte for
// byte, deduplicated like any blob; a file that changed since it was hashed is refused, and
// a chunk that vanished before the link refuses the link instead of storing a hole.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../../src/store/blobs.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

function setup(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  return { dir, store };
}

test('a file staged and linked is stored byte for byte, its chunks shared with the same bytes stored from memory', async (t) => {
  const { dir, store } = setup(t);
  const bytes = randomBytes(3 * 256 * 1024 + 1000); // four chunks, the last one short
  const path = join(dir, 'upload.part');
  writeFileSync(path, bytes);
  const staged = await store.blobs.stageFile(path, sha256(bytes));
  assert.deepEqual([staged.hash, staged.size, staged.chunkHashes.length], [sha256(bytes), bytes.length, 4]);
  assert.equal(store.blobs.exists(staged.hash), false, 'not a blob before the link');
  const info = store.transaction(() => store.blobs.linkStaged(staged));
  assert.deepEqual(info, { hash: sha256(bytes), size: bytes.length, chunks: 4 });
  assert.deepEqual(store.blobs.get(info.hash), bytes);
  const chunks = () => (dbOf(store).prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  const before = chunks();
  store.blobs.put(Buffer.concat([bytes, Buffer.from('x')]));
  assert.equal(chunks(), before + 1, 'only the changed last chunk is new');
});

test('a temp file that changed after it was hashed is refused; a chunk gone before the link refuses the link', async (t) => {
  const { dir, store } = setup(t);
  const bytes = randomBytes(600_000);
  const path = join(dir, 'upload.part');
  writeFileSync(path, bytes);
  await assert.rejects(store.blobs.stageFile(path, sha256(randomBytes(10))), (e: Error & { code?: string }) => e.code === 'store_failed' && /changed on disk before it was stored .* send the file again/.test(e.message));
  const staged = await store.blobs.stageFile(path, sha256(bytes));
  dbOf(store).prepare('DELETE FROM chunks WHERE hash = ?').run(staged.chunkHashes[1]);
  assert.throws(() => store.transaction(() => store.blobs.linkStaged(staged)), (e: Error & { code?: string }) => e.code === 'conflict' && /send the file again/.test(e.message));
  assert.equal(store.blobs.exists(staged.hash), false, 'no blob with a hole');
});
