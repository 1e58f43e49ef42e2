/**
 * Patients. Names and birth dates live only here; everything else in Cusp (audit trail,
 * logs, events) names a patient by `pseudoId`.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Patient {
  id: number;
  pseudoId: string;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  externalIds: Array<{ system: string; value: string }>;
  legalHold: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewPatient {
  lastName?: string | null;
  firstName?: string | null;
  birthDate?: string | null;
  externalIds?: Array<{ system: string; value: string }>;
}

interface PatientRow {
  id: number;
  pseudo_id: string;
  last_name: string | null;
  first_name: string | null;
  birth_date: string | null;
  legal_hold: number;
  created_at: string;
  updated_at: string;
}

/** A new pseudonymous id: `p_` + 16 random base32 characters (80 bits). */
export function newPseudoId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(16);
  let out = 'p_';
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

export class PatientRepository {
  readonly #db: Db;
  readonly #stmts;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      insert: db.prepare('INSERT INTO patients (pseudo_id, last_name, first_name, birth_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      insertExternal: db.prepare('INSERT INTO patient_external_ids (patient_id, system, value) VALUES (?, ?, ?)'),
      byId: db.prepare<[number], PatientRow>('SELECT * FROM patients WHERE id = ?'),
      byPseudo: db.prepare<[string], PatientRow>('SELECT * FROM patients WHERE pseudo_id = ?'),
      externals: db.prepare<[number], { system: string; value: string }>('SELECT system, value FROM patient_external_ids WHERE patient_id = ? ORDER BY system, value'),
      byExternal: db.prepare<[string, string], PatientRow>(
        'SELECT p.* FROM patients p JOIN patient_external_ids e ON e.patient_id = p.id WHERE e.system = ? AND e.value = ?',
      ),
      byName: db.prepare<[string, string, string | null, string | null], PatientRow>(
        `SELECT * FROM patients WHERE last_name = ? COLLATE NOCASE AND first_name = ? COLLATE NOCASE
         AND (? IS NULL OR birth_date IS NULL OR birth_date = ?) ORDER BY id LIMIT 1`,
      ),
      delete: db.prepare('DELETE FROM patients WHERE id = ?'),
    };
  }

  #toPatient(row: PatientRow | undefined): Patient | undefined {
    if (!row) return undefined;
    return {
      id: row.id,
      pseudoId: row.pseudo_id,
      lastName: row.last_name,
      firstName: row.first_name,
      birthDate: row.birth_date,
      externalIds: this.#stmts.externals.all(row.id),
      legalHold: row.legal_hold === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  create(input: NewPatient): Patient {
    return this.#db.transaction(() => {
      const now = nowIso();
      const info = this.#stmts.insert.run(newPseudoId(), input.lastName ?? null, input.firstName ?? null, input.birthDate ?? null, now, now);
      const id = Number(info.lastInsertRowid);
      for (const ext of input.externalIds ?? []) this.#stmts.insertExternal.run(id, ext.system, ext.value);
      return this.get(id)!;
    })();
  }

  get(id: number): Patient | undefined {
    return this.#toPatient(this.#stmts.byId.get(id));
  }

  getByPseudoId(pseudoId: string): Patient | undefined {
    return this.#toPatient(this.#stmts.byPseudo.get(pseudoId));
  }

  findByExternalId(system: string, value: string): Patient | undefined {
    return this.#toPatient(this.#stmts.byExternal.get(system, value));
  }

  /** The first patient with this name (and birth date, when both sides know it). */
  findByName(lastName: string, firstName: string, birthDate?: string | null): Patient | undefined {
    const bd = birthDate ?? null;
    return this.#toPatient(this.#stmts.byName.get(lastName, firstName, bd, bd));
  }

  /** Remove the patient row; scans, visits and ids go with it (ON DELETE CASCADE). */
  delete(id: number): void {
    this.#stmts.delete.run(id);
  }
}
