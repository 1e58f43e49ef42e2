/**
 * The typed in-process event bus: one map of event names to payloads, so a listener's
 * argument is checked at compile time. Services emit; the API's live stream and the
 * console listen. Payloads carry ids, never patient names.
 */
import { EventEmitter } from 'node:events';
import type { Jaw, ScanStatus, Verdict } from '../store/scans.js';

export interface CuspEvents {
  'scan.received': { scanId: number; uid: string; jaw: Jaw; patient: string | null; folder: string | null; format: string; size: number };
  'scan.duplicate': { scanId: number; uid: string; folder: string | null };
  'scan.validated': { scanId: number; uid: string; status: ScanStatus; verdict: Verdict | null; reason: string | null };
  'scan.analysed': { scanId: number; uid: string; verdict: Verdict | null; reports: string[] };
  'scan.quarantined': { folder: string; file: string; reason: string };
  'job.queued': { jobId: number; kind: string; scanId: number | null };
  'job.started': { jobId: number; kind: string; scanId: number | null; attempt: number };
  'job.progress': { jobId: number; kind: string; scanId: number | null; progress: number; stage: string | null };
  'job.finished': { jobId: number; kind: string; scanId: number | null; state: 'done' | 'failed' | 'cancelled' | 'queued'; error: string | null };
  /** A symbolic link, FIFO, socket or device in a drop folder was skipped (no file name: auditors read this). */
  'file.skipped': { folder: string; kind: string };
  'folder.state': { folder: string; state: 'watching' | 'polling' | 'paused' | 'error'; message?: string };
  /** A verification of the audit chain under way: events checked so far, of how many. */
  'audit.verify.progress': { done: number; total: number };
}

export type CuspEventName = keyof CuspEvents;

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(100);
  }

  emit<K extends CuspEventName>(name: K, payload: CuspEvents[K]): void {
    this.#emitter.emit(name, payload);
    this.#emitter.emit('*', name, payload);
  }

  on<K extends CuspEventName>(name: K, listener: (payload: CuspEvents[K]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }

  /** Every event, with its name: for the live stream. */
  onAny(listener: <K extends CuspEventName>(name: K, payload: CuspEvents[K]) => void): () => void {
    this.#emitter.on('*', listener);
    return () => this.#emitter.off('*', listener);
  }
}
