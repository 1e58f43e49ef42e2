-- Intraoral photos: images of a visit, stored like scans (the original bytes as a blob,
-- byte for byte as they arrived), with what the `image` job derives from them.
--   patient_id, visit_id: those of the scans the photo came with, or of its own path's
--     identity; NULL while unassigned.
--   scan_id: the scan whose export held the photo (NULL for a lone photo or an upload).
--   kind: the view, read from the name (or given on upload).
--   sha256: the original's blob. thumbnail_hash: a small upright JPEG. served_hash: a JPEG
--     copy served instead of the original (HEIC only); JPEG and PNG are served stripped
--     of metadata on the way out.
--   captured_at / captured_at_source: the EXIF capture time ('exif') once measured, else
--     the path's date ('name'), the scan's ('scan') or the file's mtime ('file').
--   quality: JSON figures of the quality check; verdict its outcome.
--   status: received (the job has not run yet) → measured | unreadable.
CREATE TABLE images (
  id                 INTEGER PRIMARY KEY,
  uid                TEXT NOT NULL UNIQUE,
  patient_id         INTEGER REFERENCES patients(id) ON DELETE CASCADE,
  visit_id           INTEGER REFERENCES visits(id) ON DELETE SET NULL,
  scan_id            INTEGER REFERENCES scans(id) ON DELETE SET NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('frontal', 'left', 'right', 'upper-occlusal', 'lower-occlusal', 'other')),
  kind_source        TEXT NOT NULL CHECK (kind_source IN ('name', 'upload', 'none')),
  media_type         TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/heic')),
  source_folder      TEXT,
  original_name      TEXT NOT NULL,
  size               INTEGER NOT NULL,
  sha256             TEXT NOT NULL REFERENCES blobs(hash),
  captured_at        TEXT,
  captured_at_source TEXT CHECK (captured_at_source IN ('exif', 'name', 'scan', 'file', 'upload')),
  camera_make        TEXT,
  camera_model       TEXT,
  had_location       INTEGER NOT NULL DEFAULT 0,
  width              INTEGER,
  height             INTEGER,
  status             TEXT NOT NULL CHECK (status IN ('received', 'measured', 'unreadable')),
  verdict            TEXT CHECK (verdict IN ('ok', 'blurry', 'dark', 'overexposed', 'low-resolution')),
  quality            TEXT,
  reason             TEXT,
  thumbnail_hash     TEXT REFERENCES blobs(hash),
  served_hash        TEXT REFERENCES blobs(hash),
  received_at        TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX images_visit ON images(visit_id, id);
CREATE INDEX images_patient ON images(patient_id, id);
CREATE INDEX images_scan ON images(scan_id);
CREATE INDEX images_sha256 ON images(sha256);
CREATE INDEX images_thumbnail ON images(thumbnail_hash);
CREATE INDEX images_served ON images(served_hash);

-- The `image` job's subject (jobs.scan_id stays NULL for it); its jobs go with the image.
ALTER TABLE jobs ADD COLUMN image_id INTEGER REFERENCES images(id) ON DELETE CASCADE;
CREATE INDEX jobs_image ON jobs(image_id);
