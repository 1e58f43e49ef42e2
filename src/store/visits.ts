/**
 * Visits: the scans (and, once they land, photos) of one appointment. Ingest groups a
 * patient's scans by capture day; people create, edit and split visits and move scans
 * between them, and review each visit (pending → reviewed | flagged).
 */
import { CuspError } from '../errors.js';
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type ReviewState = 'pending' | 'reviewed' | 'flagged';

export interface Visit {
  id: number;
  patientId: number;
  date: string;
  title: string | null;
  review: { state: ReviewState; by: string | null; at: string | null; note: string | null };
  createdAt: string;
  updatedAt: string;
}

interface VisitRow {
  id: number; patient_id: number; date: string; title: string | null; review_state: ReviewState;
  reviewed_by: string | null; reviewed_at: string | null; review_note: string | null; created_at: string; updated_at: string;
}
const toVisit = (r: VisitRow): Visit => ({
  id: r.id, patientId: r.patient_id, date: r.date, title: r.title,
  review: { state: r.review_state, by: r.reviewed_by, at: r.reviewed_at, note: r.review_note },
  createdAt: r.created_at, updatedAt: r.updated_at,
});

/**
 * What a visit holds, table by table: each row names the table, its public id column, and
 * the key of a move request (rows carry uid, patient_id and visit_id).
 */
export const VISIT_ITEMS = [
  { key: 'scans', table: 'scans', idColumn: 'uid' },
  { key: 'images', table: 'images', idColumn: 'uid' },
] as const;
export type VisitItemKey = (typeof VISIT_ITEMS)[number]['key'];
/** Public ids of items to move, by kind (`scans`: uids). */
export type VisitItems = Partial<Record<VisitItemKey, Array<string | number>>>;

/** One line of the review queue (`GET /review`). */
export interface ReviewLine {
  visitId: number;
  date: string;
  title: string | null;
  patientId: number;
  scans: number;
  jaws: string[];
  verdicts: { ok: number; warn: number; fail: number; pending: number };
  /** Largest 95th-percentile and largest maximum deviation (mm) of the visit's comparisons; null when none ran yet. */
  deviation: { p95: number; max: number } | null;
  photos: number;
  lastReviewedBy: string | null;
}

/**
 * The review queue's columns, one sub-select each, so a figure is one more line here.
 * Only the newest version of a re-exported scan counts.
 */
const REVIEW_COLUMNS = `v.id, v.date, v.title, v.patient_id, v.reviewed_by,
  (SELECT count(*) FROM scans s WHERE s.visit_id = v.id AND NOT EXISTS (SELECT 1 FROM scans n WHERE n.supersedes = s.id)) AS scans,
  (SELECT json_group_array(jaw) FROM (SELECT DISTINCT jaw FROM scans s WHERE s.visit_id = v.id ORDER BY jaw)) AS jaws,
  (SELECT json_object('ok', count(*) FILTER (WHERE verdict = 'ok'), 'warn', count(*) FILTER (WHERE verdict = 'warn'),
     'fail', count(*) FILTER (WHERE verdict = 'fail' OR status = 'rejected'), 'pending', count(*) FILTER (WHERE status = 'received'))
   FROM scans s WHERE s.visit_id = v.id AND NOT EXISTS (SELECT 1 FROM scans n WHERE n.supersedes = s.id)) AS verdicts,
  (SELECT json_object('p95', max(json_extract(r.body, '$.stats.p95')), 'max', max(json_extract(r.body, '$.stats.max')))
   FROM reports r JOIN scans s ON s.id = r.scan_id WHERE s.visit_id = v.id AND r.kind = 'comparison') AS deviation,
  (SELECT count(*) FROM images i WHERE i.visit_id = v.id) AS photos`;

interface ReviewRow {
  id: number; date: string; title: string | null; patient_id: number; reviewed_by: string | null;
  scans: number; jaws: string; verdicts: string; deviation: string; photos: number;
}

/** A visit as stored, for a GDPR export. */
export interface VisitRecord {
  id: number; date: string; title: string | null; review_state: string; reviewed_by: string | null; reviewed_at: string | null; review_note: string | null; created_at: string;
}

