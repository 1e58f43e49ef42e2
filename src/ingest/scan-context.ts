/**
 * What surrounds a scan file in a drop folder: its sibling files, a sidecar JSON with the
 * practice software's patient id, an exocad-style `*.dentalProject`. Reads only inside
 * the watched folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isIteroManifest } from '../rules/index.js';

/** A scan file to take in, with what it needs from around it. */
export interface Candidate {
  /** Name inside the folder (or inside the folder + zip). */
  relativePath: string;
  bytes: Uint8Array;
  readSibling: (uri: string) => Uint8Array | undefined;
  sidecar?: unknown;
  project?: string;
  /** Text of the export's XML manifest (iTero). */
  manifest?: string;
  /** Text of the export's Rx page (iTero). */
  rx?: string;
}

/** What an export carries besides its meshes that says whose they are. */
export type ExportSources = Pick<Candidate, 'sidecar' | 'project' | 'manifest' | 'rx'>;

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

/** An Rx page's name: iTero writes `Rx_<order>.html`; any page is tried when it is the only one. */
const RX_NAME = /^rx[_ -].*\.html?$/i;
/** A manifest or page bigger than this is no manifest. */
const MAX_TEXT = 4 * 1024 * 1024;

/** The text of an iTero manifest and Rx page among `names` (read through `read`), if any. */
export function findIteroTexts(names: string[], read: (name: string) => Uint8Array | undefined): Pick<Candidate, 'manifest' | 'rx'> {
  const out: Pick<Candidate, 'manifest' | 'rx'> = {};
  const decode = (name: string): string | undefined => {
    const bytes = read(name);
    return bytes && bytes.length <= MAX_TEXT ? new TextDecoder().decode(bytes) : undefined;
  };
  for (const name of names.filter((n) => /\.xml$/i.test(n)).sort()) {
    const text = decode(name);
    if (text !== undefined && isIteroManifest(text)) {
      out.manifest = text;
      break;
    }
  }
  const pages = names.filter((n) => /\.html?$/i.test(n.split('/').pop() ?? ''));
  const rx = pages.find((n) => RX_NAME.test(n.split('/').pop() ?? '')) ?? (pages.length === 1 ? pages[0] : undefined);
  if (rx) out.rx = decode(rx);
  return out;
}

/**
 * Every source of identity around a scan in a drop folder: its JSON sidecar, a
 * `.dentalProject`, and — in a case folder (never the watched folder itself, where unrelated
 * drops lie side by side) — the export's XML manifest and Rx page.
 */
export function readExportSources(root: string, scanPath: string): ExportSources {
  const out: ExportSources = { sidecar: readSidecar(root, scanPath), project: readProject(root, scanPath) };
  const dir = dirname(scanPath);
  if (relative(root, dir) === '' || relative(root, dir).startsWith('..')) return out;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  return { ...out, ...findIteroTexts(names, (n) => readInside(root, dir, n)) };
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
