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
import type { Db } from './database.js';

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

export class BlobStore {
  readonly #db: Db;
  readonly #chunkSize: number;
  readonly #stmts;

  constructor(db: Db, chunkSize = CHUNK_SIZE) {
    this.#db = db;
    this.#chunkSize = chunkSize;
    this.#stmts = {
      getBlob: db.prepare<[string], BlobInfo>('SELECT hash, size, chunks FROM blobs WHERE hash = ?'),
      insertBlob: db.prepare('INSERT INTO blobs (hash, size, chunks, created_at) VALUES (?, ?, ?, ?)'),
      insertChunk: db.prepare('INSERT OR IGNORE INTO chunks (hash, size, data) VALUES (?, ?, ?)'),
      insertLink: db.prepare('INSERT INTO blob_chunks (blob_hash, seq, chunk_hash) VALUES (?, ?, ?)'),
      readChunks: db.prepare<[string], { data: Buffer }>(
        'SELECT c.data AS data FROM blob_chunks bc JOIN chunks c ON c.hash = bc.chunk_hash WHERE bc.blob_hash = ? ORDER BY bc.seq',
      ),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE hash = ?'),
      chunkHashes: db.prepare<[string], { chunk_hash: string }>('SELECT chunk_hash FROM blob_chunks WHERE blob_hash = ?'),
      deleteChunkIfOrphan: db.prepare('DELETE FROM chunks WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM blob_chunks WHERE chunk_hash = ?)'),
    };
  }

  /**
   * Store bytes (if not already stored) and return their hash. Runs in the caller's
   * transaction when there is one, so a blob and the rows that name it commit together.
   */
  put(bytes: Uint8Array, knownHash?: string): BlobInfo {
    const hash = knownHash ?? sha256(bytes);
    const existing = this.#stmts.getBlob.get(hash);
    if (existing) return existing;
    const count = Math.max(1, Math.ceil(bytes.length / this.#chunkSize));
    const write = this.#db.transaction(() => {
      this.#stmts.insertBlob.run(hash, bytes.length, count, new Date().toISOString());
      for (let i = 0; i < count; i++) {
        const part = bytes.subarray(i * this.#chunkSize, Math.min(bytes.length, (i + 1) * this.#chunkSize));
        const chunkHash = count === 1 ? hash : sha256(part);
        this.#stmts.insertChunk.run(chunkHash, part.length, part);
        this.#stmts.insertLink.run(hash, i, chunkHash);
      }
    });
    write();
    return { hash, size: bytes.length, chunks: count };
  }

  info(hash: string): BlobInfo | undefined {
    return this.#stmts.getBlob.get(hash);
  }

  has(hash: string): boolean {
    return this.#stmts.getBlob.get(hash) !== undefined;
  }

  /** The whole blob as one Buffer, or undefined when it is not stored. */
  get(hash: string): Buffer | undefined {
    const info = this.info(hash);
    if (!info) return undefined;
    const out = Buffer.allocUnsafe(info.size);
    let offset = 0;
    for (const { data } of this.#stmts.readChunks.iterate(hash)) {
      data.copy(out, offset);
      offset += data.length;
    }
    if (offset !== info.size) throw new Error(`blob ${hash} is incomplete: ${offset} of ${info.size} bytes`);
    return out;
  }

  /**
   * The whole blob in an ArrayBuffer of its own, ready to transfer to a worker thread
   * (a pooled Buffer's ArrayBuffer must never be transferred: it holds other data too).
   */
  getArrayBuffer(hash: string): ArrayBuffer | undefined {
    const info = this.info(hash);
    if (!info) return undefined;
    const out = new Uint8Array(new ArrayBuffer(info.size));
    let offset = 0;
    for (const { data } of this.#stmts.readChunks.iterate(hash)) {
      out.set(data, offset);
      offset += data.length;
    }
    if (offset !== info.size) throw new Error(`blob ${hash} is incomplete: ${offset} of ${info.size} bytes`);
    return out.buffer;
  }

  /** The blob's chunks in order, for streaming a download without holding it all. */
  *chunks(hash: string): Generator<Buffer> {
    for (const { data } of this.#stmts.readChunks.iterate(hash)) yield data;
  }

  /**
   * Remove a blob and any chunk no other blob uses. The caller must first remove the rows
   * that reference the blob (scans, artifacts). With secure_delete on, freed pages are
   * overwritten.
   */
  delete(hash: string): void {
    this.#db.transaction(() => {
      const chunkHashes = this.#stmts.chunkHashes.all(hash).map((r) => r.chunk_hash);
      this.#stmts.deleteBlob.run(hash);
      for (const chunk of new Set(chunkHashes)) this.#stmts.deleteChunkIfOrphan.run(chunk, chunk);
    })();
  }
}
