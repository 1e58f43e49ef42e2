/**
 * Reading a scan file for the commands that take one (`cusp inspect`, `cusp compare` and
 * its second thread): a binary STL welded as it is read, in a few MB (see
 * ../mesh/read/stl-binary-welded.ts), any other file whole through `readMesh`; a clear
 * error when the file cannot be read.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { CuspError, isCuspError } from '../errors.js';
import { readMesh, type ReadResult } from '../mesh/read/index.js';
import type { MortonOrder } from '../mesh/bvh/linear-bvh.js';
import { readStlBinaryWelded, stlMortonOrder, type FileSource, type WeldedRead } from '../mesh/read/stl-binary-welded.js';

/**
 * The file at `path` read as a welded binary STL (`readStlBinaryWelded`), or undefined when
 * it is another kind of file. Errors of the file system (ENOENT, EISDIR, EACCES) are thrown
 * as they come, for the caller to word.
 */
export function readStlFileWelded(path: string, name: string, shared = false): WeldedRead | undefined {
  return withFileSource(path, (source) => readStlBinaryWelded(source, name, shared));
}

/**
 * The Morton order of the triangles of the binary STL at `path` (`stlMortonOrder`), or
 * undefined for another kind of file. File system errors are thrown as they come.
 */
export function stlFileMortonOrder(path: string): MortonOrder | undefined {
  return withFileSource(path, stlMortonOrder);
}

function withFileSource<T>(path: string, use: (source: FileSource) => T): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return use({ size, read: (into, position) => readSync(fd, into, 0, into.length, position) });
  } finally {
    closeSync(fd);
  }
}

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
