import { statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { readKeyFile } from '../../store/key.js';
import { rekeyDatabase } from '../../store/rekey.js';
import { route, type HandlerInput } from '../route.js';
import type { ApiServices } from '../services.js';

const ADMIN = ['admin'] as const;

const absolutePath = z.string().min(1).refine(isAbsolute, 'must be an absolute path');

const backupBody = z.strictObject({
  file: absolutePath.optional(),
  backupKeyFile: absolutePath.optional(),
});

const backupResult = z.object({
  file: z.string(),
  bytes: z.number(),
  createdAt: z.string(),
  schemaVersion: z.number(),
  auditHeadSeq: z.number(),
  key: z.object({ kind: z.enum(['database', 'separate']), id: z.string() }),
  pruned: z.array(z.string()),
});

const rotateBody = z.strictObject({ newKeyFile: absolutePath });

const storageResult = z.object({
  dataDir: z.object({ freeBytes: z.number(), totalBytes: z.number() }).describe('Space of the file system holding the data folder (free: what the daemon may still use)'),
  database: z.object({ bytes: z.number(), walBytes: z.number() }).describe('The encrypted database file and its write-ahead log'),
});

/** Size of a file, 0 when it is not there (the WAL between checkpoints). */
function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Maintenance of the running appliance, for `cusp backup` and `cusp key rotate` while the
 * daemon holds the database: only over the admin socket (its file permissions are the
 * authentication). Over the LAN they do not exist, whatever the token: they answer 404.
 */
function socketOnly(input: HandlerInput<unknown, unknown, unknown>): void {
  if ((input.ctx.state as { via?: string }).via !== 'socket') {
    throw new CuspError('not_found', 'maintenance is only served on the admin socket of the server itself (cusp backup, cusp key rotate)');
  }
}

/** `POST /maintenance/backup` and `POST /maintenance/key-rotate`; needs `backups` in the services. */
export function maintenanceRoutes(s: ApiServices) {
  // One key rotation at a time. A CLI killed while its rotation runs here leaves that
  // rotation running; a second `cusp key rotate` meanwhile must not start another on the
  // same handle (leaving WAL, copying and rekeying twice at once): it is told to wait.
  let rotating = false;
  return [
    route({
      method: 'GET', path: '/system/storage', tag: 'maintenance', access: ADMIN,
      summary: 'Disk space left for the data folder, and the size of the database (the console overview, also for a remote box)',
      response: storageResult,
      handler: async () => {
        const fs = await statfs(s.config.dataDir);
        return {
          dataDir: { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize },
          database: { bytes: fileBytes(s.store.path), walBytes: fileBytes(`${s.store.path}-wal`) },
        };
      },
    }),
    route({
      method: 'POST', path: '/maintenance/backup', tag: 'maintenance', access: ADMIN,
      summary: 'Write a consistent encrypted backup while the daemon runs (admin socket only)',
      body: backupBody, response: backupResult,
      handler: async (input) => {
        socketOnly(input);
        if (!s.backups) throw new CuspError('unavailable', 'backups are not available in this process');
        const backupKey = input.body.backupKeyFile ? readKeyFile(input.body.backupKeyFile) : undefined;
        const r = await s.backups.backup({ file: input.body.file, backupKey, actor: input.principal.actor, source: input.source, reason: 'manual' });
        return {
          file: r.file, bytes: r.bytes, createdAt: r.manifest.createdAt, schemaVersion: r.manifest.schemaVersion,
          auditHeadSeq: r.manifest.audit.headSeq, key: r.manifest.key, pruned: r.pruned,
        };
      },
    }),
    route({
      method: 'POST', path: '/maintenance/key-rotate', tag: 'maintenance', access: ADMIN,
      summary: 'Re-encrypt the open database under the key in newKeyFile (admin socket only; cusp key rotate)',
      body: rotateBody, response: z.object({ rotated: z.literal(true) }),
      audit: () => ({ action: 'key.rotate', details: { online: true } }),
      handler: async (input) => {
        socketOnly(input);
        if (rotating) throw new CuspError('conflict', 'a key rotation is running in the daemon already — wait until it is done (the daemon log says so), then run cusp key rotate again if needed');
        rotating = true;
        try {
          return await rotate(input.body.newKeyFile);
        } finally {
          rotating = false;
        }
      },
    }),
  ];

  /** Re-encrypt the open database under the key in `newKeyFile`. */
  async function rotate(newKeyFile: string): Promise<{ rotated: true }> {
    const newKey = readKeyFile(newKeyFile);
    await s.backups?.idle();
    // Leaving WAL mode to rekey needs the only connection: the checkpoint thread's
    // closes first, and comes back with the new key.
    await s.checkpointer?.pause();
    try {
      rekeyDatabase(s.store.db, newKey);
    } catch (err) {
      await s.checkpointer?.resume();
      throw err;
    }
    await s.checkpointer?.resume(newKey);
    s.backups?.keyChanged(newKey);
    return { rotated: true as const };
  }
}
