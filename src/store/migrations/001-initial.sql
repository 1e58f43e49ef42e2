-- Cusp's first schema: the domain of DESIGN.md. Times are ISO-8601 UTC text.

-- Small key/value facts about this installation (instance id, audit signing public key, …).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Scan bytes and derived files, content-addressed. A blob is the SHA-256 of the whole
-- file; its bytes are split into chunks, each addressed by its own SHA-256, so identical
-- bytes are stored once however often they arrive.
CREATE TABLE chunks (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE blobs (
  hash       TEXT PRIMARY KEY,
  size       INTEGER NOT NULL,
  chunks     INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE blob_chunks (
  blob_hash  TEXT NOT NULL REFERENCES blobs(hash) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  chunk_hash TEXT NOT NULL REFERENCES chunks(hash),
  PRIMARY KEY (blob_hash, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX blob_chunks_chunk ON blob_chunks(chunk_hash);

-- Patients. `pseudo_id` is what the audit trail and logs name; names and birth dates
-- stay here only.
CREATE TABLE patients (
  id          INTEGER PRIMARY KEY,
  pseudo_id   TEXT NOT NULL UNIQUE,
  last_name   TEXT,
  first_name  TEXT,
  birth_date  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  legal_hold  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX patients_name ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);

-- Identifiers of a patient in other systems (practice software, scanner order ids).
CREATE TABLE patient_external_ids (
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  system     TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (system, value)
) STRICT;
CREATE INDEX patient_external_ids_patient ON patient_external_ids(patient_id);

-- The scans of one appointment.
CREATE TABLE visits (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  date       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (patient_id, date)
) STRICT;

-- One mesh file. `patient_id` is NULL while unassigned. A re-export for the same
-- patient, jaw and date is a new row with version + 1 and `supersedes` pointing back.
CREATE TABLE scans (
  id            INTEGER PRIMARY KEY,
  uid           TEXT NOT NULL UNIQUE,
  patient_id    INTEGER REFERENCES patients(id) ON DELETE CASCADE,
  visit_id      INTEGER REFERENCES visits(id) ON DELETE SET NULL,
  jaw           TEXT NOT NULL CHECK (jaw IN ('upper', 'lower', 'bite', 'other')),
  captured_at   TEXT,
  source_folder TEXT,
  scanner       TEXT,
  original_name TEXT NOT NULL,
  format        TEXT NOT NULL,
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL REFERENCES blobs(hash),
  status        TEXT NOT NULL CHECK (status IN ('received', 'validated', 'rejected', 'analysed')),
  verdict       TEXT CHECK (verdict IN ('ok', 'warn', 'fail')),
  reason        TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  supersedes    INTEGER REFERENCES scans(id) ON DELETE SET NULL,
  received_at   TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX scans_patient ON scans(patient_id, jaw, captured_at);
CREATE INDEX scans_sha256 ON scans(sha256);
CREATE INDEX scans_status ON scans(status, received_at);
CREATE INDEX scans_received ON scans(received_at, id);

-- Every arrival of a file, including duplicates of bytes already stored.
CREATE TABLE scan_arrivals (
  id            INTEGER PRIMARY KEY,
  scan_id       INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  source_folder TEXT,
  original_name TEXT NOT NULL,
  duplicate     INTEGER NOT NULL,
  arrived_at    TEXT NOT NULL
) STRICT;
CREATE INDEX scan_arrivals_scan ON scan_arrivals(scan_id);

-- Validation and analysis results, one per scan and kind, versioned by the job kind.
CREATE TABLE reports (
  id         INTEGER PRIMARY KEY,
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (scan_id, kind)
) STRICT;

-- Derived files: converted formats, previews, thumbnails, heat maps.
CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  media_type TEXT NOT NULL,
  blob_hash  TEXT NOT NULL REFERENCES blobs(hash),
  meta       TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  UNIQUE (scan_id, kind)
) STRICT;

-- Clinical tags and notes on a scan or a visit.
CREATE TABLE annotations (
  id           INTEGER PRIMARY KEY,
  scan_id      INTEGER REFERENCES scans(id) ON DELETE CASCADE,
  visit_id     INTEGER REFERENCES visits(id) ON DELETE CASCADE,
  tag          TEXT NOT NULL,
  value        TEXT,
  note         TEXT,
  principal_id INTEGER,
  created_at   TEXT NOT NULL,
  CHECK ((scan_id IS NULL) <> (visit_id IS NULL))
) STRICT;

-- The persistent job queue. A job that was running when the daemon died is queued again.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  scan_id      INTEGER REFERENCES scans(id) ON DELETE CASCADE,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress     REAL NOT NULL DEFAULT 0,
  stage        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  error        TEXT,
  payload      TEXT NOT NULL DEFAULT '{}',
  run_after    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT
) STRICT;
CREATE INDEX jobs_ready ON jobs(state, run_after, id);
CREATE INDEX jobs_scan ON jobs(scan_id);

-- Users and API clients.
CREATE TABLE principals (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('user', 'client')),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'clinician', 'integration', 'auditor')),
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
) STRICT;

-- Bearer tokens, stored as SHA-256 of the token; the token itself is shown once.
CREATE TABLE tokens (
  id           INTEGER PRIMARY KEY,
  principal_id INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL DEFAULT '[]',
  expires_at   TEXT,
  revoked_at   TEXT,
  last_used_at TEXT,
  created_at   TEXT NOT NULL
) STRICT;

-- Watched folders added at runtime (the config file's folders are not copied here).
CREATE TABLE folders (
  id         INTEGER PRIMARY KEY,
  path       TEXT NOT NULL UNIQUE,
  settings   TEXT NOT NULL,
  paused     INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) STRICT;

-- The changes feed (`GET /changes?since=N`): increasing ids, never reused.
CREATE TABLE changes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  time        TEXT NOT NULL,
  type        TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  data        TEXT NOT NULL DEFAULT '{}'
);

-- The hash-chained audit log. hash = SHA-256(prev_hash || canonical JSON of the event).
-- Objects are pseudonymous ids only: never a name or a birth date.
CREATE TABLE audit_events (
  seq       INTEGER PRIMARY KEY,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  object    TEXT,
  outcome   TEXT NOT NULL,
  source    TEXT,
  details   TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- Ed25519-signed checkpoints of the chain; also appended to a file outside the database.
CREATE TABLE audit_checkpoints (
  seq        INTEGER PRIMARY KEY,
  hash       TEXT NOT NULL,
  time       TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  signature  TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
