/**
 * The files a scan names beside it (a glTF's `.bin`, an OBJ's `.mtl` and textures), read once
 * for the try-read, the storing and the removal alike; and copies of bytes for a worker.
 */
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sha256Async } from '../store/blobs.js';
import type { Removal } from './after-stored.js';
import { resolveInside, type Candidate } from './scan-context.js';
import { readDropFile, type DropFile } from './sidecars.js';

/**
 * Reading the files a scan names (a glTF's `.bin`, an OBJ's `.mtl`) from beside it, inside
 * the watched folder only, each read once: the try-read, the storing and the removal all see
 * the same bytes. A file being written to reads as missing.
 */
export function siblingReader(folderPath: string, filePath: string): { readSiblingFile(uri: string): DropFile | undefined; readSibling(uri: string): Uint8Array | undefined } {
  const cache = new Map<string, DropFile | undefined>();
  const baseDir = dirname(filePath);
  const readSiblingFile = (uri: string): DropFile | undefined => {
    if (!cache.has(uri)) {
      const path = resolveInside(folderPath, baseDir, uri);
      const got = path === undefined ? undefined : readDropFile(path, 512 * 1024 * 1024);
      cache.set(uri, got === 'moving' ? undefined : got);
    }
    return cache.get(uri);
  };
  return { readSiblingFile, readSibling: (uri) => readSiblingFile(uri)?.bytes };
}

/** The siblings the try-read needs, each copied into a buffer of its own for the worker. */
export async function siblingBuffers(candidate: Candidate, uris: string[]): Promise<Record<string, ArrayBuffer>> {
  const out: Record<string, ArrayBuffer> = {};
  for (const uri of uris) {
    const b = candidate.readSibling(uri);
    if (b) out[uri] = await copyToArrayBuffer(b);
  }
  return out;
}

/** The sibling files on disk to remove once the scan is stored, each with what was read of it (hash, size, mtime). */
export async function siblingRemovals(siblings: Array<{ uri: string }>, readSiblingFile: (uri: string) => DropFile | undefined): Promise<Removal[]> {
  const out: Removal[] = [];
  for (const s of siblings) {
    const f = readSiblingFile(s.uri);
    if (f) out.push({ path: f.path, state: { sha256: await sha256Async(f.bytes), size: f.size, mtimeMs: f.mtimeMs } });
  }
  return out;
}

/** Bytes copied per turn of the event loop by `copyToArrayBuffer`. */
const COPY_SLICE = 4 << 20;

/**
 * A fresh ArrayBuffer holding `bytes` (safe to transfer; never a pooled Buffer's), copied
 * 4 MiB per turn of the event loop: a 50 MB scan is no single 20 ms pause of the API.
 */
export async function copyToArrayBuffer(bytes: Uint8Array): Promise<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  for (let at = 0; at < bytes.length; at += COPY_SLICE) {
    if (at > 0) await yieldToEventLoop();
    out.set(bytes.subarray(at, at + COPY_SLICE), at);
  }
  return out.buffer;
}
