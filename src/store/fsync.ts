/**
 * Making a file, and its name in its folder, survive a power cut: fsync the file, then the
 * folder that holds it (a new or renamed name lives in the folder's own data). One place
 * for the key rotation, the key-rotate command and the backup archive writer.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a file by path (written through a stream or another descriptor, now closed). */
export function syncFile(path: string): void {
  syncPath(path);
}

/** fsync the folder holding `path`, so a file created or renamed in it survives a power cut. */
export function syncDir(path: string): void {
  syncPath(dirname(path));
}
