/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file outside the database
 * (mode 0600), so someone who can rewrite the database still cannot sign a checkpoint
 * that matches a rewritten chain.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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

/** Load the signing key from `path`, creating it (0600) on first use. */
export function loadOrCreateSigningKey(path: string): SigningKey {
  if (!existsSync(path)) {
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
  return loadSigningKey(path);
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
