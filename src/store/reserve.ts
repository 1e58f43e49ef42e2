/**
 * The reserve ("ballast"): `<dataDir>/cusp.reserve`, a file of zeros the daemon keeps while
 * the disk has room, so that a completely full disk still leaves Cusp the few megabytes it
 * needs to open its database (a WAL database's 32 KiB `-shm`), record its start in the
 * audit trail and answer — degraded — until space returns. Without it a restart on a full
 * disk failed at the first write (the pid file, then the store).
 *
 * - Released (deleted) when a start finds less free space than START_NEEDS, and when the
 *   disk fills while the daemon runs, so the audit trail and the API keep working.
 * - While released, its size is not counted as free (DiskMonitor's `heldBack`): ingest and
 *   jobs keep waiting until the disk has room beyond it, and never spend it.
 * - Re-created when free space is back (the monitor returns to `ok`), out of room that was
 *   counted as taken already — re-creating it moves no state.
 * Zeros are written, not a sparse file: only written blocks are really taken.
 */
import { closeSync, existsSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The reserve's size on a large disk: 64 MiB. */
export const RESERVE_MAX = 64 * 1048576;

/** Free bytes below which a start releases the reserve before writing anything. */
export const START_NEEDS = 1048576;

/** The reserve file of a data folder. */
export function reservePath(dataDir: string): string {
  return join(dataDir, 'cusp.reserve');
}

/** 64 MiB, but at most a thirty-second of the disk (a 64 MB test disk keeps 2 MiB: a start needs well under 1 MiB). */
export function reserveSize(dataDir: string): number {
  try {
    const st = statfsSync(dataDir);
    return Math.min(RESERVE_MAX, Math.floor((Number(st.blocks) * Number(st.bsize)) / 32));
  } catch {
    return RESERVE_MAX;
  }
}

/** Bytes free for the service on the data folder's disk. */
export function freeBytes(dataDir: string): number {
  const st = statfsSync(dataDir);
  return Number(st.bavail) * Number(st.bsize);
}

export class Reserve {
  readonly path: string;
  readonly size: number;

  constructor(readonly dataDir: string, size = reserveSize(dataDir)) {
    this.path = reservePath(dataDir);
    this.size = size;
  }

  /** True while the reserve is on disk at its full size. */
  get held(): boolean {
    try {
      return statSync(this.path).size >= this.size;
    } catch {
      return false;
    }
  }

  /** Bytes of free space that belong to the reserve while it is released (not to be spent). */
  heldBack(): number {
    return this.held ? 0 : this.size;
  }

  /**
   * Delete the reserve; true when there was one to release. Its room is then free for the
   * database's own writes (open, audit events, checkpoints).
   */
  release(): boolean {
    if (!existsSync(this.path)) return false;
    rmSync(this.path, { force: true });
    return true;
  }

  /**
   * Create the reserve when it is missing and `room` bytes beyond it are free (the caller
   * passes the floor). Returns true when it was created; a write that fails for lack of
   * space removes the partial file (a partial reserve would count as released anyway).
   */
  ensure(room: number): boolean {
    if (this.held) return false;
    if (freeBytes(this.dataDir) < this.size + room) return false;
    const chunk = Buffer.alloc(1048576);
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'w', 0o600);
      for (let done = 0; done < this.size; done += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, this.size - done));
      return true;
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(this.path, { force: true });
      throw err;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
