-- Retention: the policy that decides when a scan has been kept long enough, and legal
-- holds that stop a patient's data from being purged or erased.

-- One row (id 1) once an administrator sets a policy; until then the config's
-- retention.scansYears applies, counted from the capture date.
CREATE TABLE retention_policy (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  scans_years INTEGER NOT NULL CHECK (scans_years >= 1),
  basis       TEXT NOT NULL CHECK (basis IN ('captured', 'received')),
  updated_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

-- Why a patient is on legal hold and who placed it (patients.legal_hold is the flag; this
-- row says why). The reason stays here, never in the audit trail, as it may name people.
CREATE TABLE legal_holds (
  patient_id INTEGER PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,
  placed_by  TEXT NOT NULL,
  placed_at  TEXT NOT NULL
) STRICT;

-- The purge looks for old scans by either date.
CREATE INDEX scans_captured ON scans(captured_at);
