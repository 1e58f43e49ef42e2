/**
 * Reading a scan file for the commands that take one (`cusp compare` and its second thread,
 * `cusp convert`): a binary STL welded as it is read, in a few MB (see ./stl-file.ts), any
 * other file whole through `readMesh`; a clear error when the file cannot be read.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CuspError, isCuspError } from '../errors.js';
import { readMesh, type ReadResult } from '../mesh/read/index.js';
import { readStlFileWelded } from './stl-file.js';

/**
 * The scan file at `path`, read: a binary STL welded as it is read (a third of the memory,
 * and the weld done: stl-binary-welded.ts), any other file whole through `readMesh`.
 * `shared`: a welded STL's arrays in SharedArrayBuffers, for the other thread.
 */
export async function readScanPath(path: string, shared = false): Promise<ReadResult> {
  let welded: ReadResult | undefined;
  try {
    welded = readStlFileWelded(path, basename(path), shared);
  } catch (err) {
    throw isCuspError(err) ? err : unreadable(path, err);
  }
  return welded ?? (await readMesh({ bytes: readScanFile(path), name: basename(path) }));
}

/**
 * The bytes of the scan file at `path`, as a view of `readFileSync`'s Buffer (`new
 * Uint8Array(buffer)` copied it element by element, ~0.5 s for a 50 MB scan); a clear error
 * when it cannot be read.
 */
export function readScanFile(path: string): Uint8Array {
  try {
    const bytes = readFileSync(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    throw unreadable(path, err);
  }
}

function unreadable(path: string, err: unknown): CuspError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err);
  return new CuspError('invalid_input', `cannot read ${path}: ${why}`, { cause: err });
}
