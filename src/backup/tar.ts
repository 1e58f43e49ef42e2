/**
 * The container of a backup file: a plain POSIX tar (ustar), so `tar -tvf backup.cuspbak`
 * lists it with standard tools. Only what Cusp writes is read back: regular files with
 * simple relative names. Sizes above 8 GiB use the GNU base-256 size field, which GNU
 * and BSD tar read.
 */
import { createReadStream, createWriteStream, fstatSync, openSync, closeSync, readSync } from 'node:fs';
import { once } from 'node:events';
import { CuspError } from '../errors.js';
import { syncFile } from '../store/fsync.js';

const BLOCK = 512;
const NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export interface TarSource {
  /** Name inside the archive, e.g. `audit/checkpoints.jsonl`. */
  name: string;
  /** The file to copy in. */
  path: string;
}

export interface TarEntry {
  name: string;
  size: number;
  /** Byte offset of the content in the archive file. */
  offset: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number): Buffer {
  if (!NAME.test(name) || Buffer.byteLength(name) > 100) throw new Error(`tar: unsupported entry name ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  if (size < 8 ** 11) {
    h.write(octal(size, 12), 124, 'ascii');
  } else {
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 124 + 12 - 8);
  }
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** Write `sources` in order into a new tar file at `path` (created 0600, fsynced). */
export async function writeTar(path: string, sources: readonly TarSource[], mtime = Date.now()): Promise<void> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const write = async (chunk: Buffer): Promise<void> => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    for (const source of sources) {
      const fd = openSync(source.path, 'r');
      let size: number;
      try {
        size = fstatSync(fd).size;
      } finally {
        closeSync(fd);
      }
      await write(header(source.name, size, mtime));
      let copied = 0;
      for await (const chunk of createReadStream(source.path)) {
        copied += (chunk as Buffer).length;
        await write(chunk as Buffer);
      }
      if (copied !== size) throw new Error(`tar: ${source.path} changed size while it was archived`);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad > 0) await write(Buffer.alloc(pad));
    }
    await write(Buffer.alloc(BLOCK * 2));
    out.end();
    await once(out, 'close');
  } catch (err) {
    out.destroy();
    throw err;
  }
  syncFile(path);
}

function readSize(h: Buffer): number {
  if ((h[124] & 0x80) !== 0) return Number(h.readBigUInt64BE(124 + 12 - 8));
  return parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return stored === sum;
}

/**
 * List the entries of a Cusp tar without reading their content. Throws a CuspError naming
 * the file when it is not a tar Cusp wrote (bad checksum, odd names, truncation).
 */
export function listTar(path: string): TarEntry[] {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    while (true) {
      if (pos + BLOCK > total) throw new CuspError('invalid_input', `${path} is truncated (the archive ends inside an entry header) — the backup copy is incomplete`);
      readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) return entries;
      if (!checksumOk(h)) throw new CuspError('invalid_input', `${path} is not a Cusp backup or is damaged (bad tar header at byte ${pos})`);
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const type = String.fromCharCode(h[156] || 0x30);
      if (type !== '0' || !NAME.test(name) || name.split('/').includes('..')) {
        throw new CuspError('invalid_input', `${path} holds an unexpected entry '${name}' — it was not written by cusp backup`);
      }
      const size = readSize(h);
      const offset = pos + BLOCK;
      if (offset + size > total) throw new CuspError('invalid_input', `${path} is truncated inside ${name} — the backup copy is incomplete`);
      entries.push({ name, size, offset });
      pos = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
}

/** Copy one entry's content out of the archive into `target` (created 0600). */
export async function extractEntry(archive: string, entry: TarEntry, target: string): Promise<void> {
  const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
  if (entry.size > 0) {
    for await (const chunk of createReadStream(archive, { start: entry.offset, end: entry.offset + entry.size - 1 })) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'close');
}
