/**
 * Patients. Names and birth dates live only here; everything else in Cusp (audit trail,
 * logs, events) names a patient by `pseudoId`.
 */
import { randomBytes } from 'node:crypto';
import { CuspError } from '../errors.js';
import type { Db } from './database.js';
import { mergePatientRows, type MergeResult } from './patient-merge.js';
import { StatementCache } from './statement-cache.js';
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

/** Fields a PATCH may change; `externalIds`, when given, replaces the whole list. */
export type PatientChanges = NewPatient;

/** A page of patients in name order; `next` is where the following page starts. */
export interface PatientSearch {
  /** Every word must start the last or first name (case and accents ignored). */
  name?: string;
  externalId?: { system: string; value: string };
  limit: number;
  after?: PatientPosition;
}

/** Keyset position in name order: folded last name, folded first name, id. */
export type PatientPosition = [string, string, number];

/** Lower case without accents, so 'muller' finds 'Müller' (SQLite's NOCASE folds ASCII only). */
export function foldName(text: string | null): string {
  return (text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * A name as identity matching compares it: Unicode-composed, whitespace collapsed, lower
 * case — accents kept ('Müller' and 'Muller' are different family names).
 */
export function nameKey(text: string | null): string {
  return (text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
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
  readonly #searches: StatementCache;

  constructor(db: Db) {
    this.#db = db;
    this.#searches = new StatementCache(db);
    db.function('cusp_name_key', { deterministic: true }, (text: unknown) => nameKey(typeof text === 'string' ? text : null));
    this.#stmts = {
      dependents: db.prepare<[{ id: number }], { visits: number; visitNotes: number; externalIds: number }>(`SELECT
        (SELECT count(*) FROM visits WHERE patient_id = @id) AS visits,
        (SELECT count(*) FROM annotations WHERE visit_id IN (SELECT id FROM visits WHERE patient_id = @id)) AS visitNotes,
        (SELECT count(*) FROM patient_external_ids WHERE patient_id = @id) AS externalIds`),
      insert: db.prepare('INSERT INTO patients (pseudo_id, last_name, first_name, birth_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      insertExternal: db.prepare('INSERT INTO patient_external_ids (patient_id, system, value) VALUES (?, ?, ?)'),
      byId: db.prepare<[number], PatientRow>('SELECT * FROM patients WHERE id = ?'),
      pseudoIdOf: db.prepare<[number], { pseudo_id: string }>('SELECT pseudo_id FROM patients WHERE id = ?'),
      byPseudo: db.prepare<[string], PatientRow>('SELECT * FROM patients WHERE pseudo_id = ?'),
      externals: db.prepare<[number], { system: string; value: string }>('SELECT system, value FROM patient_external_ids WHERE patient_id = ? ORDER BY system, value'),
      byExternal: db.prepare<[string, string], PatientRow>(
        'SELECT p.* FROM patients p JOIN patient_external_ids e ON e.patient_id = p.id WHERE e.system = ? AND e.value = ?',
      ),
      byName: db.prepare<[string, string, string | null, string | null], PatientRow>(
        `SELECT * FROM patients WHERE last_name = ? COLLATE NOCASE AND first_name = ? COLLATE NOCASE
         AND (? IS NULL OR birth_date IS NULL OR birth_date = ?) ORDER BY id LIMIT 1`,
      ),
      sameName: db.prepare<[string, string], PatientRow>(
        "SELECT * FROM patients WHERE cusp_name_key(last_name) = ? AND cusp_name_key(first_name) = ? ORDER BY id",
      ),
      delete: db.prepare('DELETE FROM patients WHERE id = ?'),
      update: db.prepare('UPDATE patients SET last_name = ?, first_name = ?, birth_date = ?, updated_at = ? WHERE id = ?'),
      deleteExternals: db.prepare('DELETE FROM patient_external_ids WHERE patient_id = ?'),
      externalOwner: db.prepare<[string, string], { patient_id: number; pseudo_id: string }>(
        'SELECT e.patient_id, p.pseudo_id FROM patient_external_ids e JOIN patients p ON p.id = e.patient_id WHERE e.system = ? AND e.value = ?',
      ),
    };
    db.function('cusp_fold', { deterministic: true }, (text: unknown) => foldName(typeof text === 'string' ? text : null));
  }

  /** Refuse external ids that another patient holds: one id in a practice system names one person. */
  #checkExternalIds(ids: Array<{ system: string; value: string }>, self?: number): void {
    for (const ext of ids) {
      const owner = this.#stmts.externalOwner.get(ext.system, ext.value);
      if (owner && owner.patient_id !== self) {
        throw new CuspError('conflict', `external id ${ext.system}:${ext.value} belongs to patient ${owner.pseudo_id} already — use that patient or correct the id`);
      }
    }
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
      this.#checkExternalIds(input.externalIds ?? []);
      const now = nowIso();
      const info = this.#stmts.insert.run(newPseudoId(), input.lastName ?? null, input.firstName ?? null, input.birthDate ?? null, now, now);
      const id = Number(info.lastInsertRowid);
      for (const ext of input.externalIds ?? []) this.#stmts.insertExternal.run(id, ext.system, ext.value);
      return this.get(id)!;
    })();
  }

  /** The pseudonymous id of patient `id` (no names, no external ids read). */
  pseudoIdOf(id: number): string | undefined {
    return this.#stmts.pseudoIdOf.get(id)?.pseudo_id;
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

  /** Every patient with this last and first name (letter case and spacing ignored), oldest first. */
  findAllByName(lastName: string, firstName: string | null | undefined): Patient[] {
    return this.#stmts.sameName.all(nameKey(lastName), nameKey(firstName ?? null)).map((r) => this.#toPatient(r)!);
  }

  /** Add an external id unless someone holds it; true when added. */
  addExternalId(id: number, ext: { system: string; value: string }): boolean {
    if (this.#stmts.externalOwner.get(ext.system, ext.value)) return false;
    this.#stmts.insertExternal.run(id, ext.system, ext.value);
    return true;
  }

  /**
   * Merge patient `fromId` into `intoId` (one person recorded twice): scans, visits, tags,
   * external ids and holds move over, then `fromId` is removed. See patient-merge.ts.
   */
  merge(fromId: number, intoId: number): MergeResult {
    return this.#db.transaction(() => {
      if (!this.get(fromId) || !this.get(intoId)) throw new CuspError('not_found', 'no such patient to merge');
      return mergePatientRows(this.#db, fromId, intoId);
    })();
  }

  /** Change a patient's name, birth date or external ids; fields left undefined stay as they are. */
  update(id: number, changes: PatientChanges): Patient {
    return this.#db.transaction(() => {
      const current = this.get(id);
      if (!current) throw new CuspError('not_found', `no patient with id ${id}`);
      const pick = <K extends 'lastName' | 'firstName' | 'birthDate'>(k: K) => (changes[k] === undefined ? current[k] : changes[k] ?? null);
      this.#stmts.update.run(pick('lastName'), pick('firstName'), pick('birthDate'), nowIso(), id);
      if (changes.externalIds) {
        this.#checkExternalIds(changes.externalIds, id);
        this.#stmts.deleteExternals.run(id);
        for (const ext of changes.externalIds) this.#stmts.insertExternal.run(id, ext.system, ext.value);
      }
      return this.get(id)!;
    })();
  }

  /**
   * Patients by external id or name words, in name order, one page at a time (keyset:
   * the page after `after`, never skipping or repeating a row when patients are added).
   */
  search(query: PatientSearch): { patients: Patient[]; next?: PatientPosition } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.externalId) {
      where.push('id IN (SELECT patient_id FROM patient_external_ids WHERE system = ? AND value = ?)');
      args.push(query.externalId.system, query.externalId.value);
    }
    for (const word of foldName(query.name ?? '').split(/[\s,]+/).filter(Boolean)) {
      const like = `${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push("(cusp_fold(last_name) LIKE ? ESCAPE '\\' OR cusp_fold(first_name) LIKE ? ESCAPE '\\')");
      args.push(like, like);
    }
    if (query.after) {
      where.push('(cusp_fold(last_name), cusp_fold(first_name), id) > (?, ?, ?)');
      args.push(...query.after);
    }
    const sql = `SELECT * FROM patients ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY cusp_fold(last_name), cusp_fold(first_name), id LIMIT ?`;
    const rows = this.#searches.get(sql).all(...args, query.limit + 1) as PatientRow[];
    const patients = rows.slice(0, query.limit).map((r) => this.#toPatient(r)!);
    const last = patients[patients.length - 1];
    return { patients, next: rows.length > query.limit && last ? [foldName(last.lastName), foldName(last.firstName), last.id] : undefined };
  }

  /** How many visits, notes on them and external ids go with the patient row (by cascade). */
  dependents(id: number): { visits: number; visitNotes: number; externalIds: number } {
    return this.#stmts.dependents.get({ id })!;
  }

  /** Remove the patient row; scans, visits and ids go with it (ON DELETE CASCADE). */
  delete(id: number): void {
    this.#stmts.delete.run(id);
  }
}
