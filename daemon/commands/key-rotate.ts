import { chownSync, existsSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import { keyId } from '../../src/backup/manifest.js';
import { generateKeyFile, readKeyFile } from '../../src/store/key.js';
import { syncDir } from '../../src/store/fsync.js';
import { assertRoomForCopy, recoverPendingRotation, removeRekeyCopy, rotateKeyFile, setAside, type RecoveryResult } from '../../src/store/rekey.js';
import type { CuspConfig } from '../../src/config/index.js';
import type { CommandRunner } from '../command.js';
import { callDaemon, runningDaemon } from '../admin-call.js';
import { claimDataFolder } from '../pid-file.js';
import { configFor, keyFor, openAuditFor, openStoreFor } from '../context.js';

/**
 * Settle what an unfinished rotation left (`<keyFile>.new`). Beside a running daemon the
 * daemon judges it, since only it knows the key its open database is under (and it waits for
 * a rotation still running there, e.g. one whose CLI was killed). Otherwise the keys on disk
 * are tried, holding the data folder so no daemon starts meanwhile (if one just did, its own
 * start settles it). Never deletes a key.
 */
async function settle(config: CuspConfig): Promise<RecoveryResult> {
  const { path, keyFile } = config.store;
  if (runningDaemon(config) !== undefined) return settleWithDaemon(config);
  let release: () => void;
  try {
    release = claimDataFolder(config.dataDir);
  } catch {
    return { outcome: 'none' };
  }
  try {
    return recoverPendingRotation(path, keyFile);
  } finally {
    release();
  }
}

/**
 * Ask the running daemon about `<keyFile>.new`: the key its database is under becomes the key
 * file; any other is set aside, and the daemon never rotates to it afterwards (a request of a
 * killed CLI still on its way is refused), so the key file stays the database's key. When the
 * daemon does not answer, nothing is touched: its next start settles it from the disk.
 */
async function settleWithDaemon(config: CuspConfig): Promise<RecoveryResult> {
  const { path, keyFile } = config.store;
  const pending = `${keyFile}.new`;
  if (!existsSync(pending)) return { outcome: 'none' };
  let answer: { pending: 'current' | 'unused' | 'unreadable'; keyId: string };
  try {
    answer = await callDaemon(config, '/maintenance/key-settle', { pendingKeyFile: pending });
  } catch (err) {
    if (err instanceof CuspError && err.code === 'unavailable') return { outcome: 'none' };
    throw err;
  }
  if (answer.pending === 'current') {
    renameSync(pending, keyFile);
    syncDir(keyFile);
    removeRekeyCopy(path);
    return { outcome: 'finished' };
  }
  let inForce: string | undefined;
  try {
    inForce = keyId(readKeyFile(keyFile));
  } catch {
    inForce = undefined;
  }
  if (inForce !== answer.keyId) {
    throw new CuspError('key_invalid', `the running daemon's database is under neither the key file ${keyFile} nor the pending key ${pending} of an interrupted rotation — both were left as they are; the daemon keeps serving; before it stops, put the key it uses (id ${answer.keyId}, as backup manifests name keys) back as ${keyFile} from your key escrow`);
  }
  return { outcome: 'undone', asidePath: setAside(pending, answer.pending === 'unused' ? 'unused' : 'invalid') };
}

/**
 * Rotation on the running appliance. The daemon holds the database (and, under systemd, a
 * read-only view of /etc), so the work is split: this command writes the new key next to
 * the old one as `<keyFile>.new`, owned like the old one, the daemon re-encrypts its open
 * database with it over the admin socket, and this command then renames it over the old
 * key file. The pending key is never deleted: when the call fails, the daemon may have
 * committed the rekey before it died or the answer was lost, and then it is the only key
 * that opens the database. What the keys on disk open decides (recoverPendingRotation),
 * here right after a failure, or at the next command or start.
 */
async function rotateOnline(config: CuspConfig, keyFile: string, newKeyFile: string | undefined): Promise<{ where: string; note?: string }> {
  const pending = newKeyFile ?? `${keyFile}.new`;
  if (!newKeyFile) await settle(config);
  // Refused here with the same message the daemon gives, before a key file is written.
  assertRoomForCopy(config.store.path);
  generateKeyFile(pending);
  syncDir(pending);
  const { uid, gid } = statSync(newKeyFile ? dirname(pending) : keyFile);
  if (process.getuid?.() === 0) chownSync(pending, uid, gid);
  try {
    await callDaemon(config, '/maintenance/key-rotate', { newKeyFile: pending });
  } catch (err) {
    if (newKeyFile || !(err instanceof CuspError) || err.code !== 'unavailable') {
      if (!newKeyFile) await settle(config);
      throw err;
    }
    // No answer: the daemon may have died before or after its rekey committed.
    const outcome = await settle(config);
    if (outcome.outcome === 'finished') return { where: keyFile, note: 'the daemon stopped answering after it re-encrypted the database; the rotation was finished from the keys on disk' };
    throw new CuspError('unavailable', `${err.message}; the database key was not changed${outcome.asidePath ? ` (the unused new key was set aside as ${outcome.asidePath})` : ` (${pending} is settled at the daemon's next start)`}`);
  }
  // Settled: the daemon's database passed its check under the new key, which is now where
  // the next start reads it; only then does the daemon's safety copy go.
  if (newKeyFile) {
    removeRekeyCopy(config.store.path);
    return { where: newKeyFile };
  }
  renameSync(pending, keyFile);
  syncDir(keyFile);
  removeRekeyCopy(config.store.path);
  return { where: keyFile };
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
      const { where, note } = await rotateOnline(config, config.store.keyFile, newKeyFile);
      io.stdout.write(`database key rotated by the running daemon (pid ${pid}): the new key is in ${where}; the old key no longer opens the database — replace any copy of the old key in your key escrow\n`);
      if (note) io.stdout.write(`${note}\n`);
      return 0;
    }
    // Held throughout: a daemon starting in the middle would open the database beside us.
    const release = claimDataFolder(config.dataDir);
    const { store } = (() => {
      try {
        return openStoreFor(loaded, io.env);
      } catch (err) {
        release();
        throw err;
      }
    })();
    try {
      let where: string;
      if (newKeyFile) {
        assertRoomForCopy(store.path);
        const newKey = generateKeyFile(newKeyFile);
        store.rekey(newKey);
        removeRekeyCopy(store.path);
        where = newKeyFile;
      } else {
        rotateKeyFile(store.path, config.store.keyFile, store);
        where = config.store.keyFile;
      }
      openAuditFor(store, config).audit.append({ actor: 'cli', action: 'key.rotate', details: { keySource: current.source } });
      io.stdout.write(`database key rotated: the new key is in ${where}; the old key no longer opens the database — replace any copy of the old key in your key escrow\n`);
      return 0;
    } finally {
      store.close();
      release();
    }
  },
};
