/** Visits: the scans of one appointment, grouped by patient and day. */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Visit {
  id: number;
  patientId: number;
  date: string;
  createdAt: string;
}

interface VisitRow { id: number; patient_id: number; date: string; created_at: string }
const toVisit = (r: VisitRow): Visit => ({ id: r.id, patientId: r.patient_id, date: r.date, createdAt: r.created_at });

export class VisitRepository {
  readonly #find;
  readonly #insert;
  readonly #byId;
  readonly #forPatient;

  constructor(db: Db) {
    this.#find = db.prepare<[number, string], VisitRow>('SELECT * FROM visits WHERE patient_id = ? AND date = ?');
    this.#insert = db.prepare('INSERT INTO visits (patient_id, date, created_at) VALUES (?, ?, ?)');
    this.#byId = db.prepare<[number], VisitRow>('SELECT * FROM visits WHERE id = ?');
    this.#forPatient = db.prepare<[number], VisitRow & { scans: number }>(
      'SELECT v.*, (SELECT count(*) FROM scans s WHERE s.visit_id = v.id) AS scans FROM visits v WHERE v.patient_id = ? ORDER BY v.date DESC, v.id DESC',
    );
  }

  /** The patient's visit on `date` (YYYY-MM-DD), created when there is none yet. */
  findOrCreate(patientId: number, date: string): Visit {
    const day = date.slice(0, 10);
    const row = this.#find.get(patientId, day) ?? this.#byId.get(Number(this.#insert.run(patientId, day, nowIso()).lastInsertRowid))!;
    return toVisit(row);
  }

  get(id: number): Visit | undefined {
    const row = this.#byId.get(id);
    return row && toVisit(row);
  }

  /** A patient's visits, newest first, with how many scans each holds. */
  forPatient(patientId: number): Array<Visit & { scans: number }> {
    return this.#forPatient.all(patientId).map((r) => ({ ...toVisit(r), scans: r.scans }));
  }
}
