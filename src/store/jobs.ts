/**
 * The persistent job queue: jobs are rows, so they survive a crash. Claiming is one
 * UPDATE … RETURNING, so two dispatchers can never run the same job.
 */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  kind: string;
  scanId: number | null;
  state: JobState;
  progress: number;
  stage: string | null;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  payload: Record<string, unknown>;
  runAfter: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface JobRow {
  id: number; kind: string; scan_id: number | null; state: JobState; progress: number; stage: string | null;
  attempts: number; max_attempts: number; error: string | null; payload: string; run_after: string;
  created_at: string; started_at: string | null; finished_at: string | null;
}

function toJob(r: JobRow | undefined): Job | undefined {
  if (!r) return undefined;
  return {
    id: r.id, kind: r.kind, scanId: r.scan_id, state: r.state, progress: r.progress, stage: r.stage,
    attempts: r.attempts, maxAttempts: r.max_attempts, error: r.error, payload: JSON.parse(r.payload) as Record<string, unknown>,
    runAfter: r.run_after, createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

/** Filters and page of a job listing, newest first. */
export interface JobFilter {
  state?: JobState;
  kind?: string;
  scanId?: number;
  limit: number;
  /** Only jobs with a smaller id (the last id of the previous page). */
  beforeId?: number;
}

export class JobRepository {
  readonly #db: Db;
  readonly #stmts;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      insert: db.prepare('INSERT INTO jobs (kind, scan_id, state, max_attempts, payload, run_after, created_at) VALUES (?, ?, \'queued\', ?, ?, ?, ?)'),
      byId: db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      claim: db.prepare<[{ now: string }], JobRow>(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = @now, progress = 0, stage = NULL, error = NULL
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= @now ORDER BY run_after, id LIMIT 1)
         RETURNING *`,
      ),
      progress: db.prepare('UPDATE jobs SET progress = ?, stage = ? WHERE id = ? AND state = \'running\''),
      finish: db.prepare('UPDATE jobs SET state = \'done\', progress = 1, finished_at = ? WHERE id = ? AND state = \'running\''),
      retry: db.prepare('UPDATE jobs SET state = \'queued\', error = ?, run_after = ? WHERE id = ? AND state = \'running\''),
      fail: db.prepare('UPDATE jobs SET state = \'failed\', error = ?, finished_at = ? WHERE id = ? AND state = \'running\''),
      cancel: db.prepare('UPDATE jobs SET state = \'cancelled\', finished_at = ? WHERE id = ? AND state IN (\'queued\', \'running\')'),
      putBack: db.prepare('UPDATE jobs SET state = \'queued\', attempts = max(attempts - 1, 0), run_after = ? WHERE id = ? AND state = \'running\''),
      requeueRunning: db.prepare('UPDATE jobs SET state = \'queued\', attempts = max(attempts - 1, 0) WHERE state = \'running\''),
      countByState: db.prepare<[], { state: JobState; n: number }>('SELECT state, count(*) AS n FROM jobs GROUP BY state'),
      forScan: db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE scan_id = ? ORDER BY id'),
      requeue: db.prepare(`UPDATE jobs SET state = 'queued', attempts = 0, progress = 0, stage = NULL, error = NULL, run_after = ?,
        started_at = NULL, finished_at = NULL WHERE id = ? AND state IN ('failed', 'cancelled')`),
    };
  }

  enqueue(kind: string, scanId: number | null, options: { maxAttempts?: number; payload?: Record<string, unknown>; runAfter?: Date } = {}): Job {
    const now = nowIso();
    const info = this.#stmts.insert.run(kind, scanId, options.maxAttempts ?? 3, JSON.stringify(options.payload ?? {}),
      options.runAfter ? options.runAfter.toISOString() : now, now);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Job | undefined {
    return toJob(this.#stmts.byId.get(id));
  }

  /** Take the next queued job that is due, marking it running; undefined when none is. */
  claimNext(now: Date = new Date()): Job | undefined {
    return toJob(this.#stmts.claim.get({ now: now.toISOString() }));
  }

  setProgress(id: number, progress: number, stage: string | null): void {
    this.#stmts.progress.run(Math.max(0, Math.min(1, progress)), stage, id);
  }

  finish(id: number): void {
    this.#stmts.finish.run(nowIso(), id);
  }

  /** Queue the job again after `delayMs`, keeping the error of this attempt. */
  retryLater(id: number, error: string, delayMs: number): void {
    this.#stmts.retry.run(error, new Date(Date.now() + delayMs).toISOString(), id);
  }

  fail(id: number, error: string): void {
    this.#stmts.fail.run(error, nowIso(), id);
  }

  cancel(id: number): boolean {
    return this.#stmts.cancel.run(nowIso(), id).changes === 1;
  }

  /**
   * Queue a running job again without counting its attempt: its outcome could not be
   * written (the disk was full), which is not the job's fault. False when it was not running.
   */
  putBack(id: number, runAfter: Date = new Date()): boolean {
    return this.#stmts.putBack.run(runAfter.toISOString(), id).changes === 1;
  }

  /**
   * At start: jobs left `running` by a crash are queued again. The interrupted attempt is
   * not counted against the job (a crash of the daemon is not the job's fault).
   */
  requeueInterrupted(): number {
    return this.#stmts.requeueRunning.run().changes;
  }

  counts(): Record<JobState, number> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
    for (const { state, n } of this.#stmts.countByState.all()) out[state] = n;
    return out;
  }

  /** Queue a failed or cancelled job again with its attempts reset. False when it was neither. */
  requeue(id: number): boolean {
    return this.#stmts.requeue.run(nowIso(), id).changes === 1;
  }

  /** A page of jobs, newest first. */
  list(filter: JobFilter): { jobs: Job[]; nextBeforeId?: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state) { where.push('state = ?'); args.push(filter.state); }
    if (filter.kind) { where.push('kind = ?'); args.push(filter.kind); }
    if (filter.scanId !== undefined) { where.push('scan_id = ?'); args.push(filter.scanId); }
    if (filter.beforeId !== undefined) { where.push('id < ?'); args.push(filter.beforeId); }
    const rows = this.#db.prepare<unknown[], JobRow>(`SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...args, filter.limit + 1);
    const jobs = rows.slice(0, filter.limit).map((r) => toJob(r)!);
    return { jobs, nextBeforeId: rows.length > filter.limit ? jobs[jobs.length - 1].id : undefined };
  }

  forScan(scanId: number): Job[] {
    return this.#stmts.forScan.all(scanId).map((r) => toJob(r)!);
  }
}
