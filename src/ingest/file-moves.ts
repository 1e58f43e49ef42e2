/**
 * Moving files out of a drop folder: into the archive or the quarantine, keeping their
 * relative path, never overwriting (a name taken gets ` (2)`, ` (3)` …), across disks too.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, sep } from 'node:path';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A free path at `target` or, when taken, `name (n).ext` beside it. */
export async function freePath(target: string): Promise<string> {
  if (!(await exists(target))) return target;
  const ext = extname(target);
  const stem = target.slice(0, target.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/** Copy `from` to the new path `target` (never over a file) and fsync the copy. */
export async function durableCopy(from: string, target: string): Promise<void> {
  await copyFile(from, target, constants.COPYFILE_EXCL);
  const fd = await open(target, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/** Move `from` to a free path at `to` (created folders 0700); returns where it went. */
export async function moveFile(from: string, to: string): Promise<string> {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  const target = await freePath(to);
  try {
    await rename(from, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // Another disk: copy, make the copy durable, check it is the original byte for byte,
    // then remove the original (a copy that differs is removed instead, the original stays).
    await durableCopy(from, target);
    if (!(await sameBytes(from, target))) {
      await rm(target, { force: true });
      throw new Error('the copy on the other disk differs from the original (was it being written?); the original stays');
    }
    await rm(from);
  }
  return target;
}

async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  return (await fileHash(a)) === (await fileHash(b));
}

/** Write a small text file next to a moved file. */
export async function writeNote(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
}

/** `<dir>/<relative>`, refusing a relative path that climbs out of `dir`. */
export function below(dir: string, relative: string): string {
  const parts = relative.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error(`path ${relative} leaves its folder`);
  return join(dir, ...parts);
}

/** A path relative to a folder with `/` between its parts, as names are shown and stored. */
export function toPosix(p: string): string {
  return p.split(sep).join('/');
}
