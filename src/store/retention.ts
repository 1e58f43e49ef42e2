/**
 * The retention policy and legal holds. The flag `patients.legal_hold` is what purge and
 * erasure check; `legal_holds` keeps the reason and who placed it, written together.
 */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type RetentionBasis = 'captured' | 'received';

export interface RetentionPolicy {
  /** Scans older than this many years are purged (unless their patient is on hold). */
  scansYears: number;
  /** Which date counts: capture (falling back to receipt when unknown) or receipt. */
  basis: RetentionBasis;
  /** 'config' until an administrator sets a policy. */
  origin: 'config' | 'set';
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface LegalHold {
  patientId: number;
  pseudoId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
}

/** A scan or image past the policy, with its date (per the basis) and its patient's hold. */
export interface ExpiredRow { id: number; uid: string; date: string; pseudo_id: string | null; legal_hold: number | null }

interface HoldRow { patient_id: number; pseudo_id: string; reason: string; placed_by: string; placed_at: string }
const toHold = (r: HoldRow): LegalHold => ({ patientId: r.patient_id, pseudoId: r.pseudo_id, reason: r.reason, placedBy: r.placed_by, placedAt: r.placed_at });

export class RetentionRepository {
  readonly #db: Db;
  readonly #stmts;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      policy: db.prepare<[], { scans_years: number; basis: RetentionBasis; updated_by: string; updated_at: string }>('SELECT * FROM retention_policy WHERE id = 1'),
      setPolicy: db.prepare(`INSERT INTO retention_policy (id, scans_years, basis, updated_by, updated_at) VALUES (1, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET scans_years = excluded.scans_years, basis = excluded.basis, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
      flag: db.prepare('UPDATE patients SET legal_hold = ?, updated_at = ? WHERE id = ?'),
      putHold: db.prepare(`INSERT INTO legal_holds (patient_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (patient_id) DO UPDATE SET reason = excluded.reason, placed_by = excluded.placed_by, placed_at = excluded.placed_at`),
      dropHold: db.prepare('DELETE FROM legal_holds WHERE patient_id = ?'),
      hold: db.prepare<[number], HoldRow>('SELECT h.*, p.pseudo_id FROM legal_holds h JOIN patients p ON p.id = h.patient_id WHERE h.patient_id = ?'),
      holds: db.prepare<[], HoldRow>('SELECT h.*, p.pseudo_id FROM legal_holds h JOIN patients p ON p.id = h.patient_id ORDER BY h.placed_at, h.patient_id'),
      heldPatients: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM patients WHERE legal_hold = 1'),
    };
  }

  /** The policy in force: the one an administrator set, else `fallback` (from the config). */
  policy(fallback: { scansYears: number }): RetentionPolicy {
    const row = this.#stmts.policy.get();
    if (!row) return { scansYears: fallback.scansYears, basis: 'captured', origin: 'config', updatedBy: null, updatedAt: null };
    return { scansYears: row.scans_years, basis: row.basis, origin: 'set', updatedBy: row.updated_by, updatedAt: row.updated_at };
  }

  /** Scans dated (per `basis`) before `cutoff` (a day), oldest id first, with their patient's hold. */
  expiredScans(basis: RetentionBasis, cutoff: string): ExpiredRow[] {
    const date = basis === 'captured' ? 'substr(coalesce(s.captured_at, s.received_at), 1, 10)' : 'substr(s.received_at, 1, 10)';
    return this.#db.prepare<[string], ExpiredRow>(`SELECT s.id, s.uid, ${date} AS date, p.pseudo_id, p.legal_hold
      FROM scans s LEFT JOIN patients p ON p.id = s.patient_id WHERE ${date} < ? ORDER BY s.id`).all(cutoff);
  }

  /** Images dated (per `basis`) before `cutoff` (a day), oldest id first, with their patient's hold. */
  expiredImages(basis: RetentionBasis, cutoff: string): ExpiredRow[] {
    const date = basis === 'captured' ? 'substr(coalesce(i.captured_at, i.received_at), 1, 10)' : 'substr(i.received_at, 1, 10)';
    return this.#db.prepare<[string], ExpiredRow>(`SELECT i.id, i.uid, ${date} AS date, p.pseudo_id, p.legal_hold
      FROM images i LEFT JOIN patients p ON p.id = i.patient_id WHERE ${date} < ? ORDER BY i.id`).all(cutoff);
  }

  /** How many patients are on legal hold. */
  heldPatients(): number {
    return this.#stmts.heldPatients.get()!.n;
  }

  setPolicy(scansYears: number, basis: RetentionBasis, actor: string): void {
    this.#stmts.setPolicy.run(scansYears, basis, actor, nowIso());
  }

  /** Place (or update) a hold on a patient. */
  placeHold(patientId: number, reason: string, actor: string): void {
    this.#db.transaction(() => {
      const now = nowIso();
      this.#stmts.flag.run(1, now, patientId);
      this.#stmts.putHold.run(patientId, reason, actor, now);
    })();
  }

  /** Lift a patient's hold; false when there was none. */
  liftHold(patientId: number): boolean {
    return this.#db.transaction(() => {
      this.#stmts.flag.run(0, nowIso(), patientId);
      return this.#stmts.dropHold.run(patientId).changes === 1;
    })();
  }

  hold(patientId: number): LegalHold | undefined {
    const row = this.#stmts.hold.get(patientId);
    return row && toHold(row);
  }

  holds(): LegalHold[] {
    return this.#stmts.holds.all().map(toHold);
  }
}
