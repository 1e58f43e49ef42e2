/**
 * The database is never silently replaced. The audit checkpoints kept outside the database
 * (audit.checkpointFile, signed, appended at every checkpoint) are the evidence that this
 * installation had data: while they exist, a missing, emptied or foreign database is a stop
 * with one line saying what happened and the way out (`cusp restore FILE`, or moving the
 * named files aside for a deliberate fresh start) — never a new empty database in its place.
 * Only a brand-new installation (no checkpoints yet) gets a database created.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CuspConfig } from '../src/config/index.js';
import { CuspError } from '../src/errors.js';
import type { AuditEventRepository } from '../src/store/audit-events.js';
import type { OpenStoreOptions } from '../src/store/store.js';

interface FileCheckpoint {
  seq: number;
  hash: string;
}

/** The last well-formed checkpoint line of `path` (undefined when there is none). */
export function lastFileCheckpoint(path: string): FileCheckpoint | undefined {
  if (!existsSync(path)) return undefined;
  let last: FileCheckpoint | undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const c = JSON.parse(line) as Partial<FileCheckpoint>;
      if (typeof c.seq === 'number' && typeof c.hash === 'string' && (last === undefined || c.seq >= last.seq)) last = { seq: c.seq, hash: c.hash };
    } catch {
      // A damaged line is audit verify's to report; the others still count as evidence.
    }
  }
  return last;
}

/** Marks the refusals, so `cusp audit verify` can report them as a broken trail. */
export const DATABASE_REFUSED = 'databaseRefused';

/** True when `err` is a refusal made by this guard. */
export function isDatabaseRefusal(err: unknown): err is CuspError {
  return err instanceof CuspError && err.details?.[DATABASE_REFUSED] === true;
}

/**
 * The `existing` option of openStore for this config: undefined for a brand-new
 * installation (no checkpoint outside the database yet), else the checks that refuse a
 * missing, empty or foreign database.
 */
export function expectedDatabase(config: CuspConfig): OpenStoreOptions['existing'] {
  const checkpointFile = config.audit.checkpointFile;
  const last = lastFileCheckpoint(checkpointFile);
  if (!last) return undefined;
  const db = config.store.path;
  const wayOut = `restore the latest backup with 'cusp restore FILE'; only for a deliberate fresh start, move ${checkpointFile} and ${db}* aside first`;
  const refusal = (what: string): CuspError =>
    new CuspError('store_failed', `${what} — Cusp will not put a new database in its place: ${wayOut}`, { details: { [DATABASE_REFUSED]: true } });
  return {
    refuse: (state, bytes) => refusal(state === 'missing'
      ? `database ${db} is missing, but the audit checkpoints in ${checkpointFile} show this installation had one (up to audit event ${last.seq})`
      : `database ${db} is empty (${bytes === 0 ? '0 bytes' : `${bytes} bytes, no tables`}), but the audit checkpoints in ${checkpointFile} show it held data (up to audit event ${last.seq})`),
    check: (trail: AuditEventRepository) => {
      const head = trail.maxSeq();
      const hash = trail.hashAt(last.seq);
      if (hash === undefined) {
        throw refusal(`database ${db} ends at audit event ${head}, but the signed checkpoints in ${checkpointFile} reach event ${last.seq}: it is an older or cut-short copy, or another installation's`);
      }
      if (hash !== last.hash) {
        throw refusal(`database ${db} is not this installation's: its audit event ${last.seq} differs from the one signed in ${checkpointFile}`);
      }
    },
  };
}
