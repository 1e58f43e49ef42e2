/**
 * The files of a scan's export that are not meshes: the sidecars identity is read from
 * (`<scan>.json`, `cusp.json`, `*.dentalProject`) and, in a case folder, the XML/HTML
 * manifests and photos the scanner wrote beside the scans. They are stored with each scan
 * (as source artifacts, like siblings) and leave the drop folder with the last scan of the
 * folder: see `sidecarsRemovable`.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { toPosix } from './file-moves.js';
import { isCandidate, isSkippedFolder } from './candidates.js';

/** A file read from a drop folder, with the size and mtime it had while read. */
export interface DropFile {
  path: string;
  bytes: Uint8Array;
  size: number;
  mtimeMs: number;
}

/** A sidecar: a drop file with its URI relative to the scan's folder. */
export interface Sidecar extends DropFile {
  uri: string;
  /** The folder whose scans share it: it stays while a scan file remains below this folder. */
  scope: string;
}

/** Sidecars bigger than this stay where they are (a stray video is no manifest). */
const MAX_SIDECAR = 64 * 1024 * 1024;

/**
 * Read a regular file (symlinks not followed) and the size and mtime it had; `moving` when
 * it changed while read, undefined when it is not there or not a regular file.
 */
export function readDropFile(path: string, maxSize = 2 * 1024 * 1024 * 1024): DropFile | 'moving' | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const before = fstatSync(fd);
    if (!before.isFile() || before.size > maxSize) return undefined;
    const bytes = Buffer.allocUnsafe(before.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    const after = fstatSync(fd);
    if (at !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return 'moving';
    return { path, bytes, size: before.size, mtimeMs: before.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Bytes read per call by `readDropFileAsync`: a 50 MB scan is no single long pause of the API. */
const READ_SLICE = 4 << 20;

/** `readDropFile` without blocking the event loop: for the scan file itself, which can be large. */
export async function readDropFileAsync(path: string, maxSize = 2 * 1024 * 1024 * 1024): Promise<DropFile | 'moving' | undefined> {
  let fd;
  try {
    fd = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const before = await fd.stat();
    if (!before.isFile() || before.size > maxSize) return undefined;
    const bytes = Buffer.allocUnsafe(before.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await fd.read(bytes, at, Math.min(READ_SLICE, bytes.length - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    const after = await fd.stat();
    if (at !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return 'moving';
    return { path, bytes, size: before.size, mtimeMs: before.mtimeMs };
  } finally {
    await fd.close();
  }
}

const CASE_FILE = /\.(dentalproject|xml|html?|jpe?g|png)$/i;

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * The sidecars of the scan at `scanPath` (inside the watched folder `root`):
 * - beside any scan: `<name>.json` and `<stem>.json` (bound to this scan by name);
 * - in a case folder (any folder below the root, never the root itself, where unrelated
 *   drops lie side by side): `cusp.json`, `*.dentalProject`, `*.xml`, `*.htm(l)`, photos;
 * - in the case folder above (exocad's `case/UpperJaw/Data.obj`): its `*.dentalProject`.
 * Files in `exclude` (the scan's siblings, stored as such) and mesh candidates are left out.
 */
export function scanSidecars(root: string, scanPath: string, exclude: ReadonlySet<string> = new Set()): Sidecar[] {
  const dir = dirname(scanPath);
  const name = basename(scanPath);
  const stem = name.replace(/\.[^.]+$/, '');
  const inCase = relative(root, dir) !== '';
  const found: Array<{ path: string; uri: string; scope: string }> = [];
  for (const n of filesIn(dir)) {
    const lower = n.toLowerCase();
    const byName = lower === `${name.toLowerCase()}.json` || lower === `${stem.toLowerCase()}.json`;
    if (byName) found.push({ path: join(dir, n), uri: n, scope: dir });
    else if (inCase && (lower === 'cusp.json' || CASE_FILE.test(n))) found.push({ path: join(dir, n), uri: n, scope: dir });
  }
  const parent = dirname(dir);
  if (inCase && relative(root, parent) !== '' && !relative(root, parent).startsWith('..')) {
    for (const n of filesIn(parent)) {
      if (n.toLowerCase().endsWith('.dentalproject')) found.push({ path: join(parent, n), uri: `../${n}`, scope: parent });
    }
  }
  const out: Sidecar[] = [];
  for (const f of found) {
    if (exclude.has(f.path) || f.path === scanPath || isCandidate(toPosix(relative(root, f.path)))) continue;
    const read = readDropFile(f.path, MAX_SIDECAR);
    // One still being written is left for the next scan of the folder (or stays there).
    if (read && read !== 'moving') out.push({ ...read, uri: f.uri, scope: f.scope });
  }
  return out;
}

/** Whether a scan candidate (a mesh or zip file, not yet taken in) remains below `dir`. */
export function candidateRemains(root: string, dir: string, depth = 8): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    const rel = toPosix(relative(root, p));
    if (e.isFile() && isCandidate(rel)) return true;
    if (e.isDirectory() && depth > 0 && !isSkippedFolder(rel) && candidateRemains(root, p, depth - 1)) return true;
  }
  return false;
}

/**
 * Whether a sidecar may leave the drop folder now: when it is bound to the scan by name
 * (`<scan>.json`), with the scan; else only when no scan candidate remains in the folder
 * whose scans share it. Upper and lower jaw of one case share one `.dentalProject`: each
 * stores its own copy (identity is read from it for each), and the file goes with the last
 * of them — without having to know how many scans the case holds, or whether a bite scan
 * is still being copied in.
 */
export function sidecarRemovable(root: string, scanPath: string, sidecar: Sidecar): boolean {
  const stem = basename(scanPath).replace(/\.[^.]+$/, '').toLowerCase();
  const lower = basename(sidecar.path).toLowerCase();
  const byName = lower === `${basename(scanPath).toLowerCase()}.json` || lower === `${stem}.json`;
  if (byName) {
    // Another scan with the same stem (`upper.stl` and `upper.ply`) shares `upper.json`.
    const sameStem = filesIn(dirname(scanPath)).some((n) => n.replace(/\.[^.]+$/, '').toLowerCase() === stem && isCandidate(toPosix(relative(root, join(dirname(scanPath), n)))));
    return !sameStem;
  }
  return !candidateRemains(root, sidecar.scope);
}

