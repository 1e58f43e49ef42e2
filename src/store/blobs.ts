/**
 * The blob store: write, read and remove bytes by their SHA-256, inside the encrypted
 * database. Blobs are split into content-addressed chunks, so the same bytes are kept once.
 *
 * Chunk size, measured with `npm run bench -- store` on this machine kind (2 cores,
 * SQLCipher 4, 4096-byte cipher pages, WAL, synchronous=FULL, 64 MiB of 1.4 MB scans):
 * see CHUNK_SIZE below. The cipher page size stays at SQLCipher 4's default of 4096 bytes
 * because a larger one would need `PRAGMA cipher_page_size` in every other SQLCipher tool
 * (the database must open in stock SQLCipher 4 with nothing but `PRAGMA key`), and the
 * bench showed larger pages gain too little to be worth it.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CuspError, isCuspError } from '../errors.js';
import { withoutFsync, type Db } from './database.js';

/**
 * 256 KiB: large enough that per-row overhead is small, small enough that a chunk's
 * overflow-page chain stays short. Figures in the bench output and the README.
 */
export const CHUNK_SIZE = 256 * 1024;

export interface BlobInfo {
  hash: string;
  size: number;
  chunks: number;
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Bytes hashed or moved per turn of the event loop by the async methods below: one chunk,
 * a few milliseconds of work, so API requests are served between the turns of a 50 MB scan.
 */
const SLICE = CHUNK_SIZE;

/** SHA-256 of bytes, one slice per turn of the event loop (50 MB: 28 ms of hashing in 200 turns). */
export async function sha256Async(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let i = 0; i < bytes.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    hash.update(bytes.subarray(i, Math.min(bytes.length, i + SLICE)));
  }
  return hash.digest('hex');
}

/** What `stage` wrote ahead of `put`. */
export interface StagedBlob {
  hash: string;
  chunkHashes: string[];
}

/** What `stageFile` wrote ahead of `linkStaged`: the chunks of a file that is not in memory. */
export interface StagedFile extends StagedBlob {
  size: number;
}

/** Resolves when a big writer may write its next `pages` pages (WalCheckpointer.writeRoom). */
export type WriteRoom = (pages: number) => Promise<void> | undefined;

/** A chunk as read: the hash it is stored under (its SHA-256) and its bytes. */
interface ChunkRow {
  hash: string;
  data: Buffer;
}

/**
 * The error every read of corrupt stored bytes ends in: a chunk whose bytes no longer
 * match the SHA-256 it is stored under, a blob whose bytes do not add up to its hash, or
 * a database page SQLCipher refuses (its HMAC fails: SQLITE_CORRUPT). Callers that know
 * which scan the blob belongs to say so (`corruptScanError`).
 */
export function corruptBlobError(hash: string, what: string, cause?: unknown): CuspError {
  return new CuspError('storage_corrupt', `stored bytes ${hash.slice(0, 12)}… are corrupt: ${what} — restore the database from a backup (cusp restore FILE)`, {
    cause, details: { blob: hash, what },
  });
}

/**
 * `err` said for a scan: a storage_corrupt error names the scan (its uid, never its file
 * name) and what to do; any other error passes through unchanged.
 */
export function corruptScanError(scanUid: string, err: unknown): unknown {
  if (!isCuspError(err) || err.code !== 'storage_corrupt') return err;
  const { blob, what } = (err.details ?? {}) as { blob?: string; what?: string };
  if (err.details?.scan) return err;
  return new CuspError('storage_corrupt', `the stored bytes of scan ${scanUid} are corrupt${what ? ` (${what})` : ''} — restore the database from a backup (cusp restore FILE); other scans are not affected`, {
    cause: err, details: { scan: scanUid, blob, what },
  });
}

