/**
 * What a backup file holds, described by its first entry `MANIFEST.json`:
 *
 *   MANIFEST.json               this description (plain JSON, no patient data)
 *   cusp.db                     the database, SQLCipher 4, under the backup key
 *   audit/checkpoints.jsonl     the signed audit checkpoints, up to the copy's last event
 *   audit/signing.pub           the public half of the checkpoint signing key (to verify the copy)
 *   audit/signing.key.sealed    the Ed25519 checkpoint signing key, sealed (AES-256-GCM) —
 *                               only in a backup under a separate backup key: under the
 *                               database key alone it would let whoever holds that key
 *                               re-sign a rewritten trail (format 2 on; format 1 always had it)
 *   audit/signing.key.retired   the public keys of retired signing keys, when there are any
 *   tls/ca.crt, tls/ca.key.sealed   the local CA, when there is one, so that practice
 *                               software that pinned its fingerprint still connects
 *
 * Every entry's size and SHA-256 are listed, so damage is found before anything is
 * opened. `key.id` tells which key the backup needs without trying it.
 */
import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';

export const BACKUP_FORMAT = 'cusp-backup';
/** 2: the signing key only under a separate backup key; its public half always. */
export const BACKUP_FORMAT_VERSION = 2;
/** The file name ending `cusp backup` uses for backups it names itself. */
export const BACKUP_SUFFIX = '.cuspbak';

export const ENTRY = {
  manifest: 'MANIFEST.json',
  database: 'cusp.db',
  checkpoints: 'audit/checkpoints.jsonl',
  signingKey: 'audit/signing.key.sealed',
  signingPublicKey: 'audit/signing.pub',
  retiredKeys: 'audit/signing.key.retired',
  caCert: 'tls/ca.crt',
  caKey: 'tls/ca.key.sealed',
} as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  cuspVersion: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int().min(0),
  instanceId: z.string().nullable(),
  key: z.object({ kind: z.enum(['database', 'separate']), id: z.string().regex(/^[0-9a-f]{16}$/) }),
  audit: z.object({ events: z.number().int().min(0), headSeq: z.number().int().min(0), headHash: z.string(), signingKeyId: z.string() }),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: sha256Hex })),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/**
 * A short public name for a 256-bit key: which key a backup needs, safe to print. An HMAC
 * under the key itself, so it reveals nothing about the key.
 */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('cusp-backup-key-id').digest('hex').slice(0, 16);
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
