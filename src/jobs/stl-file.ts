/**
 * A binary STL file read through `FileSource` (../mesh/read/stl-binary-welded.ts): welded as
 * it is read, or its triangles' Morton order for a tree. Apart from scan-file.ts so that the
 * self-intersection thread, which only needs the order, loads none of the other readers.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
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
 * undefined for another kind of file. Only a regular file is read: a FIFO or a device
 * named here is left alone (opened without waiting for a writer, never read), so the
 * caller's own read of it gets every byte. File system errors are thrown as they come.
 */
export function stlFileMortonOrder(path: string): MortonOrder | undefined {
  return withFileSource(path, stlMortonOrder, true);
}

function withFileSource<T>(path: string, use: (source: FileSource) => T, onlyRegular = false): T | undefined {
  const fd = openSync(path, onlyRegular ? constants.O_RDONLY | constants.O_NONBLOCK : 'r');
  try {
    const stat = fstatSync(fd);
    if (onlyRegular && !stat.isFile()) return undefined;
    return use({ size: stat.size, read: (into, position) => readSync(fd, into, 0, into.length, position) });
  } finally {
    closeSync(fd);
  }
}
