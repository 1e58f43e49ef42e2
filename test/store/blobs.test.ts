import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobStore, CHUNK_SIZE, sha256 } from '../../src/store/blobs.js';
import { openStore } from '../../src/store/store.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

function freshStore(t: import('node:test').TestContext) {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  return store;
}

test('a real scan round-trips byte for byte and is addressed by its SHA-256', { skip: !hasCorpus() && 'no corpus' }, (t) => {
  const store = freshStore(t);
  const bytes = corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl');
  const info = store.blobs.put(bytes);
  assert.equal(info.hash, '80884e4884a08ad17717257a735f7951bf34386f2a4a92b96029c2e314911e19', 'matches the manifest sha256');
  assert.equal(info.chunks, Math.ceil(bytes.length / CHUNK_SIZE));
  assert.deepEqual(store.blobs.get(info.hash), bytes);
  assert.deepEqual(Buffer.concat([...store.blobs.chunks(info.hash)]), bytes);
});

test('the same bytes are stored once; shared chunks are stored once', (t) => {
  const store = freshStore(t);
  const a = randomBytes(CHUNK_SIZE * 3);
  const b = Buffer.concat([a.subarray(0, CHUNK_SIZE * 2), randomBytes(100)]); // shares two chunks with a
  store.blobs.put(a);
  store.blobs.put(a);
  store.blobs.put(b);
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  assert.equal(count('SELECT count(*) AS n FROM blobs'), 2);
  assert.equal(count('SELECT count(*) AS n FROM chunks'), 4, '3 chunks of a + 1 new tail chunk of b');
});

test('deleting a blob keeps chunks another blob still uses, and removes the rest', (t) => {
  const store = freshStore(t);
  const a = randomBytes(CHUNK_SIZE * 2);
  const b = Buffer.concat([a.subarray(0, CHUNK_SIZE), randomBytes(10)]);
  const ia = store.blobs.put(a);
  const ib = store.blobs.put(b);
  store.blobs.delete(ia.hash);
  assert.equal(store.blobs.get(ia.hash), undefined);
  assert.deepEqual(store.blobs.get(ib.hash), b);
  store.blobs.delete(ib.hash);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n, 0);
});

test('an empty blob and an exact multiple of the chunk size round-trip', (t) => {
  const store = freshStore(t);
  for (const bytes of [Buffer.alloc(0), randomBytes(CHUNK_SIZE), randomBytes(CHUNK_SIZE * 2)]) {
    const info = store.blobs.put(bytes);
    assert.equal(info.hash, sha256(bytes));
    assert.deepEqual(store.blobs.get(info.hash), bytes);
  }
});

test('a blob written inside a failed transaction is not stored (blob first, then index, both or neither)', (t) => {
  const store = freshStore(t);
  const bytes = randomBytes(1000);
  assert.throws(() => store.transaction(() => {
    store.blobs.put(bytes);
    throw new Error('index write failed');
  }), /index write failed/);
  assert.equal(store.blobs.has(sha256(bytes)), false);
  assert.ok(new BlobStore(store.db, 16).put(randomBytes(40)).chunks === 3, 'chunk size is honoured');
});
