/**
 * A binary STL file read through `FileSource` (../mesh/read/stl-binary-welded.ts): welded as
 * it is read, or its triangles' Morton order for a tree. Apart from scan-file.ts so that the
 * self-intersection thread, which only needs the order, loads none of the other readers.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
