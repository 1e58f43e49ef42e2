/**
 * What surrounds a scan file in a drop folder: its sibling files, a sidecar JSON with the
 * practice software's patient id, an exocad-style `*.dentalProject`. Reads only inside
 * the watched folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/** A scan file to take in, with what it needs from around it. */
export interface Candidate {
  /** Name inside the folder (or inside the folder + zip). */
  relativePath: string;
  bytes: Uint8Array;
  readSibling: (uri: string) => Uint8Array | undefined;
  sidecar?: unknown;
  project?: string;
}

const SIDECAR_NAMES = ['cusp.json'];

/** The path a relative URI names next to `baseDir`, only if it stays inside the watched folder. */
export function resolveInside(root: string, baseDir: string, uri: string): string | undefined {
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // keep it as written
  }
  const target = join(baseDir, ...decoded.split(/[\\/]/));
  const rel = relative(root, target);
  if (rel.startsWith('..') || rel === '') return undefined;
  return target;
}

/** A file next to `baseDir`, by relative URI, only if it stays inside the watched folder. */
export function readInside(root: string, baseDir: string, uri: string): Uint8Array | undefined {
  const target = resolveInside(root, baseDir, uri);
  if (target === undefined) return undefined;
  try {
    return readFileSyncSafe(target);
  } catch {
    return undefined;
  }
}

function readFileSyncSafe(path: string): Uint8Array | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st || !st.isFile() || st.size > 512 * 1024 * 1024) return undefined;
  return readFileSync(path);
}

/** `<scan>.json` beside the scan, else `cusp.json` in its folder: the practice software's hint. */
export function readSidecar(root: string, scanPath: string): unknown {
  const dir = dirname(scanPath);
  const stem = basename(scanPath).replace(/\.[^.]+$/, '');
  for (const name of [`${basename(scanPath)}.json`, `${stem}.json`, ...SIDECAR_NAMES]) {
    const bytes = readInside(root, dir, name);
    if (!bytes) continue;
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch {
      return { invalid: true };
    }
  }
  return undefined;
}

/** A `*.dentalProject` file in the scan's folder or the one above (exocad-style case folders). */
export function readProject(root: string, scanPath: string): string | undefined {
  for (const dir of [dirname(scanPath), dirname(dirname(scanPath))]) {
    if (relative(root, dir).startsWith('..')) break;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const project = names.find((n) => n.toLowerCase().endsWith('.dentalproject'));
    if (project) {
      const bytes = readFileSyncSafe(join(dir, project));
      if (bytes) return new TextDecoder().decode(bytes);
    }
  }
  return undefined;
}
