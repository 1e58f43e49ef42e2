/**
 * The running daemon's verification of its audit trail: one pass at a time (a second
 * request while one runs waits for the same pass), its progress on the event bus, and what
 * the trail's status shows — its head, the last recorded verification, the one under way.
 */
import type { EventBus } from '../events/bus.js';
import type { AuditEventRepository } from '../store/audit-events.js';
import type { AuditLog } from './audit-log.js';
import { verifyAuditAsync, type VerifyResult } from './verify.js';

/** How often a running verification reports its progress on the event bus. */
const VERIFY_PROGRESS_MS = 250;

/** The last recorded `audit.verify` event, as the status shows it. */
export interface LastVerification {
  time: string;
  actor: string;
  ok: boolean;
  /** The events it checked, when its details say. */
  events: number | null;
}

export class AuditVerification {
  readonly #rows: AuditEventRepository;
  readonly #audit: AuditLog;
  readonly #bus: EventBus;
  /** The verification under way (one at a time). */
  #running: { promise: Promise<VerifyResult>; done: number; total: number } | undefined;

  constructor(deps: { rows: AuditEventRepository; audit: AuditLog; bus: EventBus }) {
    this.#rows = deps.rows;
    this.#audit = deps.audit;
    this.#bus = deps.bus;
  }

  /** Verify the whole trail, a page per turn of the event loop; joins a pass already running. */
  verify(): Promise<VerifyResult> {
    if (this.#running) return this.#running.promise;
    let lastEmit = 0;
    const run: { promise: Promise<VerifyResult>; done: number; total: number } = { promise: Promise.resolve(undefined as never), done: 0, total: 0 };
    run.promise = verifyAuditAsync(this.#rows, {
      ...this.#audit.verifyOptions(),
      onProgress: (done, total) => {
        run.done = done;
        run.total = total;
        const now = Date.now();
        if (now - lastEmit >= VERIFY_PROGRESS_MS || done === total) {
          lastEmit = now;
          this.#bus.emit('audit.verify.progress', { done, total });
        }
      },
    }).finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run.promise;
  }

  /** The pass under way (events checked, of how many), or null. */
  progress(): { done: number; total: number } | null {
    return this.#running ? { done: this.#running.done, total: this.#running.total } : null;
  }

  /** The newest event's seq and time, or null for an empty trail. */
  head(): { seq: number; time: string } | null {
    return this.#rows.headTime() ?? null;
  }

  /**
   * The last recorded verification (by the API or `cusp audit verify`), or null. Throws
   * when its details cannot be read: the status would otherwise hide a damaged record.
   */
  last(): LastVerification | null {
    const row = this.#rows.lastOf('audit.verify');
    if (!row) return null;
    let events: number | null;
    try {
      const n = (JSON.parse(row.details) as { events?: unknown }).events;
      events = typeof n === 'number' ? n : null;
    } catch {
      throw new Error('the last audit.verify event has unreadable details');
    }
    return { time: row.time, actor: row.actor, ok: row.outcome === 'success', events };
  }
}
