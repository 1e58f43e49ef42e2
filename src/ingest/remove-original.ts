/**
 * The one way a file leaves a drop folder after it was stored: `removeIfStored`. Every
 * removal path (the scan, its siblings, its sidecars; delete and archive alike) goes
 * through it, so the invariant lives in one place:
 *
 *   a drop-folder file is deleted or archived only if its current bytes are exactly the
 *   stored bytes — size and mtime equal to what was read, and its SHA-256, hashed again
 *   from disk at that moment, equal to the stored blob's.
 *
 * The window between that check and the unlink is closed by renaming first: the file is
 * renamed (atomic, same folder) to a hidden name the watcher never reports and that no
 * writer opens by its old name, the renamed file is checked, and only then unlinked or
 * moved. A writer that rewrites the file by name after the rename writes a new file under
 * the old name (a new arrival, taken in on its own); a file that differs at the check is
 * put back under its name — or, when a new file took the name meanwhile, under a free
 * `name (n).ext` beside it — and handed back to the watcher by the caller. What stays open
 * is a writer that keeps the file open across Cusp's read and check and writes through that
 * descriptor within the microseconds between check and unlink: finding such open writers is
 * the watcher's stability check (`/proc/<pid>/fd`), not this function's.
 *
 * A crash while a file carries the hidden name leaves it there; `restoreInterrupted` (run
 * when a folder starts being watched) puts every such file back under its name, and the
 * watcher takes it in again (the same bytes: recognised, then removed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { durableCopy, freePath } from './file-moves.js';
import { isSkippedFolder } from './candidates.js';

/** What was read and stored: the removal happens only if the file still is exactly this. */
export interface StoredState {
  sha256: string;
  size: number;
  mtimeMs: number;
}

export type HowToRemove = { kind: 'delete' } | { kind: 'archive'; to: string };

export type RemoveResult =
  | { kind: 'removed' }
  | { kind: 'archived'; to: string }
  /** The file is not the stored bytes (any more): left in the drop folder at `path`. */
  | { kind: 'changed'; path: string; why: string }
  | { kind: 'gone' };

const HIDDEN_PREFIX = '.cusp-removing-';
// Room for the prefix, 8 hex and a dash inside a 255-byte name.
const MAX_KEPT_NAME = 255 - HIDDEN_PREFIX.length - 9;

/** SHA-256 of a file read through an open descriptor, with the descriptor's size and mtime. */
export async function hashOpenFile(path: string): Promise<StoredState & { isFile: boolean }> {
  const fd = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await fd.stat();
    if (!st.isFile()) return { sha256: '', size: st.size, mtimeMs: st.mtimeMs, isFile: false };
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fd.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
    const after = await fd.stat();
    // Written to while hashed: report the moving state, never a match.
    if (after.size !== st.size || after.mtimeMs !== st.mtimeMs) return { sha256: '', size: after.size, mtimeMs: after.mtimeMs, isFile: true };
    return { sha256: hash.digest('hex'), size: st.size, mtimeMs: st.mtimeMs, isFile: true };
  } finally {
    await fd.close();
  }
}

function differs(now: StoredState, expected: StoredState): string | undefined {
  if (now.size !== expected.size) return `size ${now.size} is not the ${expected.size} bytes stored`;
  if (now.mtimeMs !== expected.mtimeMs) return 'modified after it was read';
  if (now.sha256 !== expected.sha256) return 'its bytes are not the stored bytes';
  return undefined;
}

/** Puts a file back under `original` (or a free `name (n).ext` beside it), never over another file. */
async function putBack(hidden: string, original: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = await freePath(original);
    try {
      // link() fails when the name exists: no file a writer put there meanwhile is replaced.
      await link(hidden, target);
      await unlink(hidden);
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error('no free name to put a changed file back under');
}

/** Moves a checked file to the archive; across disks the copy is checked before the source goes. */
async function archive(from: string, to: string, expected: StoredState): Promise<string> {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = await freePath(to);
    try {
      await link(from, target);
      await unlink(from);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw err;
      // Another disk (or no hard links there): copy, make the copy durable, check it.
      await durableCopy(from, target);
      const copy = await hashOpenFile(target);
      if (copy.sha256 !== expected.sha256 || copy.size !== expected.size) {
        await rm(target, { force: true });
        throw new Error('the archived copy is not the stored bytes; the original stays');
      }
      await unlink(from);
      return target;
    }
  }
  throw new Error('no free name in the archive');
}

/**
 * Delete or archive `path` only if it is exactly `expected` (size, mtime, SHA-256 hashed
 * again now). Never throws for a changed or vanished file: says so in the result.
 */
export async function removeIfStored(path: string, expected: StoredState, how: HowToRemove): Promise<RemoveResult> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw err;
  }
  if (!st.isFile()) return { kind: 'changed', path, why: 'not a regular file' };
  const early = differs({ sha256: expected.sha256, size: st.size, mtimeMs: st.mtimeMs }, expected);
  if (early) return { kind: 'changed', path, why: early };

  const name = basename(path);
  const hidden = join(dirname(path), `${HIDDEN_PREFIX}${randomBytes(4).toString('hex')}-${Buffer.byteLength(name) > MAX_KEPT_NAME ? `long-name${extname(name).slice(0, 16)}` : name}`);
  try {
    await rename(path, hidden);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw err;
  }
  let now;
  try {
    now = await hashOpenFile(hidden);
  } catch (err) {
    await putBack(hidden, path);
    throw err;
  }
  const why = now.isFile ? differs(now, expected) : 'not a regular file';
  if (why) return { kind: 'changed', path: await putBack(hidden, path), why };
  if (how.kind === 'delete') {
    await unlink(hidden);
    return { kind: 'removed' };
  }
  try {
    return { kind: 'archived', to: await archive(hidden, how.to, expected) };
  } catch (err) {
    await putBack(hidden, path);
    throw err;
  }
}

/**
 * Put back every file a crash left under the hidden removal name below `root` (symlinks
 * not followed, Cusp's own folders skipped). Resolves with the number put back.
 */
export async function restoreInterrupted(root: string): Promise<number> {
  let restored = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 16 && !isSkippedFolder(relative(root, p).split(sep).join('/'))) await walk(p, depth + 1);
      else if (e.isFile() && e.name.startsWith(HIDDEN_PREFIX)) {
        await putBack(p, join(dir, e.name.slice(HIDDEN_PREFIX.length + 9)));
        restored++;
      }
    }
  };
  await walk(root, 0);
  return restored;
}

/**
 * Remove `dir` and then each parent that is left empty, up to but never `root` itself.
 * rmdir removes only an empty folder, so a folder that still holds anything stays.
 */
export async function removeEmptyFolders(root: string, dir: string): Promise<string[]> {
  const removed: string[] = [];
  let d = dir;
  while (d !== root && relative(root, d) !== '' && !relative(root, d).startsWith('..')) {
    try {
      await rmdir(d);
    } catch {
      break;
    }
    removed.push(d);
    d = dirname(d);
  }
  return removed;
}
