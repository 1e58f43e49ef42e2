/**
 * Asking the running daemon to do something over its admin socket (backup, key rotation):
 * commands use this when the daemon holds the database, so they never open it beside it
 * for writing. Failures become one clear CuspError line.
 */
import { ApiError, CuspClient } from '../src/api/client.js';
import type { CuspConfig } from '../src/config/index.js';
import { CuspError, type ErrorCode } from '../src/errors.js';
import { lockingPid } from './pid-file.js';

/**
 * The pid of the daemon running on this config's data folder (0 when it has not written its
 * pid file yet), or undefined. Decided by the data folder's lock, never by a pid number.
 */
export function runningDaemon(config: CuspConfig): number | undefined {
  return lockingPid(config.dataDir);
}

/** POST `body` to `path` on the admin socket; the daemon's error comes back as a CuspError. */
export async function callDaemon<T>(config: CuspConfig, path: string, body: unknown): Promise<T> {
  const socket = config.api.adminSocket;
  try {
    return await new CuspClient({ socketPath: socket }).call<T>('POST', path, { body });
  } catch (err) {
    if (err instanceof ApiError) throw new CuspError(err.code as ErrorCode, `the daemon refused: ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw new CuspError('forbidden', `cannot use the daemon's admin socket ${socket} (permission denied) — run this as root or as the service user (sudo -u cusp …)`);
    throw new CuspError('unavailable', `the daemon runs but its admin socket ${socket} does not answer (${code ?? (err as Error).message}) — check 'systemctl status cusp'`);
  }
}
