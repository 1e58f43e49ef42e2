-- Identity from every source, and a person deciding where the sources leave doubt.

-- Where a scan's identity came from: every field with its source, what each source said
-- and the conflicts found (JSON, IdentityEvidence in src/ingest/rules/types.ts), and how the
-- patient was found (`match`: external-id, order, name-birth, name, created, review, given,
-- none, or resolved after a review). It holds names, like `patients`: served to clinical
-- roles, never logged or put in the audit trail.
CREATE TABLE scan_identity (
  scan_id  INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
  evidence TEXT NOT NULL,
  match    TEXT NOT NULL
) STRICT;

-- Scans waiting for a person to say whose they are: the sources disagree (`conflict`), a
-- name matches several patients (`ambiguous`), or an id names a patient the name does not
-- (`id-mismatch`). The scan stays unassigned until the review is resolved.
CREATE TABLE identity_reviews (
  id          INTEGER PRIMARY KEY,
  scan_id     INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  reason      TEXT NOT NULL CHECK (reason IN ('conflict', 'ambiguous', 'id-mismatch')),
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  created_at  TEXT NOT NULL,
  resolved_by TEXT,
  resolved_at TEXT,
  patient_id  INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  resolution  TEXT CHECK (resolution IN ('existing', 'created'))
) STRICT;
CREATE UNIQUE INDEX identity_reviews_open_scan ON identity_reviews(scan_id) WHERE state = 'open';
CREATE INDEX identity_reviews_state ON identity_reviews(state, id);

-- The patients a review offers (those the sources may mean).
CREATE TABLE identity_review_candidates (
  review_id  INTEGER NOT NULL REFERENCES identity_reviews(id) ON DELETE CASCADE,
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  PRIMARY KEY (review_id, patient_id)
) STRICT;
CREATE INDEX identity_review_candidates_patient ON identity_review_candidates(patient_id);
