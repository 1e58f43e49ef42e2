/**
 * Merging two records of one person: everything the duplicate holds moves to the patient
 * that stays, then the duplicate is removed. Nothing is lost on the way — before a row is
 * deleted, every table that references it (found from the schema's foreign keys, so a table
 * added later is never forgotten silently) is checked to hold nothing of it any more.
 */
import { CuspError } from '../errors.js';
import type { Db } from './database.js';
import { nowIso } from './time.js';

/**
 * What hangs on a patient or a visit and moves in a merge: one line per table, naming its
 * patient column and its visit column. Photos add
 * `{ table: 'images', patient: 'patient_id', visit: 'visit_id' }` — that one line is all.
 */
export const MERGE_MOVES: ReadonlyArray<{ table: string; patient?: string; visit?: string }> = [
  { table: 'scans', patient: 'patient_id', visit: 'visit_id' },
  { table: 'annotations', visit: 'visit_id' },
  { table: 'images', patient: 'patient_id', visit: 'visit_id' },
];

/** What a merge moved. */
export interface MergeResult {
  scans: number;
  /** Visits that moved over whole. */
  visitsMoved: number;
  /** Visits joined with the kept patient's visit of the same day. */
  visitsJoined: number;
  externalIds: number;
}

const NAME = /^[a-z_]+$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`merge: bad table or column name ${name}`);
  return name;
}

/** Tables and columns that reference `table`'s id, read from the schema. */
function references(db: Db, table: string): Array<{ table: string; column: string }> {
  return db.prepare<[string], { tbl: string; col: string }>(
    `SELECT m.name AS tbl, f."from" AS col FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
     WHERE m.type = 'table' AND f."table" = ?`,
  ).all(table).map((r) => ({ table: r.tbl, column: r.col }));
}

/** Refuse to delete `id` of `table` while a table not in `mayCascade` still references it. */
function assertNothingLeft(db: Db, table: string, id: number, mayCascade: ReadonlySet<string>): void {
  for (const ref of references(db, table)) {
    if (mayCascade.has(ref.table)) continue;
    const n = (db.prepare(`SELECT count(*) AS n FROM ${checkName(ref.table)} WHERE ${checkName(ref.column)} = ?`).get(id) as { n: number }).n;
    if (n > 0) {
      throw new CuspError('conflict', `merge stopped, nothing changed: table ${ref.table} still holds ${n} row(s) of the merged ${table === 'patients' ? 'patient' : 'visit'} — add it to MERGE_MOVES in src/store/patient-merge.ts`);
    }
  }
}

/**
 * Move everything of patient `fromId` to patient `intoId` and remove `fromId`, in the
 * caller's transaction: scans, visits (a visit on a day the kept patient has one joins it),
 * visit tags, external ids, identity-review candidacies, legal hold (kept if either had one);
 * the kept patient's empty name or birth-date fields are filled from the other.
 */
export function mergePatientRows(db: Db, fromId: number, intoId: number): MergeResult {
  if (fromId === intoId) throw new CuspError('invalid_input', 'a patient cannot be merged into itself');
  const result: MergeResult = { scans: 0, visitsMoved: 0, visitsJoined: 0, externalIds: 0 };
  const visits = db.prepare<[number], { id: number; date: string }>('SELECT id, date FROM visits WHERE patient_id = ?').all(fromId);
  const sameDay = db.prepare<[number, string], { id: number }>('SELECT id FROM visits WHERE patient_id = ? AND date = ?');
  for (const v of visits) {
    const target = sameDay.get(intoId, v.date);
    if (!target) {
      db.prepare('UPDATE visits SET patient_id = ? WHERE id = ?').run(intoId, v.id);
      result.visitsMoved++;
      continue;
    }
    for (const m of MERGE_MOVES) {
      if (m.visit) db.prepare(`UPDATE ${checkName(m.table)} SET ${checkName(m.visit)} = ? WHERE ${checkName(m.visit)} = ?`).run(target.id, v.id);
    }
    assertNothingLeft(db, 'visits', v.id, new Set());
    db.prepare('DELETE FROM visits WHERE id = ?').run(v.id);
    result.visitsJoined++;
  }
  for (const m of MERGE_MOVES) {
    if (!m.patient) continue;
    const info = db.prepare(`UPDATE ${checkName(m.table)} SET ${checkName(m.patient)} = ? WHERE ${checkName(m.patient)} = ?`).run(intoId, fromId);
    if (m.table === 'scans') result.scans = info.changes;
  }
  result.externalIds = db.prepare('UPDATE patient_external_ids SET patient_id = ? WHERE patient_id = ?').run(intoId, fromId).changes;
  db.prepare('INSERT OR IGNORE INTO identity_review_candidates (review_id, patient_id) SELECT review_id, ? FROM identity_review_candidates WHERE patient_id = ?').run(intoId, fromId);
  db.prepare('DELETE FROM identity_review_candidates WHERE patient_id = ?').run(fromId);
  db.prepare('UPDATE identity_reviews SET patient_id = ? WHERE patient_id = ?').run(intoId, fromId);
  mergeHolds(db, fromId, intoId);
  const from = db.prepare<[number], { last_name: string | null; first_name: string | null; birth_date: string | null; legal_hold: number }>(
    'SELECT last_name, first_name, birth_date, legal_hold FROM patients WHERE id = ?',
  ).get(fromId)!;
  db.prepare(`UPDATE patients SET last_name = coalesce(last_name, ?), first_name = coalesce(first_name, ?), birth_date = coalesce(birth_date, ?),
    legal_hold = max(legal_hold, ?), updated_at = ? WHERE id = ?`).run(from.last_name, from.first_name, from.birth_date, from.legal_hold, nowIso(), intoId);
  assertNothingLeft(db, 'patients', fromId, new Set());
  db.prepare('DELETE FROM patients WHERE id = ?').run(fromId);
  return result;
}

/** A legal hold survives the merge: moved over, or its reason added to the kept patient's. */
function mergeHolds(db: Db, fromId: number, intoId: number): void {
  const hold = db.prepare<[number], { reason: string }>('SELECT reason FROM legal_holds WHERE patient_id = ?');
  const from = hold.get(fromId);
  if (!from) return;
  const into = hold.get(intoId);
  if (into) {
    db.prepare('UPDATE legal_holds SET reason = ? WHERE patient_id = ?').run(`${into.reason}\n${from.reason}`, intoId);
    db.prepare('DELETE FROM legal_holds WHERE patient_id = ?').run(fromId);
  } else {
    db.prepare('UPDATE legal_holds SET patient_id = ? WHERE patient_id = ?').run(intoId, fromId);
  }
}
