/**
 * Small secret files inside a backup (the audit signing key, the CA key) are sealed with
 * AES-256-GCM under a key derived from the backup key (HKDF-SHA256, a fresh salt per
 * file, the entry name as context and as associated data), so a file cannot be swapped
 * for another entry's and any change is detected.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CuspError } from '../errors.js';

const sealedSchema = z.object({
  alg: z.literal('AES-256-GCM/HKDF-SHA256'),
  salt: z.string(),
  nonce: z.string(),
  tag: z.string(),
  data: z.string(),
});

function derive(key: Buffer, salt: Buffer, name: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, `cusp-backup:${name}`, 32));
}

/** Seal `plain` for the entry `name` under `key`; returns the JSON text to store. */
export function seal(key: Buffer, name: string, plain: Buffer): string {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(key, salt, name), nonce);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `${JSON.stringify({
    alg: 'AES-256-GCM/HKDF-SHA256',
    salt: salt.toString('base64'),
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  })}\n`;
}

/** Open what `seal` wrote; throws a CuspError when the key is wrong or the data changed. */
export function unseal(key: Buffer, name: string, text: string): Buffer {
  let sealed: z.infer<typeof sealedSchema>;
  try {
    sealed = sealedSchema.parse(JSON.parse(text));
  } catch {
    throw new CuspError('invalid_input', `backup entry ${name} is not a sealed Cusp secret (damaged backup)`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(key, Buffer.from(sealed.salt, 'base64'), name), Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    throw new CuspError('key_invalid', `backup entry ${name} does not open with this key, or was altered — use the key the backup was made with`);
  }
}
