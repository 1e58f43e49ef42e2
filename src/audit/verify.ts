/**
 * Verifying the audit trail: every event's hash, every link, every checkpoint in the
 * database and in the file outside it. The answer names the first bad event and says in
 * words what is wrong with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { Db } from '../store/database.js';
import { rowToEvent, type Checkpoint } from './audit-log.js';
import { eventHash, GENESIS_HASH } from './event.js';
import { verifyCheckpoint } from './signing.js';

export interface VerifyProblem {
  /** The event the problem is at (null when it is not tied to one). */
  seq: number | null;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  headSeq: number;
  headHash: string;
  checkpoints: number;
  fileCheckpoints: number;
  lastCheckpoint?: Checkpoint;
  /** Every problem found, lowest event first; `problems[0]` is the first bad link. */
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** The trusted checkpoint key (from the signing key file, not from the database). */
  publicKey: KeyObject;
  keyId: string;
  checkpointFile: string;
  onProgress?: (done: number, total: number) => void;
}

interface Source { checkpoint: Checkpoint; where: 'database' | 'file' }

function readCheckpointFile(path: string, problems: VerifyProblem[]): Checkpoint[] {
  if (!existsSync(path)) return [];
  const out: Checkpoint[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const c = JSON.parse(line) as Checkpoint;
      if (typeof c.seq !== 'number' || typeof c.hash !== 'string' || typeof c.signature !== 'string' || typeof c.time !== 'string') throw new Error('fields');
      out.push(c);
    } catch {
      problems.push({ seq: null, message: `checkpoint file ${path} line ${i + 1} is not a checkpoint (edited or corrupted)` });
    }
  });
  return out;
}

/** Verify the whole audit trail. Streams the events, so memory stays flat for any length. */
export function verifyAudit(db: Db, options: VerifyOptions): VerifyResult {
  const problems: VerifyProblem[] = [];
  const dbCheckpoints = db.prepare<[], Checkpoint>('SELECT seq, hash, time, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq').all();
  const fileCheckpoints = readCheckpointFile(options.checkpointFile, problems);
  const bySeq = new Map<number, Source[]>();
  for (const [list, where] of [[dbCheckpoints, 'database'], [fileCheckpoints, 'file']] as const) {
    for (const checkpoint of list) {
      if (!verifyCheckpoint(options.publicKey, checkpoint.seq, checkpoint.hash, checkpoint.time, checkpoint.signature)) {
        problems.push({ seq: checkpoint.seq, message: `the ${where} checkpoint at event ${checkpoint.seq} has an invalid signature (forged, altered, or signed by another key than ${options.keyId})` });
        continue;
      }
      const at = bySeq.get(checkpoint.seq) ?? [];
      at.push({ checkpoint, where });
      bySeq.set(checkpoint.seq, at);
    }
  }

  const total = (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let chainBroken = false;
  const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<Parameters<typeof rowToEvent>[0]>;
  for (const row of rows) {
    count++;
    if (options.onProgress && count % 10_000 === 0) options.onProgress(count, total);
    if (chainBroken) continue;
    const event = rowToEvent(row);
    if (event.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, message: event.seq > expectedSeq
        ? `event ${expectedSeq}${event.seq - expectedSeq > 1 ? `–${event.seq - 1}` : ''} is missing (removed from the log)`
        : `event ${event.seq} appears twice or out of order` });
      chainBroken = true;
      continue;
    }
    if (event.prevHash !== prevHash) {
      problems.push({ seq: event.seq, message: `event ${event.seq} does not link to the event before it (an event was removed, inserted or reordered)` });
      chainBroken = true;
      continue;
    }
    let recomputed: string;
    try {
      recomputed = eventHash(prevHash, event);
    } catch {
      recomputed = '';
    }
    if (recomputed !== event.hash) {
      problems.push({ seq: event.seq, message: `event ${event.seq} was changed after it was written (its hash does not match its content)` });
      chainBroken = true;
      continue;
    }
    for (const { checkpoint, where } of bySeq.get(event.seq) ?? []) {
      if (checkpoint.hash !== event.hash) {
        problems.push({ seq: event.seq, message: `the ${where} checkpoint signed at ${checkpoint.time} does not match event ${event.seq} (the log was rewritten up to here)` });
      }
    }
    prevHash = event.hash;
    expectedSeq++;
  }
  const headSeq = expectedSeq - 1;

  for (const [seq, sources] of bySeq) {
    if (seq <= headSeq || chainBroken) continue;
    const c = sources[0];
    problems.push({ seq: headSeq + 1, message: `the log ends at event ${headSeq}, but the ${c.where} checkpoint signed at ${c.checkpoint.time} records event ${seq}: events ${headSeq + 1}–${seq} were cut off` });
  }
  const fileSeqs = new Set(fileCheckpoints.map((c) => c.seq));
  for (const c of dbCheckpoints) {
    if (!fileSeqs.has(c.seq)) {
      problems.push({ seq: c.seq, message: `the checkpoint at event ${c.seq} is in the database but not in ${options.checkpointFile} (the file was truncated or replaced)` });
    }
  }
  problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  const lastCheckpoint = dbCheckpoints.length > 0 ? dbCheckpoints[dbCheckpoints.length - 1] : undefined;
  options.onProgress?.(count, total);
  return {
    ok: problems.length === 0,
    events: count,
    headSeq,
    headHash: prevHash,
    checkpoints: dbCheckpoints.length,
    fileCheckpoints: fileCheckpoints.length,
    lastCheckpoint,
    problems,
  };
}
