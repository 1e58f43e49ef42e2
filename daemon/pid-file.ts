/**
 * One daemon per data folder. The pid file says which process holds it; a pid file left
 * by a dead process is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CuspError } from '../src/errors.js';

/** The pid of a live process recorded in `path`, or undefined. */
export function livePid(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Claim the data folder for this process; throws when another live daemon holds it. */
export function claimPidFile(path: string): () => void {
  const other = livePid(path);
  if (other !== undefined && other !== process.pid) {
    throw new CuspError('conflict', `another cusp daemon (pid ${other}) is running on this data folder — stop it first (systemctl stop cusp)`);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return () => {
    if (livePid(path) === process.pid) rmSync(path, { force: true });
  };
}
