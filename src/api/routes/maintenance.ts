import { statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { keyId } from '../../backup/manifest.js';
import { readKeyFile } from '../../store/key.js';
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

const settleBody = z.strictObject({ pendingKeyFile: absolutePath });

const settleResult = z.object({
  pending: z.enum(['current', 'unused', 'unreadable']).describe("current: the database is under the pending key (make it the key file); unused: it is not, and the daemon will never rotate to it (set it aside); unreadable: not a whole key (set it aside)"),
  keyId: z.string().describe('Public id of the key the database is under'),
});

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

/**
 * The daemon's side of `cusp key rotate`: one rotation at a time, and the daemon — which knows
 * the key its open database is under — judges what an interrupted rotation left.
 *
 * A CLI killed in the middle of its call leaves its rotation running here (or its request
 * still on the way). So rotations and settlements run one after another in one queue, and a
 * pending key the daemon declared unused is never taken afterwards: a late request naming it
 * is refused, so the key file the CLI then keeps is always the one the database is under.
 */
class KeyRotations {
  #queue: Promise<unknown> = Promise.resolve();
  #current: Buffer | undefined;
  /** Ids of pending keys declared unused: never rotated to afterwards. */
  readonly #retired = new Set<string>();

  constructor(private readonly s: ApiServices) {
    this.#current = s.databaseKey;
  }

  /** Run `work` after every rotation and settlement queued before it. */
  #next<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Re-encrypt the open database under the key in `newKeyFile`. */
  rotate(newKeyFile: string): Promise<{ rotated: true; keyId: string }> {
    return this.#next(async () => {
      const newKey = readKeyFile(newKeyFile);
      if (this.#retired.has(keyId(newKey))) {
        throw new CuspError('conflict', `the key in ${newKeyFile} was set aside as unused by a later cusp key rotate; the database stays under its current key — run cusp key rotate again`);
      }
      const { s } = this;
      await s.backups?.idle();
      // Leaving WAL mode to rekey needs the only connection: the checkpoint thread's
      // closes first, and comes back with the new key.
      await s.checkpointer?.pause();
      try {
        s.store.rekey(newKey);
      } catch (err) {
        await s.checkpointer?.resume();
        throw err;
      }
      this.#current = newKey;
      await s.checkpointer?.resume(newKey);
      s.backups?.keyChanged(newKey);
      return { rotated: true as const, keyId: keyId(newKey) };
    });
  }

  /**
   * After every rotation queued before: is the pending key in `pendingKeyFile` the one the
   * database is under ('current': the rotation went through, the CLI makes it the key file)
   * or not ('unused': it is retired here, the CLI sets it aside)? `keyId` is the database's.
   */
  settle(pendingKeyFile: string): Promise<{ pending: 'current' | 'unused' | 'unreadable'; keyId: string }> {
    return this.#next(async () => {
      if (!this.#current) throw new CuspError('unavailable', 'this process does not know its database key');
      const current = keyId(this.#current);
      let pending: Buffer;
      try {
        pending = readKeyFile(pendingKeyFile);
      } catch (err) {
        if (err instanceof CuspError && err.code === 'key_invalid') return { pending: 'unreadable' as const, keyId: current };
        throw err;
      }
      if (keyId(pending) === current) return { pending: 'current' as const, keyId: current };
      this.#retired.add(keyId(pending));
      return { pending: 'unused' as const, keyId: current };
    });
  }
}

/** `POST /maintenance/backup`, `/maintenance/key-rotate` and `/maintenance/key-settle`; need `backups` in the services. */
export function maintenanceRoutes(s: ApiServices) {
  const rotations = new KeyRotations(s);
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
      answers: { 503: 'Backups are not available in this process' },
      summary: 'Write a consistent encrypted backup while the daemon runs (admin socket only)',
      body: backupBody, response: backupResult,
      auditedBy: 'the backup service: backup.create once the backup is written (or its failure)',
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
      summary: 'Re-encrypt the open database under the key in newKeyFile, after any rotation still running (admin socket only; cusp key rotate)',
      body: rotateBody, response: z.object({ rotated: z.literal(true), keyId: z.string().describe('Public id of the key the database is now under') }),
      audits: 'key.rotate',
      handler: async (input) => {
        socketOnly(input);
        const rotated = await rotations.rotate(input.body.newKeyFile);
        input.record({ audit: { action: 'key.rotate', details: { online: true } } });
        return rotated;
      },
    }),
    route({
      method: 'POST', path: '/maintenance/key-settle', tag: 'maintenance', access: ADMIN,
      summary: 'After any rotation still running: is the pending key of an interrupted rotation the one the database is under? (admin socket only; cusp key rotate)',
      body: settleBody, response: settleResult,
      auditedBy: 'no one: it only says which key the database is under (nothing stored changes)',
      handler: async (input) => {
        socketOnly(input);
        return rotations.settle(input.body.pendingKeyFile);
      },
    }),
  ];
}
