import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobStore, CHUNK_SIZE, sha256 } from '../../src/store/blobs.js';
import { openStore } from '../../src/store/store.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

function freshStore(t: import('node:test').TestContext) {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  return store;
}

/**
 * The BlobStore class itself over a store's database (services see its BlobArea face as
 * `store.blobs`): these tests also reach what only src/store uses — delete, has,
 * sweepOrphanChunks. One per store, so its pacing state is shared by a test's calls.
 */
const classes = new WeakMap<object, BlobStore>();
function blobsOf(store: ReturnType<typeof openStore>): BlobStore {
  let blobs = classes.get(store);
  if (!blobs) classes.set(store, (blobs = new BlobStore(dbOf(store))));
  return blobs;
}

test('a real scan round-trips byte for byte and is addressed by its SHA-256', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const store = freshStore(t);
  const bytes = corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl');
  const info = blobsOf(store).put(bytes);
  assert.equal(info.hash, '80884e4884a08ad17717257a735f7951bf34386f2a4a92b96029c2e314911e19', 'matches the manifest sha256');
  assert.equal(info.chunks, Math.ceil(bytes.length / CHUNK_SIZE));
  assert.deepEqual(blobsOf(store).get(info.hash), bytes);
  const streamed: Buffer[] = [];
  for await (const chunk of blobsOf(store).stream(info.hash)!) streamed.push(chunk);
  assert.deepEqual(Buffer.concat(streamed), bytes);
});

test('the same bytes are stored once; shared chunks are stored once', (t) => {
  const store = freshStore(t);
  const a = randomBytes(CHUNK_SIZE * 3);
  const b = Buffer.concat([a.subarray(0, CHUNK_SIZE * 2), randomBytes(100)]); // shares two chunks with a
  blobsOf(store).put(a);
  blobsOf(store).put(a);
  blobsOf(store).put(b);
  const count = (sql: string) => (dbOf(store).prepare(sql).get() as { n: number }).n;
  assert.equal(count('SELECT count(*) AS n FROM blobs'), 2);
  assert.equal(count('SELECT count(*) AS n FROM chunks'), 4, '3 chunks of a + 1 new tail chunk of b');
});

