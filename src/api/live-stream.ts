/**
 * The live event stream behind `GET /events` (Server-Sent Events).
 *
 * Two kinds of events travel on it:
 * - **changes** — every row of the changes feed (`scan.received`, `scan.validated`,
 *   `folder.added`, …), with `id: <seq>`. A client that reconnects with `Last-Event-ID`
 *   continues exactly where it was: nothing is lost between connections.
 * - **live** — transient job events from the bus (`job.started`, `job.progress`,
 *   `job.finished`, `folder.state`), without an id. While a job runs, a `job.progress`
 *   goes out at least every `progressMs` even when the worker is quiet, so a progress bar
 *   never looks stuck.
 *
 * Bus events trigger an immediate read of the changes feed, and a timer reads it too, so a
 * change written without a bus event still arrives within a second. A comment line every
 * `heartbeatMs` keeps proxies and idle timeouts from closing the connection.
 */
import { PassThrough } from 'node:stream';
import { withApiIds, type ScanRef } from '../events/api-ids.js';
import type { CuspEventName, CuspEvents, EventBus } from '../events/bus.js';
import type { ChangeRepository } from '../store/changes.js';
import type { Role } from '../store/principals.js';
import { changeForRole, liveEventForRole } from './role-views.js';

export interface RunningJob {
  jobId: number;
  kind: string;
  scanId: number | null;
  progress: number;
  stage: string | null;
}

export interface LiveStreamOptions {
  bus: EventBus;
  changes: ChangeRepository;
  /** The jobs running now (the dispatcher's list), for the regular progress events. */
  running?: () => RunningJob[];
  /** Send changes after this sequence number. */
  since: number;
  /** Who listens: non-clinical roles get events without file names (role-views.ts). */
  role?: Role;
  /**
   * The API's ids of a scan (uid, patient pseudoId) by its row id: job events go out with
   * `scan` and `patient` instead of the bus's internal `scanId` (events/api-ids.ts).
   */
  scanRefs?: (scanId: number) => ScanRef | undefined;
  progressMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
}

/** Bus events that go out as they happen (scan events come through the changes feed). */
const LIVE = new Set<CuspEventName>(['job.queued', 'job.started', 'job.progress', 'job.finished', 'folder.state', 'audit.verify.progress']);
/** Bus progress events for one job are passed on at most this often. */
const PROGRESS_THROTTLE_MS = 250;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and loses nothing. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** One SSE message: `id:` (optional), `event:`, `data:` (JSON on one line), blank line. */
export function sseMessage(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class LiveStream {
  readonly stream = new PassThrough();
  readonly #o: Required<Omit<LiveStreamOptions, 'running' | 'role' | 'scanRefs'>> & Pick<LiveStreamOptions, 'running' | 'role' | 'scanRefs'>;
  readonly #lastProgress = new Map<number, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #off?: () => void;
  #lastSeq: number;
  #flushQueued = false;
  #closed = false;

  constructor(options: LiveStreamOptions) {
    this.#o = { progressMs: 2000, heartbeatMs: 15_000, pollMs: 1000, ...options };
    this.#lastSeq = options.since;
  }

  /** Start: replay changes after `since`, then follow the bus and the feed. */
  start(): this {
    this.#write('retry: 3000\n: connected\n\n');
    this.#flushChanges();
    this.#off = this.#o.bus.onAny((name, payload) => this.#onBus(name, payload));
    const tick = Math.min(this.#o.pollMs, this.#o.progressMs / 2);
    this.#timers.push(setInterval(() => this.#safely(() => {
      this.#flushChanges();
      this.#progressTick();
    }), tick));
    this.#timers.push(setInterval(() => this.#write(': heartbeat\n\n'), this.#o.heartbeatMs));
    this.stream.on('close', () => this.close());
    return this;
  }

  /** Stop listening and end the stream (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#off?.();
    this.#timers.forEach((t) => clearInterval(t));
    this.stream.end();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run a timer's work; if the store went away under the stream (the daemon is stopping),
   * end the stream instead of throwing: the client reconnects with Last-Event-ID and loses
   * nothing.
   */
  #safely(work: () => void): void {
    try {
      work();
    } catch {
      this.close();
    }
  }

  #write(text: string): void {
    if (this.#closed) return;
    this.stream.write(text);
    if (this.stream.writableLength > MAX_BUFFERED_BYTES) this.close();
  }

  #onBus<K extends CuspEventName>(name: K, payload: CuspEvents[K]): void {
    if (LIVE.has(name)) {
      if (name === 'job.progress') {
        const p = payload as CuspEvents['job.progress'];
        const now = Date.now();
        if (now - (this.#lastProgress.get(p.jobId) ?? 0) < PROGRESS_THROTTLE_MS && p.progress < 1) return;
        this.#lastProgress.set(p.jobId, now);
      } else if (name === 'job.started') {
        this.#lastProgress.set((payload as CuspEvents['job.started']).jobId, Date.now());
      } else if (name === 'job.finished') {
        this.#lastProgress.delete((payload as CuspEvents['job.finished']).jobId);
      }
      const shown = this.#o.role ? liveEventForRole(name, payload, this.#o.role) : payload;
      if (shown !== undefined) this.#write(sseMessage(name, this.#apiIds(shown)));
    }
    // The change this event stands for is committed already: send it without waiting for the timer.
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(() => this.#safely(() => {
        this.#flushQueued = false;
        this.#flushChanges();
      }));
    }
  }

  #flushChanges(): void {
    for (;;) {
      if (this.#closed) return;
      const page = this.#o.changes.since(this.#lastSeq, 500);
      for (const raw of page) {
        const c = this.#o.role ? changeForRole(raw, this.#o.role) : raw;
        this.#write(sseMessage(c.type, { seq: c.seq, time: c.time, type: c.type, objectType: c.objectType, objectId: c.objectId, data: c.data }, c.seq));
        this.#lastSeq = raw.seq;
      }
      if (page.length < 500) return;
    }
  }

  /** A progress event for every running job that has not had one for half the interval. */
  #progressTick(): void {
    const now = Date.now();
    for (const job of this.#o.running?.() ?? []) {
      if (now - (this.#lastProgress.get(job.jobId) ?? 0) < this.#o.progressMs / 2) continue;
      this.#lastProgress.set(job.jobId, now);
      this.#write(sseMessage('job.progress', this.#apiIds({ jobId: job.jobId, kind: job.kind, scanId: job.scanId, progress: job.progress, stage: job.stage })));
    }
  }

  #apiIds(payload: unknown): unknown {
    return this.#o.scanRefs ? withApiIds(payload, this.#o.scanRefs) : payload;
  }
}
