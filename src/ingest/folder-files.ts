/**
 * The watcher's direct looks at the file system: listing a folder's scan candidates (the
 * rescan that catches what chokidar missed — polling on shares misses files created
 * server-side, events get lost), a file's size and mtime, and whether it opens for reading.
 */
import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isCandidate, isSkippedFolder } from './candidates.js';

/** A candidate file found by the walk, with the size and mtime it had then. */
export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Whether absolute `path` lies strictly below absolute folder `dir`. */
export function pathInside(path: string, dir: string): boolean {
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return path.startsWith(prefix) && path.length > prefix.length;
}

/** `abs` relative to `root` with POSIX separators, or undefined when it is not below root. */
export function relativePosix(root: string, abs: string): string | undefined {
  if (!pathInside(abs, root)) return undefined;
  return relative(root, abs).split(sep).join('/');
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(err);
}

/** Size and mtime of a regular file; undefined when it is gone, not a file, or cannot be stat'ed. */
export async function fileSnapshot(path: string): Promise<FoundFile | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the file and reads its first byte: undefined when that works, else the error code
 * (a writer on a share may still hold the file locked; permissions may be wrong).
 */
export async function openProblem(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(Buffer.alloc(1), 0, 1, 0);
    } finally {
      await handle.close();
    }
    return undefined;
  } catch (err) {
    return errorCode(err);
  }
}

/** What is wrong with the watched folder itself: undefined when it is a readable folder. */
export async function folderProblem(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isDirectory() ? undefined : 'not a folder';
  } catch (err) {
    const code = errorCode(err);
    return code === 'ENOENT' ? 'no such folder' : code;
  }
}

/**
 * Every scan candidate below `root`, down to `depth` levels of subfolders (as chokidar's
 * `depth`), skipping hidden, temp-named and Cusp-named folders and anything `excluded`.
 * Symbolic links are followed like chokidar does; the depth limit bounds link loops.
 * Throws only when `root` itself cannot be read; a subfolder that vanishes or cannot be
 * read mid-walk is skipped.
 */
export async function walkCandidates(root: string, depth: number, excluded: (path: string) => boolean): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const visit = async (dir: string, level: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (level === 0) throw err;
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relativePosix(root, path);
      if (rel === undefined || excluded(path)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink() || (!isDir && !isFile)) {
        const target = await stat(path).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir && level < depth && !isSkippedFolder(rel)) await visit(path, level + 1);
      if (isFile && isCandidate(rel)) {
        const s = await stat(path).catch(() => undefined);
        if (s?.isFile()) found.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await visit(root, 0);
  return found;
}
