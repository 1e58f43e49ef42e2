/**
 * Loads the SQLCipher addon inside the single `cusp` executable (the bundle hands
 * `loadAddon` to better-sqlite3, see installers/build/bundle.mjs). The addon travels in
 * the executable's virtual file system, but the kernel can only map a real file, so it is
 * written once into a private folder of the running user:
 *
 *   $CUSP_NATIVE_DIR, else $XDG_CACHE_HOME/cusp, else ~/.cache/cusp  (each 0700)
 *     native-<sha256 prefix>/better_sqlite3.node                      (0500)
 *
 * Never a shared /tmp: another local user could swap the library before it is loaded.
 * A folder owned by someone else, or a symlink in its place, is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function privateFolder(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`cusp: cannot create ${dir} for the SQLCipher library (${err.code ?? err.message}) — set CUSP_NATIVE_DIR to a folder of your own (e.g. sudo -H, or run as the service user)`);
  }
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`cusp: ${dir} must be a folder, not a link or file — remove it`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new Error(`cusp: ${dir} belongs to another user (uid ${st.uid}) — set CUSP_NATIVE_DIR to a folder of your own`);
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

function sameBytes(file, bytes) {
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** The folder the addon is unpacked into. */
export function nativeBase(env = process.env) {
  if (env.CUSP_NATIVE_DIR) return env.CUSP_NATIVE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'cusp');
}

/** Unpack the addon `name` into the private folder (once per content) and load it. */
export function loadAddon(name) {
  // globalThis.__cuspBundleDir is set by the bundle's banner: the folder of the entry
  // bundle inside the executable, where the build put addon/<name>.
  const bytes = fs.readFileSync(path.join(globalThis.__cuspBundleDir, 'addon', name));
  const base = nativeBase();
  const dir = path.join(base, `native-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`);
  privateFolder(base);
  privateFolder(dir);
  const file = path.join(dir, name);
  if (!sameBytes(file, bytes)) {
    const temp = `${file}.${process.pid}.tmp`;
    fs.rmSync(temp, { force: true });
    fs.writeFileSync(temp, bytes, { mode: 0o500, flag: 'wx' });
    fs.renameSync(temp, file);
  }
  const addon = { exports: {} };
  process.dlopen(addon, file);
  return addon.exports;
}
