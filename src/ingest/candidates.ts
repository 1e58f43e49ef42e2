/**
 * Which names in a watched folder are scan candidates.
 *
 * Scanners and copy tools write under a temporary name and rename when done (`scan.stl.part`,
 * `~$scan.stl`, `.scan.stl.Xa3f9`), and drop sidecars next to a scan (`.mtl`, `.json`,
 * `.dentalProject`, gallery JPEGs) that the ingest service reads beside the scan itself. Only
 * a finished mesh or zip name — or a name without any extension, because some exports write
 * STL without one and the ingest service sniffs the content — is a candidate. Pure: names in,
 * booleans out.
 */

/** Extensions of files Cusp ingests (compared lower-case). */
export const MESH_EXTENSIONS: readonly string[] = ['.stl', '.ply', '.obj', '.gltf', '.glb', '.zip'];

/** Extensions of intraoral photos, taken in as images of a visit (src/images/). */
export const PHOTO_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.heic', '.heif'];

// Names of folders Cusp itself creates or uses inside a data or drop folder: files there are
// Cusp's own output (quarantined or archived scans, the database), never new input.
const CUSP_FOLDER_NAMES = new Set(['quarantine', 'cusp-quarantine', 'cusp-archive', 'cusp-data']);

// Names of files still being written: browser/download managers, WinSCP, Office, editors,
// rsync-style and scanner software temp names. Checked lower-case.
const TEMP_SUFFIXES = ['.tmp', '.temp', '~', '.part', '.partial', '.crdownload', '.filepart', '.download', '.swp'];
const TEMP_PREFIXES = ['~$', '.~lock'];

/** Whether one path segment is a name that is still being written or is hidden. */
function isHiddenOrTemp(segment: string): boolean {
  if (segment.startsWith('.')) return true;
  const lower = segment.toLowerCase();
  return TEMP_SUFFIXES.some((s) => lower.endsWith(s)) || TEMP_PREFIXES.some((p) => lower.startsWith(p));
}

/** The segments of a relative POSIX path, without empty and `.` parts. */
function segments(relativePath: string): string[] {
  return relativePath.split('/').filter((s) => s !== '' && s !== '.');
}

/**
 * Whether the watcher never enters this folder (relative POSIX path below the watched
 * folder): a hidden or temp-named segment, or a folder named like Cusp's own
 * (`quarantine`, `cusp-archive`, …). The empty path — the watched folder itself — is entered.
 */
export function isSkippedFolder(relativePath: string): boolean {
  return segments(relativePath).some((s) => isHiddenOrTemp(s) || CUSP_FOLDER_NAMES.has(s.toLowerCase()));
}

/**
 * Whether a path (relative to the watched folder, POSIX) is a scan candidate now: a
 * mesh/zip extension, or no extension at all (STL without extension — the ingest service
 * sniffs content); not hidden (any path segment starting with '.'), not a temp/partial name
 * (*.tmp, *.temp, *~, ~$*, *.part, *.partial, *.crdownload, *.filepart, *.download,
 * .~lock*, *.swp), not inside a folder named like Cusp's own. Sidecars (.json, .mtl, .bin,
 * .dentalProject, images) are not candidates: the ingest service reads them next to a scan.
 */
export function isCandidate(relativePath: string): boolean {
  const parts = segments(relativePath);
  const name = parts.pop();
  if (name === undefined || isHiddenOrTemp(name) || isSkippedFolder(parts.join('/'))) return false;
  const dot = name.lastIndexOf('.');
  if (dot === -1) return true;
  return MESH_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/**
 * Whether a path is a photo candidate now: a photo extension (.jpg, .jpeg, .png, .heic,
 * .heif), under the same hidden/temp/Cusp-folder rules as scans. A photo beside scans in a
 * case folder is also their sidecar: the photo service lets the scans take it first.
 */
export function isPhotoCandidate(relativePath: string): boolean {
  const parts = segments(relativePath);
  const name = parts.pop();
  if (name === undefined || isHiddenOrTemp(name) || isSkippedFolder(parts.join('/'))) return false;
  const dot = name.lastIndexOf('.');
  return dot !== -1 && PHOTO_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/** Whether the watcher hands this path to ingest: a scan or a photo candidate. */
export function isIngestCandidate(relativePath: string): boolean {
  return isCandidate(relativePath) || isPhotoCandidate(relativePath);
}
