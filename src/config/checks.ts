/**
 * Checks that span several keys, run on the complete configuration with absolute paths:
 * the mistakes that would otherwise show up as a lost or twice-ingested scan.
 */
import { isAbsolute, relative } from 'node:path';
import { checkFolderRoots } from './folder-roots.js';
import type { ConfigProblem } from './problems.js';
import type { CuspConfig } from './schema.js';

/** Linux's limit for a Unix socket path (sun_path is 108 bytes with the terminating NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** True when `path` is `dir` or below it. */
function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The files the daemon writes, by key path. */
function writtenFiles(c: CuspConfig): Array<[string, string]> {
  const files: Array<[string, string | undefined]> = [
    ['store.path', c.store.path],
    ['store.keyFile', c.store.keyFile],
    ['api.tls.certFile', c.api.tls.certFile],
    ['api.tls.keyFile', c.api.tls.keyFile],
    ['api.tls.caFile', c.api.tls.caFile],
    ['api.tls.caKeyFile', c.api.tls.caKeyFile],
    ['api.adminSocket', c.api.adminSocket],
    ['audit.checkpointFile', c.audit.checkpointFile],
    ['audit.signingKeyFile', c.audit.signingKeyFile],
    ['log.file', c.log.file],
  ];
  return files.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** Every place the daemon writes to, files and folders, by key path. */
function writtenPlaces(c: CuspConfig): Array<[string, string]> {
  const places = writtenFiles(c);
  places.push(['backup.dir', c.backup.dir]);
  c.folders.forEach((f, i) => {
    places.push([`folders[${i}].quarantineDir`, f.quarantineDir]);
    if (f.after === 'archive' && f.archiveDir) places.push([`folders[${i}].archiveDir`, f.archiveDir]);
  });
  return places;
}

function checkFolders(c: CuspConfig, problems: ConfigProblem[], warnings: ConfigProblem[]): void {
  c.folders.forEach((f, i) => {
    const at = `folders[${i}]`;
    if (f.after === 'archive' && !f.archiveDir) problems.push({ path: `${at}.archiveDir`, message: "is required when after is 'archive': the folder ingested files are moved to" });
    if (f.after !== 'archive' && f.archiveDir) warnings.push({ path: `${at}.archiveDir`, message: `is ignored: after is '${f.after}', not 'archive'` });
    if (within(f.path, c.dataDir)) problems.push({ path: `${at}.path`, message: `must not be or contain dataDir (${c.dataDir}): watch a folder of its own, such as ${c.dataDir}/inbox` });
    for (let j = 0; j < i; j++) {
      const other = c.folders[j];
      if (f.path === other.path) problems.push({ path: `${at}.path`, message: `is the same folder as folders[${j}].path` });
      else if (within(other.path, f.path) || within(f.path, other.path)) {
        problems.push({ path: `${at}.path`, message: `overlaps folders[${j}].path (${other.path}): folders are watched with their subfolders, so files would be taken in twice` });
      }
      if (f.name === other.name) problems.push({ path: `${at}.name`, message: `'${f.name}' is already the name of folders[${j}]: give each folder its own name (it names its quarantine folder)` });
    }
  });
}

/**
 * Problems (and warnings) that involve more than one key. `config` must have absolute paths.
 */
export function crossCheck(config: CuspConfig): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  checkFolders(config, problems, warnings);
  problems.push(...checkFolderRoots(config));

  // Anything the daemon writes inside a watched folder would be picked up as a new scan.
  for (const [key, place] of writtenPlaces(config)) {
    const i = config.folders.findIndex((f) => within(f.path, place));
    if (i >= 0) problems.push({ path: key, message: `is inside the watched folder folders[${i}].path (${config.folders[i].path}): files there would be taken in as scans` });
  }

  const files = writtenFiles(config);
  files.forEach(([key, file], i) => {
    const same = files.slice(0, i).find(([, other]) => other === file);
    if (same) problems.push({ path: key, message: `is the same file as ${same[0]} (${file})` });
  });

  const socketBytes = Buffer.byteLength(config.api.adminSocket);
  if (socketBytes > MAX_SOCKET_PATH_BYTES) {
    problems.push({ path: 'api.adminSocket', message: `is ${socketBytes} bytes long; a Unix socket path can be at most ${MAX_SOCKET_PATH_BYTES}: choose a shorter path` });
  }
  return { problems, warnings };
}