/** True for SQLite's "the file is damaged" errors (an SQLCipher page whose HMAC fails reads as one). */
export function isSqliteCorrupt(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Check one chunk as read: its bytes must hash to the SHA-256 it is stored under. 256 KiB
 * hash in about 0.15 ms here — a tenth of what decrypting them cost.
 */
function checkChunk(blob: string, seq: number, row: ChunkRow): Buffer {
  if (sha256(row.data) !== row.hash) throw corruptBlobError(blob, `chunk ${seq} does not match its SHA-256`);
  return row.data;
}

/** Run a read; SQLite's corruption errors become storage_corrupt. */
function reading<T>(blob: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isSqliteCorrupt(err)) throw corruptBlobError(blob, `${what}: the database page holding it is damaged (${(err as Error).message})`, err);
    throw err;
  }
}

/**
 * The storage area as the rest of Cusp sees it (Orthanc's split: bytes by id here, the index
 * in the repositories): write, read, stream, remove and ask for bytes by their id, the
 * SHA-256. Writing and removing each come in two halves where one step would stall the
 * event loop (a 50 MB scan is 200 chunks): `stage` writes the chunks ahead, a chunk per
 * turn, and `put` names them inside the caller's transaction; `remove` drops the blob with
 * the rows that named it, in their transaction, and `freeChunks` overwrites and frees its
 * chunks after the commit. Services use only this; the class adds what the store's own
 * start-up, pacing and tests need.
 */
export interface BlobArea {
  /** Whether bytes with this id are stored. */
  exists(id: string): boolean;
  /** Their size in bytes, or undefined when not stored. */
  size(id: string): number | undefined;
  /** All of them, checked against their SHA-256, or undefined when not stored. */
  get(id: string): Buffer | undefined;
  /** Their chunks in order, each checked, one per turn of the event loop; undefined when not stored. */
  stream(id: string): AsyncGenerator<Buffer> | undefined;
  /** All of them in an ArrayBuffer of their own (to transfer to a worker), read a chunk per turn. */
  readArrayBuffer(id: string): Promise<ArrayBuffer | undefined>;
  /** Read them once and check every chunk and the whole; false when not stored, storage_corrupt when damaged. */
  verify(id: string): Promise<boolean>;
  /** Store bytes (in the caller's transaction), their chunks written ahead by `stage` when given. */
  put(bytes: Uint8Array, knownId?: string, staged?: StagedBlob): BlobInfo;
  /** Write the chunks of bytes ahead of the transaction that `put`s them. */
  stage(bytes: Uint8Array, knownId?: string): Promise<StagedBlob>;
  /** Write a file's chunks ahead, reading it a slice per turn; `linkStaged` names them. */
  stageFile(path: string, expectedId: string): Promise<StagedFile>;
  /** Store what `stageFile` wrote (in the caller's transaction). */
  linkStaged(staged: StagedFile): BlobInfo;
  /** Remove the bytes (in the caller's transaction, with the rows that named them); returns their chunks for `freeChunks`. */
  remove(id: string): string[];
  /** After the commit: overwrite and free the chunks no stored bytes use any more, one per turn. */
  freeChunks(chunkHashes: Iterable<string>): Promise<number>;
}

export class BlobStore implements BlobArea {
  readonly #db: Db;
  readonly #chunkSize: number;
  readonly #stmts;
  #room: WriteRoom = () => undefined;
  /** Database pages a chunk fills (4096-byte pages hold a little less than 4 KiB of it). */
  readonly #chunkPages: number;

