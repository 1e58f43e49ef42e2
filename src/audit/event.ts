/** The audit event: who did what to which object, with what outcome, from where. */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

export type Outcome = 'success' | 'failure' | 'denied';

/** What a caller records. `object` names pseudonymous ids only (`scan:<uid>`, `patient:<pseudoId>`). */
export interface AuditInput {
  actor: string;
  action: string;
  object?: string | null;
  outcome?: Outcome;
  source?: string | null;
  details?: Record<string, unknown>;
}

/** A stored event, as hashed. */
export interface AuditEvent {
  seq: number;
  time: string;
  actor: string;
  action: string;
  object: string | null;
  outcome: Outcome;
  source: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prev_hash ‖ canonical JSON of the event without its hashes). */
export function eventHash(prevHash: string, e: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: e.seq, time: e.time, actor: e.actor, action: e.action, object: e.object,
    outcome: e.outcome, source: e.source, details: e.details,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
