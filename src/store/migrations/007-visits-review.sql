-- cusp:foreign-keys-off
-- Visits become things people edit: a title, a review state, and more than one visit of a
-- patient on one day (a split). The table is rebuilt to drop UNIQUE (patient_id, date);
-- scans and annotations keep referencing it by name (SQLite's documented procedure).
--   review_state: pending → reviewed | flagged (and back to pending when asked, or when a
--   scan arrives in a reviewed visit: see the triggers below).
--   reviewed_by: the actor (`principal:<id>`, `local-admin`); reviewed_at, review_note: of
--   the last review action.
CREATE TABLE visits_rebuilt (
  id           INTEGER PRIMARY KEY,
  patient_id   INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  date         TEXT NOT NULL,
  title        TEXT,
  review_state TEXT NOT NULL DEFAULT 'pending' CHECK (review_state IN ('pending', 'reviewed', 'flagged')),
  reviewed_by  TEXT,
  reviewed_at  TEXT,
  review_note  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;

-- Visits older than 30 days predate the review queue: they start as reviewed by this
-- migration (named as such), so an upgraded clinic's queue is not its whole history.
INSERT INTO visits_rebuilt (id, patient_id, date, review_state, reviewed_by, reviewed_at, created_at, updated_at)
  SELECT id, patient_id, date,
         CASE WHEN date < date('now', '-30 days') THEN 'reviewed' ELSE 'pending' END,
         CASE WHEN date < date('now', '-30 days') THEN 'system:migration-007' END,
         CASE WHEN date < date('now', '-30 days') THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
         created_at, created_at
  FROM visits;
DROP TABLE visits;
ALTER TABLE visits_rebuilt RENAME TO visits;
CREATE INDEX visits_patient_date ON visits(patient_id, date, id);
-- GET /review: pending visits, oldest first.
CREATE INDEX visits_review ON visits(review_state, date, id);
CREATE INDEX scans_visit ON scans(visit_id);
CREATE INDEX annotations_visit ON annotations(visit_id);
CREATE INDEX annotations_scan ON annotations(scan_id);

-- A scan that arrives in (or is moved into) a visit someone reviewed already makes that
-- visit pending again, whatever put it there (ingest, upload, assignment, a move): the
-- clinician has not seen it. A flagged visit stays flagged. The last reviewer stays on
-- record.
CREATE TRIGGER scans_reopen_visit_on_insert AFTER INSERT ON scans WHEN NEW.visit_id IS NOT NULL
BEGIN
  UPDATE visits SET review_state = 'pending', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.visit_id AND review_state = 'reviewed';
END;
CREATE TRIGGER scans_reopen_visit_on_move AFTER UPDATE OF visit_id ON scans
  WHEN NEW.visit_id IS NOT NULL AND NEW.visit_id IS NOT OLD.visit_id
BEGIN
  UPDATE visits SET review_state = 'pending', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.visit_id AND review_state = 'reviewed';
END;

-- Tags and notes can be edited: when it last happened (NULL: never).
ALTER TABLE annotations ADD COLUMN updated_at TEXT;