  constructor(db: Db, chunkSize = CHUNK_SIZE) {
    this.#db = db;
    this.#chunkSize = chunkSize;
    this.#chunkPages = Math.ceil(chunkSize / 4000) + 1;
    this.#stmts = {
      getBlob: db.prepare<[string], BlobInfo>('SELECT hash, size, chunks FROM blobs WHERE hash = ?'),
      insertBlob: db.prepare('INSERT INTO blobs (hash, size, chunks, created_at) VALUES (?, ?, ?, ?)'),
      insertChunk: db.prepare('INSERT OR IGNORE INTO chunks (hash, size, data) VALUES (?, ?, ?)'),
      insertLink: db.prepare('INSERT INTO blob_chunks (blob_hash, seq, chunk_hash) VALUES (?, ?, ?)'),
      hasChunk: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM chunks WHERE hash = ?'),
      chunkAt: db.prepare<[string, number], ChunkRow>(
        'SELECT bc.chunk_hash AS hash, c.data AS data FROM blob_chunks bc JOIN chunks c ON c.hash = bc.chunk_hash WHERE bc.blob_hash = ? AND bc.seq = ?',
      ),
      orphanChunks: db.prepare<[], { hash: string }>('SELECT hash FROM chunks WHERE NOT EXISTS (SELECT 1 FROM blob_chunks WHERE chunk_hash = chunks.hash)'),
      deleteLinks: db.prepare('DELETE FROM blob_chunks WHERE blob_hash = ?'),
      readChunks: db.prepare<[string], ChunkRow>(
        'SELECT bc.chunk_hash AS hash, c.data AS data FROM blob_chunks bc JOIN chunks c ON c.hash = bc.chunk_hash WHERE bc.blob_hash = ? ORDER BY bc.seq',
      ),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE hash = ?'),
      chunkHashes: db.prepare<[string], { chunk_hash: string }>('SELECT chunk_hash FROM blob_chunks WHERE blob_hash = ?'),
      deleteChunkIfOrphan: db.prepare('DELETE FROM chunks WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM blob_chunks WHERE chunk_hash = ?)'),
    };
  }

  /**
   * Let `room` pace the chunk-by-chunk writers (`stage`, `freeChunks`), so they never run
   * far ahead of the thread that checkpoints the WAL (see wal-checkpointer.ts).
   */
  paceWrites(room: WriteRoom): void {
    this.#room = room;
  }

  /** A turn of the event loop, longer when the checkpoint thread is behind. */
  async #nextTurn(): Promise<void> {
    await yieldToEventLoop();
    const wait = this.#room(this.#chunkPages);
    if (wait) await wait;
  }

  /**
   * Store bytes (if not already stored) and return their hash. Runs in the caller's
   * transaction when there is one, so a blob and the rows that name it commit together.
   */
  put(bytes: Uint8Array, knownHash?: string, staged?: StagedBlob): BlobInfo {
    const hash = staged?.hash ?? knownHash ?? sha256(bytes);
    const existing = this.#stmts.getBlob.get(hash);
    if (existing) return existing;
    const count = this.#chunkCount(bytes.length);
    const write = this.#db.transaction(() => {
      this.#stmts.insertBlob.run(hash, bytes.length, count, new Date().toISOString());
      for (let i = 0; i < count; i++) {
        const part = this.#chunk(bytes, i);
        const chunkHash = staged?.chunkHashes[i] ?? (count === 1 ? hash : sha256(part));
        // A staged chunk is normally there already; if something removed it in between
        // (another blob with the same chunk was erased), it is written again here.
        if (!staged || !this.#stmts.hasChunk.get(chunkHash)) this.#stmts.insertChunk.run(chunkHash, part.length, part);
        this.#stmts.insertLink.run(hash, i, chunkHash);
      }
    });
    write();
    return { hash, size: bytes.length, chunks: count };
  }

  /**
   * Write a blob's chunks ahead of `put`, one small transaction per turn of the event loop,
   * so the `put` in the caller's transaction only links them (a 50 MB scan: 640 ms of
   * encryption in one go otherwise, with every API request waiting behind it). A crash
   * between the two leaves chunks no blob names; `sweepOrphanChunks` removes them at start.
   */
  async stage(bytes: Uint8Array, knownHash?: string): Promise<StagedBlob> {
    const count = this.#chunkCount(bytes.length);
    const whole = knownHash ? undefined : createHash('sha256');
    const chunkHashes: string[] = [];
    for (let i = 0; i < count; i++) {
      await this.#nextTurn();
      const part = this.#chunk(bytes, i);
      whole?.update(part);
      const chunkHash = count === 1 && knownHash ? knownHash : sha256(part);
      chunkHashes.push(chunkHash);
      // No fsync per chunk (0.7 of the 1.8 ms a chunk cost the API's thread): the FULL
      // commit of the `put` that names them makes them durable.
      if (!this.#stmts.hasChunk.get(chunkHash)) withoutFsync(this.#db, () => this.#stmts.insertChunk.run(chunkHash, part.length, part));
    }
    const hash = knownHash ?? whole!.digest('hex');
    // One chunk: its hash is the blob's (as `put` names it).
    if (count === 1) chunkHashes[0] = hash;
    return { hash, chunkHashes };
  }

  /**
   * `stage` for a file that is not in memory (an upload's temp file): read a chunk per turn
   * of the event loop into one reused buffer (the insert copies it into SQLite), so a 1 GiB
   * upload costs 256 KiB of memory here, not 1 GiB. The whole file is hashed again on the
   * way and must match `expectedHash` (what was hashed as it arrived): a temp file changed
   * on disk is refused, its chunks left as orphans for the sweep at start.
   */
  async stageFile(path: string, expectedHash: string): Promise<StagedFile> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const count = this.#chunkCount(size);
      const buf = Buffer.allocUnsafe(Math.min(this.#chunkSize, Math.max(1, size)));
      const whole = createHash('sha256');
      const chunkHashes: string[] = [];
      for (let i = 0; i < count; i++) {
        await this.#nextTurn();
        const length = Math.min(this.#chunkSize, size - i * this.#chunkSize);
        for (let got = 0; got < length;) {
          const { bytesRead } = await fh.read(buf, got, length - got, i * this.#chunkSize + got);
          if (bytesRead === 0) throw new CuspError('store_failed', `the upload's temp file became shorter while it was stored (${i * this.#chunkSize + got} of ${size} bytes) — send the file again`);
          got += bytesRead;
        }
        const part = buf.subarray(0, length);
        whole.update(part);
        const chunkHash = count === 1 ? expectedHash : sha256(part);
        chunkHashes.push(chunkHash);
        if (!this.#stmts.hasChunk.get(chunkHash)) withoutFsync(this.#db, () => this.#stmts.insertChunk.run(chunkHash, part.length, part));
      }
      const hash = whole.digest('hex');
      if (hash !== expectedHash) throw new CuspError('store_failed', 'the upload\'s temp file changed on disk before it was stored (its SHA-256 differs from what arrived) — send the file again');
      return { hash, chunkHashes, size };
    } finally {
      await fh.close();
    }
  }

  /**
   * `put` for a blob staged by `stageFile`: only the blob row and its chunk list are written
   * (in the caller's transaction). A chunk that vanished in between (another blob with the
   * same chunk was erased meanwhile) cannot be written again without the bytes: refused,
   * and the transaction with it.
   */
  linkStaged(staged: StagedFile): BlobInfo {
    const existing = this.#stmts.getBlob.get(staged.hash);
    if (existing) return existing;
    const count = staged.chunkHashes.length;
    this.#db.transaction(() => {
      this.#stmts.insertBlob.run(staged.hash, staged.size, count, new Date().toISOString());
      for (const [i, chunkHash] of staged.chunkHashes.entries()) {
        if (!this.#stmts.hasChunk.get(chunkHash)) throw new CuspError('conflict', 'part of the upload was removed while it was being stored (a scan with the same bytes was erased) — send the file again');
        this.#stmts.insertLink.run(staged.hash, i, chunkHash);
      }
    })();
    return { hash: staged.hash, size: staged.size, chunks: count };
  }

  /** `stage` then `put` in a transaction of its own (artifacts that nothing else names yet). */
  async putAsync(bytes: Uint8Array, knownHash?: string): Promise<BlobInfo> {
    const staged = await this.stage(bytes, knownHash);
    return this.put(bytes, undefined, staged);
  }

  #chunkCount(size: number): number {
    return Math.max(1, Math.ceil(size / this.#chunkSize));
  }

  #chunk(bytes: Uint8Array, i: number): Uint8Array {
    return bytes.subarray(i * this.#chunkSize, Math.min(bytes.length, (i + 1) * this.#chunkSize));
  }

  info(hash: string): BlobInfo | undefined {
    return this.#stmts.getBlob.get(hash);
  }

  has(hash: string): boolean {
    return this.#stmts.getBlob.get(hash) !== undefined;
  }

  exists(id: string): boolean {
    return this.has(id);
  }

  size(id: string): number | undefined {
    return this.info(id)?.size;
  }

  /**
   * The whole blob as one Buffer, or undefined when it is not stored. Every chunk is
   * checked against its SHA-256 and the whole against the blob's: corrupt bytes throw
   * storage_corrupt instead of being handed on.
   */
  get(hash: string): Buffer | undefined {
    const info = this.info(hash);
    if (!info) return undefined;
    const out = Buffer.allocUnsafe(info.size);
    let offset = 0;
    reading(hash, 'reading its chunks', () => {
      let seq = 0;
      for (const row of this.#stmts.readChunks.iterate(hash)) {
        const data = checkChunk(hash, seq++, row);
        if (offset + data.length > info.size) throw corruptBlobError(hash, `its chunks hold more than its ${info.size} bytes`);
        data.copy(out, offset);
        offset += data.length;
      }
    });
    if (offset !== info.size) throw corruptBlobError(hash, `it is incomplete: ${offset} of ${info.size} bytes`);
    if (sha256(out) !== hash) throw corruptBlobError(hash, 'its bytes do not match its SHA-256');
    return out;
  }

  /**
   * Read the whole blob once, a chunk per turn of the event loop, and check every chunk
   * and the whole against their SHA-256; throws storage_corrupt at the first bad one.
   * Downloads run it before they send a byte, so a client gets a clear error rather than
   * a reply cut off in the middle (50 MB: 160–300 ms, as much as the download's own read).
   * False when the blob is not stored.
   */
  async verify(hash: string): Promise<boolean> {
    const info = this.info(hash);
    if (!info) return false;
    const whole = createHash('sha256');
    let size = 0;
    for (let seq = 0; seq < info.chunks; seq++) {
      if (seq > 0) await yieldToEventLoop();
      const row = reading(hash, `reading chunk ${seq}`, () => this.#stmts.chunkAt.get(hash, seq));
      if (!row) throw corruptBlobError(hash, `chunk ${seq} of ${info.chunks} is missing`);
      const data = checkChunk(hash, seq, row);
      whole.update(data);
      size += data.length;
    }
    if (size !== info.size) throw corruptBlobError(hash, `it is incomplete: ${size} of ${info.size} bytes`);
    if (whole.digest('hex') !== hash) throw corruptBlobError(hash, 'its bytes do not match its SHA-256');
    return true;
  }

  /**
   * The blob's chunks in order, one per turn of the event loop (downloads: a 50 MB scan
   * decrypted in 200 short steps instead of one long one). Undefined when not stored; a
   * blob erased while it streams ends the stream with an error. Each chunk is checked
   * against its SHA-256 before it is yielded, and the whole against the blob's at the
   * end: a corrupt chunk ends the stream with storage_corrupt, never hands on wrong bytes.
   */
  stream(hash: string): AsyncGenerator<Buffer> | undefined {
    const info = this.info(hash);
    if (!info) return undefined;
    const chunkAt = this.#stmts.chunkAt;
    return (async function* chunks() {
      let size = 0;
      const whole = createHash('sha256');
      for (let seq = 0; seq < info.chunks; seq++) {
        if (seq > 0) await yieldToEventLoop();
        const row = reading(hash, `reading chunk ${seq}`, () => chunkAt.get(hash, seq));
        if (!row) throw new Error(`blob ${hash} lost chunk ${seq} while being read`);
        const data = checkChunk(hash, seq, row);
        whole.update(data);
        size += data.length;
        yield data;
      }
      if (size !== info.size) throw corruptBlobError(hash, `it is incomplete: ${size} of ${info.size} bytes`);
      if (whole.digest('hex') !== hash) throw corruptBlobError(hash, 'its bytes do not match its SHA-256');
    })();
  }

  /**
   * The whole blob in an ArrayBuffer of its own, ready to transfer to a worker thread (a
   * pooled Buffer's ArrayBuffer must never be transferred: it holds other data too), read
   * one chunk per turn of the event loop. Undefined when the blob is not stored.
   */
  async readArrayBuffer(hash: string): Promise<ArrayBuffer | undefined> {
    const info = this.info(hash);
    const chunks = this.stream(hash);
    if (!info || !chunks) return undefined;
    const out = new Uint8Array(new ArrayBuffer(info.size));
    let offset = 0;
    for await (const data of chunks) {
      out.set(data, offset);
      offset += data.length;
    }
    return out.buffer;
  }

  /**
   * Remove a blob and any chunk no other blob uses. The caller must first remove the rows
   * that reference the blob (scans, artifacts). With secure_delete on, freed pages are
   * overwritten.
   */
  delete(hash: string): void {
    this.#db.transaction(() => {
      for (const chunk of this.unlink(hash)) this.#stmts.deleteChunkIfOrphan.run(chunk, chunk);
    })();
  }

  /**
   * `delete` without holding the event loop: the blob and its chunk list go in one small
   * transaction (from then on the blob is gone for every reader), then each chunk no
   * other blob uses is overwritten and freed in a turn of its own. A crash in between
   * leaves orphan chunks, which `sweepOrphanChunks` removes at the next start.
   */
  async deleteAsync(hash: string): Promise<void> {
    await this.freeChunks(this.#db.transaction(() => this.unlink(hash))());
  }

  /**
   * Remove a blob's row and chunk list (in the caller's transaction, with the rows that
   * named it) and return its chunks, for `freeChunks` after the commit.
   */
  unlink(hash: string): string[] {
    const list = this.#stmts.chunkHashes.all(hash).map((r) => r.chunk_hash);
    this.#stmts.deleteLinks.run(hash);
    this.#stmts.deleteBlob.run(hash);
    return [...new Set(list)];
  }

  remove(id: string): string[] {
    return this.unlink(id);
  }

  /**
   * Overwrite and free each of `chunkHashes` that no blob uses any more, one per turn of
   * the event loop (with secure_delete a 50 MB scan is 650 ms of writing: in one go it
   * would stop the API for that long). Returns how many were freed.
   */
  async freeChunks(chunkHashes: Iterable<string>): Promise<number> {
    let freed = 0;
    for (const chunk of chunkHashes) {
      await this.#nextTurn();
      // No fsync per chunk: one lost to a power cut comes back as an orphan, swept at start.
      freed += withoutFsync(this.#db, () => this.#stmts.deleteChunkIfOrphan.run(chunk, chunk).changes);
    }
    return freed;
  }

  /**
   * Remove chunks that no blob names (left by a crash between `stage` and `put`, or in the
   * middle of `deleteAsync`). Run at start, before anything stages new chunks. Returns
   * how many were removed.
   */
  sweepOrphanChunks(): number {
    let removed = 0;
    for (const { hash } of this.#stmts.orphanChunks.all()) {
      removed += this.#stmts.deleteChunkIfOrphan.run(hash, hash).changes;
    }
    return removed;
  }
}
