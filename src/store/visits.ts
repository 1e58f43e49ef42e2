/** Visits: the scans of one appointment, grouped by patient and day. */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Visit {
  id: number;
  patientId: number;
  date: string;
  createdAt: string;
}

export class VisitRepository {
  readonly #find;
  readonly #insert;
  readonly #byId;

  constructor(db: Db) {
    this.#find = db.prepare<[number, string], { id: number; patient_id: number; date: string; created_at: string }>('SELECT * FROM visits WHERE patient_id = ? AND date = ?');
    this.#insert = db.prepare('INSERT INTO visits (patient_id, date, created_at) VALUES (?, ?, ?)');
    this.#byId = db.prepare<[number], { id: number; patient_id: number; date: string; created_at: string }>('SELECT * FROM visits WHERE id = ?');
  }

  /** The patient's visit on `date` (YYYY-MM-DD), created when there is none yet. */
  findOrCreate(patientId: number, date: string): Visit {
    const day = date.slice(0, 10);
    const row = this.#find.get(patientId, day) ?? this.#byId.get(Number(this.#insert.run(patientId, day, nowIso()).lastInsertRowid))!;
    return { id: row.id, patientId: row.patient_id, date: row.date, createdAt: row.created_at };
  }
}
