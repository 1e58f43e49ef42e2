// Corruption is found and said: reads of a blob check every chunk's SHA-256, a damaged
// database page (its HMAC fails) reads as storage_corrupt, and the integrity check on its
// own thread finds damage nobody has read yet. Real SQLCipher files, real worker thread
// (from dist/: run `npm run build` first).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCuspError } from '../../src/errors.js';
import { CHUNK_SIZE } from '../../src/store/blobs.js';
import { IntegrityChecker } from '../../src/store/integrity.js';
import { openStore } from '../../src/store/store.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';
import { dbOf } from '../helpers/db.js';

const isCorrupt = (err: unknown) => isCuspError(err) && err.code === 'storage_corrupt' && err.status === 500;

async function drain(chunks: AsyncGenerator<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

test('a chunk whose bytes changed is refused by every reader with storage_corrupt; other blobs read intact', async (t) => {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const bad = store.blobs.put(randomBytes(CHUNK_SIZE * 3 + 100));
  const goodBytes = randomBytes(CHUNK_SIZE * 2);
  const good = store.blobs.put(goodBytes);
  // The second chunk of `bad` changes under its hash (a bit flip the page HMAC cannot see:
  // it happened before encryption, or a bug wrote wrong bytes).
  const { chunk_hash: victim } = dbOf(store).prepare('SELECT chunk_hash FROM blob_chunks WHERE blob_hash = ? AND seq = 1').get(bad.hash) as { chunk_hash: string };
  const data = (dbOf(store).prepare('SELECT data FROM chunks WHERE hash = ?').get(victim) as { data: Buffer }).data;
  data[1000] ^= 0x01;
  dbOf(store).prepare('UPDATE chunks SET data = ? WHERE hash = ?').run(data, victim);

  assert.throws(() => store.blobs.get(bad.hash), isCorrupt);
  await assert.rejects(store.blobs.verify(bad.hash), (err) => isCorrupt(err) && /chunk 1 does not match its SHA-256/.test((err as Error).message));
  await assert.rejects(store.blobs.readArrayBuffer(bad.hash), isCorrupt);
  // The stream hands on the intact first chunk, then ends with the error — never the bad bytes.
  const seen: Buffer[] = [];
  await assert.rejects((async () => { for await (const c of store.blobs.stream(bad.hash)!) seen.push(c); })(), isCorrupt);
  assert.equal(seen.length, 1, 'only the chunk before the damaged one was handed on');

  assert.equal(await store.blobs.verify(good.hash), true);
  assert.deepEqual(store.blobs.get(good.hash), goodBytes);
  assert.deepEqual(await drain(store.blobs.stream(good.hash)!), goodBytes);
  assert.equal(await store.blobs.verify('0'.repeat(64)), false, 'a blob that is not stored is not corrupt');
});

/** Flip bytes in the middle of `pages` pages from the middle of the file on: most of it is chunk data. */
function damagePages(path: string, pages: number): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    const first = Math.floor(size / 4096 / 2);
    for (let p = first; p < first + pages; p++) writeSync(fd, randomBytes(32), 0, 32, p * 4096 + 2000);
  } finally {
    closeSync(fd);
  }
}

test('a damaged database page: the read says storage_corrupt, the integrity check finds it on its thread', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'cusp.db');
  const key = randomBytes(32);
  const { logging, lines } = captureLogging();
  t.after(() => logging.close());
  const blobs: string[] = [];
  {
    const store = openStore(path, key);
    for (let i = 0; i < 8; i++) blobs.push(store.blobs.put(randomBytes(CHUNK_SIZE * 4)).hash);
    dbOf(store).pragma('wal_checkpoint(TRUNCATE)');
    store.close();
  }
  const check = () => new IntegrityChecker({ path, key: () => key, log: logging.logger('store'), intervalMs: 0, firstAfterMs: 0 });

  const clean = await check().runNow();
  assert.equal(clean.state, 'ok', JSON.stringify(clean));
  assert.ok((clean.pages ?? 0) > 8 * 4 * 64, `read every page (${clean.pages})`);
  assert.equal(clean.reason, undefined);

  damagePages(path, 3);
  const found = await check().runNow();
  assert.equal(found.state, 'corrupt');
  assert.ok(found.problems.length > 0);
  assert.match(found.reason!, /database corrupt: .* restore the database from a backup/);
  await new Promise((r) => setImmediate(r));
  assert.ok(lines().some((l) => l.level === 'error' && /database integrity check: \d+ problem/.test(String(l.msg))), `logged at error level: ${JSON.stringify(lines())}`);

  const store = openStore(path, key);
  t.after(() => store.close());
  const outcomes = await Promise.all(blobs.map((h) => store.blobs.verify(h).then(() => 'ok', (err: unknown) => (isCorrupt(err) ? 'corrupt' : `other: ${(err as Error).message}`))));
  assert.ok(outcomes.includes('corrupt'), `some blob reads as corrupt: ${outcomes.join(', ')}`);
  assert.ok(outcomes.includes('ok'), `the others read intact: ${outcomes.join(', ')}`);
  assert.ok(!outcomes.some((o) => o.startsWith('other')), outcomes.join(', '));
});

test('a read that found corrupt bytes keeps the status corrupt and names the scan once', async (t) => {
  const { logging, lines } = captureLogging();
  t.after(() => logging.close());
  const checker = new IntegrityChecker({ path: '/nonexistent/cusp.db', key: () => randomBytes(32), log: logging.logger('store'), intervalMs: 0, firstAfterMs: 0 });
  assert.equal(checker.status.state, 'unchecked');
  checker.noteCorruptRead('3f2a0c1e-0000-4000-8000-000000000001');
  checker.noteCorruptRead('3f2a0c1e-0000-4000-8000-000000000001');
  assert.equal(checker.status.state, 'corrupt');
  assert.match(checker.status.reason!, /1 scan\(s\) could not be read intact \(3f2a0c1e-0000-4000-8000-000000000001\)/);
  assert.equal(lines().filter((l) => l.level === 'error').length, 1, 'logged once');
});
