/**
 * Identity records: the evidence each scan's identity was read from, and the identity
 * review queue — scans whose patient a person decides because the sources disagree or a
 * name matches more than one patient.
 */
import type { IdentityEvidence } from '../rules/types.js';
import { CuspError } from '../errors.js';
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type ReviewReason = 'conflict' | 'ambiguous' | 'id-mismatch';

/** How a scan's patient was found. */
export type IdentityMatch = 'external-id' | 'order' | 'name-birth' | 'name' | 'created' | 'review' | 'given' | 'none' | 'resolved';

export interface IdentityReview {
  id: number;
  scanId: number;
  reason: ReviewReason;
  state: 'open' | 'resolved';
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  patientId: number | null;
  resolution: 'existing' | 'created' | null;
  /** Patient ids the review offers. */
  candidates: number[];
}

interface ReviewRow {
  id: number; scan_id: number; reason: ReviewReason; state: 'open' | 'resolved'; created_at: string;
  resolved_by: string | null; resolved_at: string | null; patient_id: number | null; resolution: 'existing' | 'created' | null;
}

export class IdentityRepository {
  readonly #stmts;

  constructor(db: Db) {
    this.#stmts = {
      putEvidence: db.prepare('INSERT INTO scan_identity (scan_id, evidence, match) VALUES (?, ?, ?) ON CONFLICT (scan_id) DO UPDATE SET evidence = excluded.evidence, match = excluded.match'),
      setMatch: db.prepare('UPDATE scan_identity SET match = ? WHERE scan_id = ?'),
      evidence: db.prepare<[number], { evidence: string; match: IdentityMatch }>('SELECT evidence, match FROM scan_identity WHERE scan_id = ?'),
      open: db.prepare('INSERT INTO identity_reviews (scan_id, reason, created_at) VALUES (?, ?, ?)'),
      addCandidate: db.prepare('INSERT OR IGNORE INTO identity_review_candidates (review_id, patient_id) VALUES (?, ?)'),
      byId: db.prepare<[number], ReviewRow>('SELECT * FROM identity_reviews WHERE id = ?'),
      openForScan: db.prepare<[number], ReviewRow>("SELECT * FROM identity_reviews WHERE scan_id = ? AND state = 'open'"),
      list: db.prepare<[string, number, number], ReviewRow>('SELECT * FROM identity_reviews WHERE state = ? AND id > ? ORDER BY id LIMIT ?'),
      count: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM identity_reviews WHERE state = 'open'"),
      candidates: db.prepare<[number], { patient_id: number }>('SELECT patient_id FROM identity_review_candidates WHERE review_id = ? ORDER BY patient_id'),
      resolve: db.prepare("UPDATE identity_reviews SET state = 'resolved', resolved_by = ?, resolved_at = ?, patient_id = ?, resolution = ? WHERE id = ? AND state = 'open'"),
    };
  }

  #toReview(row: ReviewRow | undefined): IdentityReview | undefined {
    if (!row) return undefined;
    return {
      id: row.id, scanId: row.scan_id, reason: row.reason, state: row.state, createdAt: row.created_at,
      resolvedBy: row.resolved_by, resolvedAt: row.resolved_at, patientId: row.patient_id, resolution: row.resolution,
      candidates: this.#stmts.candidates.all(row.id).map((r) => r.patient_id),
    };
  }

  /** Record where a scan's identity came from and how its patient was found. */
  saveEvidence(scanId: number, evidence: IdentityEvidence, match: IdentityMatch): void {
    this.#stmts.putEvidence.run(scanId, JSON.stringify(evidence), match);
  }

  /** Change how a scan's patient was found (after a review or an assignment). */
  setMatch(scanId: number, match: IdentityMatch): void {
    this.#stmts.setMatch.run(match, scanId);
  }

  /** The evidence of a scan's identity; undefined for scans stored before it was recorded. */
  evidence(scanId: number): { evidence: IdentityEvidence; match: IdentityMatch } | undefined {
    const row = this.#stmts.evidence.get(scanId);
    return row ? { evidence: JSON.parse(row.evidence) as IdentityEvidence, match: row.match } : undefined;
  }

  /** Put a scan in the identity review queue (one open review per scan). */
  openReview(scanId: number, reason: ReviewReason, candidates: number[]): IdentityReview {
    const existing = this.#stmts.openForScan.get(scanId);
    const id = existing ? existing.id : Number(this.#stmts.open.run(scanId, reason, nowIso()).lastInsertRowid);
    for (const p of candidates) this.#stmts.addCandidate.run(id, p);
    return this.get(id)!;
  }

  get(id: number): IdentityReview | undefined {
    return this.#toReview(this.#stmts.byId.get(id));
  }

  openForScan(scanId: number): IdentityReview | undefined {
    return this.#toReview(this.#stmts.openForScan.get(scanId));
  }

  /** Reviews in one state, oldest first, a page after `afterId`. */
  list(state: 'open' | 'resolved', limit: number, afterId = 0): IdentityReview[] {
    return this.#stmts.list.all(state, afterId, limit).map((r) => this.#toReview(r)!);
  }

  /** How many reviews wait for a person. */
  openCount(): number {
    return this.#stmts.count.get()!.n;
  }

  /** Close an open review with the patient a person chose or created. */
  resolve(id: number, by: string, patientId: number, resolution: 'existing' | 'created'): IdentityReview {
    const info = this.#stmts.resolve.run(by, nowIso(), patientId, resolution, id);
    if (info.changes === 0) throw new CuspError('conflict', `identity review ${id} is not open (resolved already, or no such review)`);
    return this.get(id)!;
  }
}