export class VisitRepository {
  readonly #db: Db;
  readonly #stmts;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      find: db.prepare<[number, string], VisitRow>('SELECT * FROM visits WHERE patient_id = ? AND date = ? ORDER BY id LIMIT 1'),
      insert: db.prepare('INSERT INTO visits (patient_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      byId: db.prepare<[number], VisitRow>('SELECT * FROM visits WHERE id = ?'),
      forPatient: db.prepare<[number], VisitRow & { scans: number }>(
        'SELECT v.*, (SELECT count(*) FROM scans s WHERE s.visit_id = v.id) AS scans FROM visits v WHERE v.patient_id = ? ORDER BY v.date DESC, v.id DESC',
      ),
      update: db.prepare('UPDATE visits SET date = ?, title = ?, updated_at = ? WHERE id = ?'),
      review: db.prepare('UPDATE visits SET review_state = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?, updated_at = ? WHERE id = ?'),
      records: db.prepare<[number], VisitRecord>(
        'SELECT id, date, title, review_state, reviewed_by, reviewed_at, review_note, created_at FROM visits WHERE patient_id = ? ORDER BY date, id'),
      itemCount: db.prepare<[number, number], { n: number }>('SELECT (SELECT count(*) FROM scans WHERE visit_id = ?) + (SELECT count(*) FROM images WHERE visit_id = ?) AS n'),
      queue: db.prepare<[string, number, number], ReviewRow>(
        `SELECT ${REVIEW_COLUMNS} FROM visits v WHERE v.review_state = 'pending' AND (v.date, v.id) > (?, ?)
         AND (EXISTS (SELECT 1 FROM scans s WHERE s.visit_id = v.id) OR EXISTS (SELECT 1 FROM images i WHERE i.visit_id = v.id)) ORDER BY v.date, v.id LIMIT ?`,
      ),
    };
  }

  /**
   * The patient's (first) visit on `date` (YYYY-MM-DD), created when there is none yet
   * (`onCreated` then: ingest/visit-of-day.ts records it in the change feed).
   */
  findOrCreate(patientId: number, date: string, onCreated?: (visit: Visit) => void): Visit {
    const day = date.slice(0, 10);
    const found = this.#stmts.find.get(patientId, day);
    if (found) return toVisit(found);
    const created = toVisit(this.#stmts.byId.get(this.#insert(patientId, day, null))!);
    onCreated?.(created);
    return created;
  }

  #insert(patientId: number, date: string, title: string | null): number {
    const now = nowIso();
    return Number(this.#stmts.insert.run(patientId, date, title, now, now).lastInsertRowid);
  }

  /** A new visit, even when the patient has one on that day already (a second appointment, a split). */
  create(patientId: number, date: string, title: string | null = null): Visit {
    return this.get(this.#insert(patientId, date.slice(0, 10), title))!;
  }

  /** A patient's visits as stored, by date (a GDPR export). */
  recordsOf(patientId: number): VisitRecord[] {
    return this.#stmts.records.all(patientId);
  }

  get(id: number): Visit | undefined {
    const row = this.#stmts.byId.get(id);
    return row && toVisit(row);
  }

  /** A patient's visits, newest first, with how many scans each holds. */
  forPatient(patientId: number): Array<Visit & { scans: number }> {
    return this.#stmts.forPatient.all(patientId).map((r) => ({ ...toVisit(r), scans: r.scans }));
  }

  /** Change a visit's date or title (undefined: unchanged, null clears the title). Its scans keep their capture times. */
  update(id: number, changes: { date?: string; title?: string | null }): Visit {
    const current = this.get(id);
    if (!current) throw new CuspError('not_found', `no visit ${id}`);
    this.#stmts.update.run(changes.date?.slice(0, 10) ?? current.date, changes.title === undefined ? current.title : changes.title, nowIso(), id);
    return this.get(id)!;
  }

  /** Record a review action: the new state, who (an audit actor), when, and an optional note. */
  setReview(id: number, state: ReviewState, by: string, note: string | null): Visit {
    const now = nowIso();
    this.#stmts.review.run(state, by, now, note, now, id);
    return this.get(id)!;
  }

  /** How many scans and photos a visit holds. */
  itemCount(id: number): number {
    return this.#stmts.itemCount.get(id, id)!.n;
  }

  /**
   * The internal ids of `items` that belong to patient `patientId`, by kind; throws
   * not_found naming the first public id that does not exist or belongs to someone else.
   */
  resolveItems(patientId: number, items: VisitItems): Record<VisitItemKey, number[]> {
    const out = {} as Record<VisitItemKey, number[]>;
    for (const kind of VISIT_ITEMS) {
      const ids = items[kind.key] ?? [];
      const find = this.#db.prepare<[string | number], { id: number; patient_id: number | null }>(`SELECT id, patient_id FROM ${kind.table} WHERE ${kind.idColumn} = ?`);
      out[kind.key] = ids.map((publicId) => {
        const row = find.get(publicId);
        if (!row) throw new CuspError('not_found', `no ${kind.key.replace(/s$/, '')} ${publicId}`);
        if (row.patient_id !== patientId) throw new CuspError('conflict', `${kind.key.replace(/s$/, '')} ${publicId} is not this patient's — assign it to the patient first`);
        return row.id;
      });
    }
    return out;
  }

  /** Move items (internal ids by kind, from resolveItems) into visit `to`; returns how many moved. */
  moveItems(to: number, ids: Record<VisitItemKey, number[]>): number {
    let moved = 0;
    for (const kind of VISIT_ITEMS) {
      const update = this.#db.prepare(`UPDATE ${kind.table} SET visit_id = ? WHERE id = ? AND visit_id IS NOT ?`);
      for (const id of ids[kind.key] ?? []) moved += update.run(to, id, to).changes;
    }
    return moved;
  }

  /**
   * Pending visits that hold something, oldest first (by date, then id), one page after
   * the position `after` ([date, id]).
   */
  reviewQueue(limit: number, after: [string, number] = ['', 0]): ReviewLine[] {
    return this.#stmts.queue.all(after[0], after[1], limit).map((r) => {
      const d = JSON.parse(r.deviation) as { p95: number | null; max: number | null };
      return {
        visitId: r.id, date: r.date, title: r.title, patientId: r.patient_id, scans: r.scans,
        jaws: JSON.parse(r.jaws) as string[],
        verdicts: JSON.parse(r.verdicts) as ReviewLine['verdicts'],
        deviation: d.p95 === null || d.max === null ? null : { p95: d.p95, max: d.max },
        photos: r.photos,
        lastReviewedBy: r.reviewed_by,
      };
    });
  }
}
