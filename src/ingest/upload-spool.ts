/**
 * Uploads go to disk, not to memory: the body is written to a private temp file in
 * `<dataDir>/uploads/` (the data folder's filesystem, which has room for the database that
 * will hold the scan anyway) and hashed as it streams in, so an upload of any size costs
 * the daemon a few 64 KiB buffers — three parallel 1 GiB uploads took it from 153 MB to
 * 9.4 GB when bodies were collected in memory.
 *
 * The temp file holds the plaintext scan for as long as it is being checked and stored (the
 * same exposure as a file in a watched folder): it is mode 0600 in a 0700 folder, removed
 * after success and failure alike, and whatever a kill left behind is removed at the next
 * start (`removeUploadLeftovers`, called by the daemon before the API listens).
 */
import { randomBytes, createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { CuspError } from '../errors.js';

/** An upload's bytes, written to a temp file and hashed. */
export interface SpooledFile {
  path: string;
  size: number;
  sha256: string;
}

/** The folder for uploads in progress. */
export function uploadDir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

/** A client that sends nothing for this long gives up its upload slot. */
const IDLE_MS = 120_000;

/**
 * Remove the temp files of uploads a stop or a kill interrupted. Run at start, before the
 * API takes uploads. Returns how many were removed.
 */
export function removeUploadLeftovers(dataDir: string): number {
  const dir = uploadDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  for (const name of names) rmSync(join(dir, name), { force: true, recursive: true });
  return names.length;
}

/**
 * Write a request body to a new temp file in `dir`, hashing it on the way, refusing it at
 * the chunk that passes `max` bytes. On any failure — too large, the client gone, the disk
 * full — the temp file is removed before the promise rejects; the rest of a refused body
 * is drained unread (the caller's answer should close the connection).
 */
export function spoolBody(req: IncomingMessage, dir: string, max: number, tooLarge: () => Error): Promise<SpooledFile> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomBytes(12).toString('hex')}.part`);
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const hash = createHash('sha256');
  let size = 0;
  return new Promise<SpooledFile>((resolve, reject) => {
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const stopReading = () => {
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      out.off('drain', onDrain);
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      stopReading();
      req.resume(); // drain into nothing, so an answer is not stuck behind unread bytes (see refuseBody)
      out.destroy();
      rm(path, { force: true }).then(() => reject(err), () => reject(err));
    };
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        fail(new CuspError('bad_request', `the upload stalled: no bytes for ${IDLE_MS / 1000} s`));
        req.destroy();
      }, IDLE_MS);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return fail(tooLarge());
      hash.update(chunk);
      touch();
      // Backpressure: the client waits while the disk catches up, instead of memory filling.
      if (!out.write(chunk)) req.pause();
    };
    const onDrain = () => {
      touch();
      req.resume();
    };
    const onEnd = () => {
      stopReading();
      out.end(() => {
        if (settled) return;
        settled = true;
        resolve({ path, size, sha256: hash.digest('hex') });
      });
    };
    const onError = (err: Error) => fail(new CuspError('bad_request', `the upload failed while reading: ${err.message}`));
    const onClose = () => fail(new CuspError('bad_request', 'the upload was cut off before its end'));
    out.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOSPC'
      ? new CuspError('unavailable', 'no room left for the upload in the data folder (uploads/): free disk space on its filesystem, then send the file again')
      : new CuspError('internal', `cannot write the upload's temp file: ${err.code ?? err.message}`)));
    out.on('drain', onDrain);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    touch();
  });
}
