// Upload a body of any size to POST /api/v1/scans without holding it in memory: blocks are
// made on the fly by a generator and written with backpressure, and hashed on the way.
import { createHash } from 'node:crypto';
import { request } from 'node:https';

export interface StreamedUpload {
  status: number;
  body: { error?: { code: string; message: string }; duplicate?: boolean; scan?: { uid: string; sha256?: string; size: number } };
  headers: Record<string, string | string[] | undefined>;
  /** SHA-256 of the bytes sent (the whole body when the server read it all). */
  sha256: string;
  /** Bytes the client wrote before it had the answer (or stopped). */
  sent: number;
}

export interface UploadTarget {
  /** e.g. https://127.0.0.1:19300 */
  url: string;
  ca: string | Buffer;
  token: string;
}

/**
 * Send `blocks` (a generator of Buffers) as one upload named `name`. With `size` the length
 * is declared (Content-Length), otherwise the body is chunked. `pause` lets a test hold the
 * upload open after `pauseAfter` bytes until `pause` resolves; `abortAfter` cuts the
 * connection after that many bytes, as a client that goes away (status 0 then).
 */
export function streamUpload(target: UploadTarget, name: string, blocks: Iterable<Buffer>, options: { size?: number; pauseAfter?: number; pause?: Promise<void>; abortAfter?: number } = {}): Promise<StreamedUpload> {
  const url = new URL(target.url);
  const hash = createHash('sha256');
  let sent = 0;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({
      host: url.hostname, port: url.port, method: 'POST', path: `/api/v1/scans?name=${encodeURIComponent(name)}`, ca: target.ca,
      headers: {
        Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/octet-stream',
        ...(options.size === undefined ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(options.size) }),
      },
    }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: StreamedUpload['body'] = {};
        try { body = JSON.parse(text); } catch { body = { error: { code: 'not_json', message: text } }; }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers, sha256: hash.digest('hex'), sent });
        req.destroy();
      });
    });
    // After the answer the server may close while we still write (413, 503): not a failure.
    req.on('error', (err) => { if (!answered) reject(err); });
    req.on('close', () => { if (!answered) reject(new Error(`the connection closed before an answer, after ${sent} bytes`)); });
    const it = blocks[Symbol.iterator]();
    let paused = false;
    const pump = (): void => {
      while (!answered && !req.destroyed) {
        if (options.abortAfter !== undefined && sent >= options.abortAfter) {
          answered = true;
          req.destroy();
          resolve({ status: 0, body: {}, headers: {}, sha256: hash.digest('hex'), sent });
          return;
        }
        if (!paused && options.pause && options.pauseAfter !== undefined && sent >= options.pauseAfter) {
          paused = true;
          void options.pause.then(pump);
          return;
        }
        const next = it.next();
        if (next.done) {
          req.end();
          return;
        }
        hash.update(next.value);
        sent += next.value.length;
        if (!req.write(next.value)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

/** `count` blocks of `blockSize` bytes of seeded noise (xorshift), different per seed and block. */
export function* noise(seed: number, size: number, blockSize = 1 << 20): Generator<Buffer> {
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let at = 0; at < size; at += blockSize) {
    const block = Buffer.allocUnsafe(Math.min(blockSize, size - at));
    const words = new Uint32Array(block.buffer, block.byteOffset, block.length >> 2);
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      words[i] = x;
    }
    yield block;
  }
}

/**
 * A valid binary STL of `triangles` triangles as blocks of ~1 MiB: an 84-byte header, then
 * records of seeded finite coordinates (a triangle soup; what the try-read accepts).
 */
export function* binaryStl(seed: number, triangles: number): Generator<Buffer> {
  const header = Buffer.alloc(84);
  header.write('cusp test stl', 0, 'ascii');
  header.writeUInt32LE(triangles, 80);
  yield header;
  let x = (seed * 2654435761) >>> 0 || 1;
  const perBlock = 20_000;
  for (let first = 0; first < triangles; first += perBlock) {
    const n = Math.min(perBlock, triangles - first);
    const block = Buffer.alloc(n * 50);
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < 9; k++) {
        x ^= x << 13; x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5; x >>>= 0;
        block.writeFloatLE((x / 4294967296) * 20 - 10, t * 50 + 12 + 4 * k);
      }
    }
    yield block;
  }
}
