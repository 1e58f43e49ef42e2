/** Taking a scan's relative path apart: folders, file name, and the name without extension. */
import type { ScanPath } from './types.js';

/**
 * Extensions stripped to get a file's stem. Only known ones: a name like
 * `Smith.John.20.11.2026.upper` has no extension, and `.upper` must stay part of it.
 */
const KNOWN_EXTENSIONS = /\.(stl|ply|obj|gltf|glb|off|3mf|drc|dcm|zip|json)$/i;

/** Splits a relative path (POSIX or Windows separators) into folders, file name and stem. */
export function splitScanPath(relativePath: string): ScanPath {
  const parts = relativePath.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  const base = parts.pop() ?? '';
  return { full: [...parts, base].join('/'), dirs: parts, base, stem: base.replace(KNOWN_EXTENSIONS, '') };
}

/** The same path without its outermost folder (the patient folder of a patient-subfolder layout). */
export function withoutFirstFolder(path: ScanPath): ScanPath {
  const dirs = path.dirs.slice(1);
  return { ...path, dirs, full: [...dirs, path.base].join('/') };
}
