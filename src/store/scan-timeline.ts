/**
 * A patient's scans in time: the scan before and after one of the same jaw, and the other
 * jaw of its visit — what the comparison and bite analyses are queued against.
 */
import type { Db } from './database.js';
import type { Jaw } from './scans.js';

/** What places a scan in its patient's timeline. */
export interface TimelinePoint {
  id: number;
  patientId: number;
  jaw: Jaw;
  /** Its capture date, else its arrival. */
  when: string;
}

export class ScanTimelineRepository {
  readonly #stmts;

  constructor(db: Db) {
    this.#stmts = {
      previous: db.prepare<[{ patient: number; jaw: Jaw; id: number; supersedes: number | null; when: string }], { id: number }>(`SELECT id FROM scans
        WHERE patient_id = @patient AND jaw = @jaw AND id != @id AND id != coalesce(@supersedes, -1) AND status IN ('validated', 'analysed')
          AND (coalesce(captured_at, received_at) < @when OR (coalesce(captured_at, received_at) = @when AND id < @id))
        ORDER BY coalesce(captured_at, received_at) DESC, id DESC LIMIT 1`),
      next: db.prepare<[{ patient: number; jaw: Jaw; id: number; when: string }], { id: number }>(`SELECT id FROM scans
        WHERE patient_id = @patient AND jaw = @jaw AND id != @id AND status IN ('validated', 'analysed')
          AND (coalesce(captured_at, received_at) > @when OR (coalesce(captured_at, received_at) = @when AND id > @id))
        ORDER BY coalesce(captured_at, received_at), id LIMIT 1`),
      opposing: db.prepare<[number, Jaw], { id: number }>(
        "SELECT id FROM scans WHERE visit_id = ? AND jaw = ? AND status IN ('validated', 'analysed') ORDER BY version DESC, id DESC LIMIT 1"),
    };
  }

  /** The id of the latest earlier validated scan of the same patient and jaw, skipping the one `supersedes` names. */
  previousId(point: TimelinePoint, supersedes: number | null): number | undefined {
    return this.#stmts.previous.get({ patient: point.patientId, jaw: point.jaw, id: point.id, supersedes, when: point.when })?.id;
  }

  /** The id of the earliest later validated scan of the same patient and jaw. */
  nextId(point: TimelinePoint): number | undefined {
    return this.#stmts.next.get({ patient: point.patientId, jaw: point.jaw, id: point.id, when: point.when })?.id;
  }

  /** The id of the newest validated scan of `jaw` in visit `visitId`. */
  inVisit(visitId: number, jaw: Jaw): number | undefined {
    return this.#stmts.opposing.get(visitId, jaw)?.id;
  }
}
