/**
 * Where the database key comes from, in order:
 * 1. a systemd credential (`$CREDENTIALS_DIRECTORY/<credentialName>`, from LoadCredential=
 *    or LoadCredentialEncrypted=) — the production way;
 * 2. the configured key file, which must be readable by its owner only;
 * 3. only for the built-in default config: a key file generated with mode 0600 on first start.
 *
 * A key is 256 bits, stored as 64 hex characters (a trailing newline is allowed). It is
 * handed to SQLCipher as a raw key, so opening skips PBKDF2 (~150 ms per open).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CuspError } from '../errors.js';

export type KeySource = 'credential' | 'file' | 'generated';

export interface DatabaseKey {
  /** 32 bytes. Never log it. */
  bytes: Buffer;
  source: KeySource;
  /** Where it was read from (a path; safe to show). */
  origin: string;
}

export interface KeyOptions {
  keyFile: string;
  credentialName: string;
  /** `$CREDENTIALS_DIRECTORY`, when systemd passed credentials. */
  credentialsDirectory?: string;
  /** Generate the key file when it does not exist (built-in default config only). */
  allowGenerate: boolean;
}

const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/** Parse the text of a key file; throws a CuspError naming the file when it is not a key. */
export function parseKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  if (!KEY_HEX.test(trimmed)) {
    throw new CuspError('key_invalid', `${origin} is not a Cusp key: expected 64 hex characters (256 bits) — create one with 'openssl rand -hex 32 > ${origin}'`);
  }
  return Buffer.from(trimmed, 'hex');
}

/** Read a key file, refusing one that group or others can read or write. */
export function readKeyFile(path: string, { checkMode = true } = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CuspError('key_invalid', `key file ${path} does not exist — create it with 'install -m 600 /dev/null ${path} && openssl rand -hex 32 > ${path}' or point store.keyFile at the right file`);
    if (code === 'EACCES') throw new CuspError('key_invalid', `key file ${path} is not readable by this user — run cusp as the service user that owns it`);
    throw new CuspError('key_invalid', `key file ${path} cannot be opened: ${code ?? String(err)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (checkMode && (stat.mode & 0o077) !== 0) {
      throw new CuspError('key_invalid', `key file ${path} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}) — run 'chmod 600 ${path}'`);
    }
    return parseKey(readFileSync(fd, 'utf8'), path);
  } finally {
    closeSync(fd);
  }
}

/** Write a new random key file with mode 0600; fails if the file exists. */
export function generateKeyFile(path: string): Buffer {
  const bytes = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${bytes.toString('hex')}\n`);
    fsyncSync(fd); // a key must be durable before anything is encrypted with it
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Find and read the database key as the options allow. */
export function loadKey(options: KeyOptions): DatabaseKey {
  if (options.credentialsDirectory) {
    const credential = join(options.credentialsDirectory, options.credentialName);
    try {
      // systemd owns the credentials folder and its modes; no mode check here.
      const text = readFileSync(credential, 'utf8');
      return { bytes: parseKey(text, credential), source: 'credential', origin: credential };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (options.allowGenerate && !existsSync(options.keyFile)) {
    return { bytes: generateKeyFile(options.keyFile), source: 'generated', origin: options.keyFile };
  }
  return { bytes: readKeyFile(options.keyFile), source: 'file', origin: options.keyFile };
}
