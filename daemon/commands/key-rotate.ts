import { chownSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import { generateKeyFile } from '../../src/store/key.js';
import { rekeyDatabase, rotateKeyFile } from '../../src/store/rekey.js';
import type { CommandRunner } from '../command.js';
import { callDaemon, runningDaemon } from '../admin-call.js';
import { configFor, keyFor, openAuditFor, openStoreFor } from '../context.js';

function syncDir(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rotation on the running appliance. The daemon holds the database (and, under systemd, a
 * read-only view of /etc), so the work is split: this command writes the new key next to
 * the old one as `<keyFile>.new`, owned like the old one, the daemon re-encrypts its open
 * database with it over the admin socket, and this command then renames it over the old
 * key file. A crash between the two steps is finished by the next command or start
 * (recoverPendingRotation), exactly as for an offline rotation.
 */
async function rotateOnline(config: Parameters<typeof callDaemon>[0], keyFile: string, newKeyFile: string | undefined): Promise<string> {
  const pending = newKeyFile ?? `${keyFile}.new`;
  if (!newKeyFile) rmSync(pending, { force: true });
  generateKeyFile(pending);
  try {
    const { uid, gid } = statSync(newKeyFile ? dirname(pending) : keyFile);
    if (process.getuid?.() === 0) chownSync(pending, uid, gid);
    await callDaemon(config, '/maintenance/key-rotate', { newKeyFile: pending });
  } catch (err) {
    rmSync(pending, { force: true });
    throw err;
  }
  if (newKeyFile) return newKeyFile;
  renameSync(pending, keyFile);
  syncDir(keyFile);
  return keyFile;
}

export const keyRotate: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, 'new-key-file': { type: 'string' } }, strict: true });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const newKeyFile = values['new-key-file'] === undefined ? undefined : resolve(values['new-key-file']);
    const current = keyFor(loaded, io.env);
    if (current.source === 'credential' && !newKeyFile) {
      throw new CuspError('bad_request', `the key comes from the systemd credential ${current.origin}, which cusp cannot rewrite — pass --new-key-file FILE and then install that file as the credential`);
    }
    const pid = runningDaemon(config);
    if (pid !== undefined) {
      const where = await rotateOnline(config, config.store.keyFile, newKeyFile);
      io.stdout.write(`database key rotated by the running daemon (pid ${pid}): the new key is in ${where}; the old key no longer opens the database — replace any copy of the old key in your key escrow\n`);
      return 0;
    }
    const { store } = openStoreFor(loaded, io.env);
    try {
      let where: string;
      if (newKeyFile) {
        const newKey = generateKeyFile(newKeyFile);
        rekeyDatabase(store.db, newKey);
        where = newKeyFile;
      } else {
        rotateKeyFile(store.path, config.store.keyFile, store.db);
        where = config.store.keyFile;
      }
      openAuditFor(store, config).audit.append({ actor: 'cli', action: 'key.rotate', details: { keySource: current.source } });
      io.stdout.write(`database key rotated: the new key is in ${where}; the old key no longer opens the database — replace any copy of the old key in your key escrow\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
