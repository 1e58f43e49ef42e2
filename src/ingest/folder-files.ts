/**
 * The watcher's direct looks at the file system: listing a folder's scan candidates (the
 * rescan that catches what chokidar missed — polling on shares misses files created
 * server-side, events get lost), a file's size and mtime, and whether it opens for reading.
 */
import type { Dirent } from 'node:fs';
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isCandidate, isIngestCandidate, isSkippedFolder } from './candidates.js';

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
    // lstat: a regular file replaced by a symbolic link is gone, not followed.
    const s = await lstat(path);
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

/** What the walk found that is not a regular file or folder, or a name that is not UTF-8. */
export type SkippedKind = 'symlink' | 'fifo' | 'socket' | 'device' | 'other';

/** An entry the walk does not take as it is: a special file, or a name that is not valid UTF-8. */
export interface OddEntry {
  /** The folder it is in (absolute; its own name is valid UTF-8, the walk does not enter others). */
  dir: string;
  /** The entry's name as the kernel holds it. */
  name: Buffer;
  /** Set for a special file; absent for a regular file or folder whose name is not valid UTF-8. */
  kind?: SkippedKind;
}

/** The kind of a directory entry that is neither a regular file nor a folder. */
export function specialKind(entry: { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): SkippedKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO()) return 'fifo';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'other';
}

/** Whether `name` is valid UTF-8 (Node would hand an invalid one over mangled with U+FFFD). */
export function isUtf8Name(name: Buffer): boolean {
  return Buffer.from(name.toString('utf8'), 'utf8').equals(name);
}

/**
 * Every scan candidate below `root`, down to `depth` levels of subfolders (as chokidar's
 * `depth`), skipping hidden, temp-named and Cusp-named folders and anything `excluded`.
 * Symbolic links are never followed (nothing outside the drop folder is ever taken); they,
 * FIFOs, sockets and devices with a candidate-or-folder name, and regular files whose name
 * is not valid UTF-8, go to `odd` instead. Names are read as bytes, so an invalid one is
 * seen as it is rather than mangled. Throws only when `root` itself cannot be read; a
 * subfolder that vanishes or cannot be read mid-walk is skipped.
 */
export async function walkCandidates(root: string, depth: number, excluded: (path: string) => boolean, odd?: (entry: OddEntry) => void): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const visit = async (dir: string, level: number): Promise<void> => {
    let entries: Array<Dirent<Buffer>>;
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      if (level === 0) throw err;
      return;
    }
    for (const entry of entries) {
      const raw = entry.name;
      const name = raw.toString('utf8');
      const path = join(dir, name);
      const rel = relativePosix(root, path);
      if (rel === undefined || excluded(path)) continue;
      const isDir = entry.isDirectory();
      const isFile = entry.isFile();
      if (!isDir && !isFile) {
        if (!isSkippedFolder(rel) && (isCandidate(rel) || entry.isSymbolicLink())) odd?.({ dir, name: raw, kind: specialKind(entry) });
        continue;
      }
      if (!isUtf8Name(raw)) {
        // Not entered or listed as it is (Node cannot name it); handed over so the watcher can
        // give it a safe name.
        odd?.({ dir, name: raw });
        continue;
      }
      if (isDir && level < depth && !isSkippedFolder(rel)) await visit(path, level + 1);
      if (isFile && isIngestCandidate(rel)) {
        const s = await lstat(path).catch(() => undefined);
        if (s?.isFile()) found.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await visit(root, 0);
  return found;
}
