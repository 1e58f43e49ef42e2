/**
 * The quarantine of a drop folder: a file that cannot be taken in moves there with a note of
 * why (`<name>.reason.txt`, written first so the file is never without it), and with the
 * sibling files it names, so it can be looked at and fixed whole. Recorded as
 * `scan.quarantine` (audit, by hash only) and `scan.quarantined` (change feed and events).
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { FolderConfig } from '../config/index.js';
import { busEvent, record, type RecordServices } from '../events/record.js';
import type { Logger } from '../log/index.js';
import { sha256Async } from '../store/blobs.js';
import { below, freePath, moveFile, toPosix, writeNote } from './file-moves.js';
import { REASON_SUFFIX } from './quarantine.js';
import { removeEmptyFolders } from './remove-original.js';

/** Where the file went, or `gone` when it had vanished before it could be read. */
export type QuarantineOutcome = { kind: 'quarantined'; reason: string; to: string } | { kind: 'gone' };

/**
 * Move a file that cannot be taken in to the folder's quarantine, with the reason beside
 * it, and the sibling files it names (a glTF's `.bin`, an OBJ's `.mtl` and textures) with
 * it: the scan can be looked at — and fixed — whole, and nothing it needs piles up in the
 * drop folder.
 */
export async function quarantineFile(services: RecordServices & { log: Logger }, folder: FolderConfig, path: string, relativePath: string, reason: string, siblings: string[] = []): Promise<QuarantineOutcome> {
  const { log } = services;
  let hash = '';
  try {
    hash = await sha256Async(await readFile(path));
  } catch {
    return { kind: 'gone' };
  }
  const note = (movedWith: string[]) => [
    `Cusp could not take in this file from folder ${folder.name} (${folder.path}).`,
    `Time: ${new Date().toISOString()}`,
    `File: ${relativePath}`,
    `SHA-256: ${hash}`,
    `Reason: ${reason}`,
    ...(movedWith.length > 0 ? [`Moved with it (files the scan names): ${movedWith.join(', ')}`] : []),
    '',
    'What to do: export the scan again from the scanner software into the watched folder.',
    'Once fixed, delete this file and its .reason.txt; nothing here is in the database.',
    '',
  ].join('\n');
  // The reason first, then the file: a quarantined file is never without its note, not
  // even for an instant (a listing in between showed one with none; a crash there would
  // have left it so).
  const planned = await freePath(below(folder.quarantineDir!, relativePath));
  await writeNote(`${planned}${REASON_SUFFIX}`, note([]));
  let to: string;
  try {
    to = await moveFile(path, planned);
  } catch (err) {
    await rm(`${planned}${REASON_SUFFIX}`, { force: true });
    throw err;
  }
  if (to !== planned) {
    // Another file took the name in between: the note goes with the file.
    await writeNote(`${to}${REASON_SUFFIX}`, note([]));
    await rm(`${planned}${REASON_SUFFIX}`, { force: true });
  }
  const movedWith: string[] = [];
  for (const sibling of siblings) {
    const rel = toPosix(relative(folder.path, sibling));
    try {
      movedWith.push(toPosix(relative(dirname(to), await moveFile(sibling, below(folder.quarantineDir!, rel)))));
    } catch (err) {
      // Left in the drop folder: nothing is lost, the next look at the folder sees it.
      log.warn(`a file named by a quarantined scan in folder ${folder.name} stays in place: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (movedWith.length > 0) await writeNote(`${to}${REASON_SUFFIX}`, note(movedWith));
  const quarantined = toPosix(relative(folder.quarantineDir!, to));
  record(services, {
    audit: { actor: 'system', action: 'scan.quarantine', object: `file:sha256:${hash.slice(0, 16)}`, outcome: 'failure', details: { folder: folder.name } },
    changes: [{ type: 'scan.quarantined', objectType: 'folder', objectId: folder.name!, data: { file: quarantined, reason } }],
    events: [busEvent('scan.quarantined', { folder: folder.name!, file: quarantined, reason })],
  });
  log.warn(`quarantined a file from folder ${folder.name}: it cannot be read as a scan (reason in its .reason.txt)`, { sha256: hash.slice(0, 16) });
  await removeEmptyFolders(folder.path, dirname(path));
  return { kind: 'quarantined', reason, to };
}
