/**
 * Where watched folders may be. A drop folder's files are moved (to the quarantine, an
 * archive) and deleted once stored, so a folder added through the API is a way to move or
 * delete files: an admin token must not be able to point it at /etc or a home directory.
 * Every watched folder, its quarantine and its archive must lie inside one of `folderRoots`
 * — by default the packages' drop area `/srv/cusp`, the data folder, and the folders the
 * config file itself names (whoever edits the config file is root already).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ConfigProblem } from './problems.js';
import type { CuspConfig, FolderConfig } from './schema.js';

/** The drop-folder area the .deb and install script create (installers/setup-lib.sh). */
export const DEFAULT_FOLDER_ROOT = '/srv/cusp';

/** The folder's places the roots apply to, by setting name. */
export function folderPlaces(f: Pick<FolderConfig, 'path' | 'quarantineDir' | 'archiveDir'>): Array<[string, string]> {
  return [['path', f.path], ['quarantineDir', f.quarantineDir!], ...(f.archiveDir ? [['archiveDir', f.archiveDir] as [string, string]] : [])];
}

/** The roots in force: `folderRoots` when set, else the defaults above. */
export function folderRoots(config: Pick<CuspConfig, 'folderRoots' | 'dataDir' | 'folders'>): string[] {
  if (config.folderRoots) return config.folderRoots;
  return [DEFAULT_FOLDER_ROOT, config.dataDir, ...config.folders.flatMap((f) => folderPlaces(f).map(([, p]) => p))];
}

/**
 * `path` with symbolic links resolved as far as it exists: `/srv/cusp/x` where x links to
 * /etc is /etc. The part that does not exist yet is taken as written.
 */
function real(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length).replace(/^\//, ''));
    existing = parent;
  }
  try {
    return resolve(realpathSync(existing), ...rest);
  } catch {
    return resolve(path);
  }
}

/** True when `path` (links resolved) is one of `roots` or below one. */
export function insideRoots(path: string, roots: readonly string[]): boolean {
  const target = real(path);
  return roots.some((root) => {
    const rel = relative(real(root), target);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

/** The clear refusal for a place outside the roots, or undefined when it is inside. */
export function rootProblem(key: string, path: string, roots: readonly string[]): string | undefined {
  if (insideRoots(path, roots)) return undefined;
  return `${key} ${path} is outside the folders Cusp may use for drop folders (${roots.join(', ')}) — choose a folder below one of them, or add its parent to folderRoots in the config file`;
}

/** config check: with `folderRoots` set, the config file's own folders must lie inside it too. */
export function checkFolderRoots(config: CuspConfig): ConfigProblem[] {
  if (!config.folderRoots) return [];
  const problems: ConfigProblem[] = [];
  config.folders.forEach((f, i) => {
    for (const [key, path] of folderPlaces(f)) {
      if (!insideRoots(path, config.folderRoots!)) problems.push({ path: `folders[${i}].${key}`, message: `(${path}) is outside folderRoots (${config.folderRoots!.join(', ')}): move it below one of them or add a root` });
    }
  });
  return problems;
}
