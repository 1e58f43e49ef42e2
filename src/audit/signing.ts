/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file outside the database
 * (mode 0600), so someone who can rewrite the database still cannot sign a checkpoint
 * that matches a rewritten chain.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CuspError } from '../errors.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex characters of SHA-256 of the public key (SPKI DER). */
  keyId: string;
  /** The public key as SPKI PEM, for the checkpoint file and the database. */
  publicPem: string;
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKey,
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Write a new signing key to `path` (0600; an existing file is never overwritten). */
export function createSigningKey(path: string): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  } finally {
    closeSync(fd);
  }
  return fromPrivate(privateKey);
}

/**
 * Load the signing key from `path`, creating it (0600) on first use. Only for a trail that
 * has never been signed: the daemon goes through `openSigningKey`, which refuses to replace
 * a lost key silently.
 */
export function loadOrCreateSigningKey(path: string): SigningKey {
  if (!existsSync(path)) return createSigningKey(path);
  return loadSigningKey(path);
}

/** What shows that an installation's trail was signed before (so a missing key is a loss, not a first start). */
export interface SignedBefore {
  /** The public key the database remembers (`meta.audit_public_key`), if any. */
  knownPublicPem?: string;
  /** Lines in the checkpoint file outside the database. */
  checkpointLines: number;
  /** Events in the table. */
  events: number;
}

/**
 * The signing key for the daemon and the commands that write the trail: created only for a
 * trail that was never signed. A missing key for a trail that was is a stop: a new key
 * would make every old checkpoint read as forged and let whoever deleted the key start over.
 */
export function openSigningKey(path: string, before: SignedBefore): SigningKey {
  if (existsSync(path)) return loadSigningKey(path);
  if (!before.knownPublicPem && before.checkpointLines === 0 && before.events === 0) return createSigningKey(path);
  const known = before.knownPublicPem ? ` (key id ${publicKeyFromPem(before.knownPublicPem).keyId})` : '';
  throw new CuspError('key_invalid', `the audit signing key ${path} is missing, but this installation's audit trail was signed with it${known}: ${before.events} events, ${before.checkpointLines} checkpoints in the checkpoint file. Cusp does not make a new one by itself — restore the key file from where you keep it (see 'cusp restore --signing-key'), or, if it is lost for good, start a new signing key deliberately with 'cusp audit new-signing-key --reason TEXT' (recorded in the trail; the old checkpoints stay verifiable with the old public key)`);
}

/** The retired public keys' file beside a signing key: JSON lines { keyId, publicPem, retiredAt, reason }. */
export function retiredKeysPath(signingKeyFile: string): string {
  return `${signingKeyFile}.retired`;
}

export interface RetiredKey { keyId: string; publicPem: string; retiredAt: string; reason: string }

/** Add a retired public key (its checkpoints stay verifiable). */
export function retireKey(signingKeyFile: string, key: RetiredKey): void {
  const path = retiredKeysPath(signingKeyFile);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  appendFileSync(path, `${JSON.stringify(key)}\n`, { mode: 0o600 });
}

/** The retired public keys by key id (empty when there are none). */
export function loadRetiredKeys(signingKeyFile: string): Map<string, KeyObject> {
  const path = retiredKeysPath(signingKeyFile);
  const out = new Map<string, KeyObject>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const { publicPem } = JSON.parse(line) as RetiredKey;
      const key = publicKeyFromPem(publicPem);
      out.set(key.keyId, key.publicKey);
    } catch {
      throw new CuspError('key_invalid', `${path} holds a line that is not a retired audit key — it was edited; restore it from a backup`);
    }
  }
  return out;
}

/** Load an existing signing key; a missing or group-readable file is an error. */
export function loadSigningKey(path: string): SigningKey {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CuspError('key_invalid', `audit signing key ${path} cannot be read (${(err as NodeJS.ErrnoException).code}) — checkpoints cannot be verified without it; restore it from the key backup`);
  }
  try {
    if ((fstatSync(fd).mode & 0o077) !== 0) {
      throw new CuspError('key_invalid', `audit signing key ${path} is readable by group or others — run 'chmod 600 ${path}'`);
    }
    return fromPrivate(createPrivateKey(readFileSync(fd, 'utf8')));
  } catch (err) {
    if (err instanceof CuspError) throw err;
    throw new CuspError('key_invalid', `audit signing key ${path} is not an Ed25519 private key in PEM form`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

/** A public key from SPKI PEM (for auditors verifying with a copy of the public key only). */
export function publicKeyFromPem(pem: string): { publicKey: KeyObject; keyId: string } {
  const publicKey = createPublicKey(pem);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { publicKey, keyId: createHash('sha256').update(der).digest('hex').slice(0, 16) };
}

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(seq: number, hash: string, time: string): Buffer {
  return Buffer.from(`cusp-audit-checkpoint\n${seq}\n${hash}\n${time}\n`, 'utf8');
}

export function signCheckpoint(key: SigningKey, seq: number, hash: string, time: string): string {
  return sign(null, checkpointMessage(seq, hash, time), key.privateKey).toString('base64');
}

export function verifyCheckpoint(publicKey: KeyObject, seq: number, hash: string, time: string, signature: string): boolean {
  try {
    return verify(null, checkpointMessage(seq, hash, time), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