test('deleting a blob keeps chunks another blob still uses, and removes the rest', (t) => {
  const store = freshStore(t);
  const a = randomBytes(CHUNK_SIZE * 2);
  const b = Buffer.concat([a.subarray(0, CHUNK_SIZE), randomBytes(10)]);
  const ia = blobsOf(store).put(a);
  const ib = blobsOf(store).put(b);
  blobsOf(store).delete(ia.hash);
  assert.equal(blobsOf(store).get(ia.hash), undefined);
  assert.deepEqual(blobsOf(store).get(ib.hash), b);
  blobsOf(store).delete(ib.hash);
  assert.equal((dbOf(store).prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n, 0);
});

test('an empty blob and an exact multiple of the chunk size round-trip', (t) => {
  const store = freshStore(t);
  for (const bytes of [Buffer.alloc(0), randomBytes(CHUNK_SIZE), randomBytes(CHUNK_SIZE * 2)]) {
    const info = blobsOf(store).put(bytes);
    assert.equal(info.hash, sha256(bytes));
    assert.deepEqual(blobsOf(store).get(info.hash), bytes);
  }
});

test('a blob written inside a failed transaction is not stored (blob first, then index, both or neither)', (t) => {
  const store = freshStore(t);
  const bytes = randomBytes(1000);
  assert.throws(() => store.transaction(() => {
    blobsOf(store).put(bytes);
    throw new Error('index write failed');
  }), /index write failed/);
  assert.equal(blobsOf(store).has(sha256(bytes)), false);
  assert.ok(new BlobStore(dbOf(store), 16).put(randomBytes(40)).chunks === 3, 'chunk size is honoured');
});

const rows = (store: ReturnType<typeof freshStore>, table: string) => (dbOf(store).prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

test('stage writes the chunks ahead, a chunk per turn of the event loop; put then only links them', async (t) => {
  const store = freshStore(t);
  const bytes = randomBytes(CHUNK_SIZE * 4 + 17);
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  const staging = blobsOf(store).stage(bytes);
  // Nothing is written before the first turn: the caller's event loop runs in between.
  assert.equal(rows(store, 'chunks'), 0);
  const staged = await staging;
  clearInterval(ticker);
  assert.equal(staged.hash, sha256(bytes));
  assert.equal(staged.chunkHashes.length, 5);
  assert.equal(rows(store, 'chunks'), 5, 'chunks written by stage');
  assert.equal(rows(store, 'blobs'), 0, 'no blob until put');
  assert.ok(turns >= 1, `timers ran while staging (${turns})`);
  const info = store.transaction(() => blobsOf(store).put(bytes, undefined, staged));
  assert.deepEqual(info, { hash: staged.hash, size: bytes.length, chunks: 5 });
  assert.equal(rows(store, 'chunks'), 5, 'put wrote no chunk twice');
  assert.deepEqual(blobsOf(store).get(info.hash), bytes);
  assert.deepEqual(Buffer.from(await blobsOf(store).readArrayBuffer(info.hash) as ArrayBuffer), bytes);
  const streamed: Buffer[] = [];
  for await (const chunk of blobsOf(store).stream(info.hash)!) streamed.push(chunk);
  assert.equal(streamed.length, 5);
  assert.deepEqual(Buffer.concat(streamed), bytes);
  assert.equal(blobsOf(store).stream('0'.repeat(64)), undefined);
  assert.equal(await blobsOf(store).readArrayBuffer('0'.repeat(64)), undefined);
});

test('a staged chunk removed before put (another blob sharing it was erased) is written again by put', async (t) => {
  const store = freshStore(t);
  const shared = randomBytes(CHUNK_SIZE);
  const other = blobsOf(store).put(Buffer.concat([shared, randomBytes(5)]));
  const bytes = Buffer.concat([shared, randomBytes(9)]);
  const staged = await blobsOf(store).stage(bytes);
  await blobsOf(store).deleteAsync(other.hash);
  assert.equal(rows(store, 'chunks'), 1, 'the shared chunk went with the erased blob; the staged tail stays');
  const info = blobsOf(store).put(bytes, undefined, staged);
  assert.deepEqual(blobsOf(store).get(info.hash), bytes);
});

test('deleteAsync removes the blob at once for readers and its unshared chunks over later turns', async (t) => {
  const store = freshStore(t);
  const a = randomBytes(CHUNK_SIZE * 3);
  const b = Buffer.concat([a.subarray(0, CHUNK_SIZE), randomBytes(3)]);
  const ia = blobsOf(store).put(a);
  const ib = blobsOf(store).put(b);
  const deleting = blobsOf(store).deleteAsync(ia.hash);
  assert.equal(blobsOf(store).has(ia.hash), false, 'gone for readers before the first turn');
  assert.equal(rows(store, 'chunks'), 4, 'its chunks are freed in later turns');
  await deleting;
  assert.equal(rows(store, 'chunks'), 2, "b's two chunks stay");
  assert.deepEqual(blobsOf(store).get(ib.hash), b);
});

test('sweepOrphanChunks removes what a stop between stage and put left, and nothing a blob uses', async (t) => {
  const store = freshStore(t);
  const kept = blobsOf(store).put(randomBytes(CHUNK_SIZE * 2));
  await blobsOf(store).stage(randomBytes(CHUNK_SIZE * 3)); // never put: the process "stopped"
  assert.equal(rows(store, 'chunks'), 5);
  assert.equal(blobsOf(store).sweepOrphanChunks(), 3);
  assert.equal(rows(store, 'chunks'), 2);
  assert.equal(blobsOf(store).get(kept.hash)?.length, CHUNK_SIZE * 2);
  assert.equal(blobsOf(store).sweepOrphanChunks(), 0);
});

test('an empty blob stages and puts like put alone', async (t) => {
  const store = freshStore(t);
  const staged = await blobsOf(store).stage(Buffer.alloc(0));
  const info = blobsOf(store).put(Buffer.alloc(0), undefined, staged);
  assert.equal(info.hash, sha256(Buffer.alloc(0)));
  assert.deepEqual(blobsOf(store).get(info.hash), Buffer.alloc(0));
  assert.equal(blobsOf(store).sweepOrphanChunks(), 0);
});
