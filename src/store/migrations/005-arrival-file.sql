-- Which file an arrival was, so that the very same file seen again (after a crash between
-- storing and removing it, or a kept original) is recognised, while the same name with the
-- same bytes arriving again later is recorded as the new arrival it is.
--   file_size, file_mtime_ms: the file as it was read (NULL for arrivals before this).
--   removed_at: when the original left the drop folder (deleted or archived); NULL while
--   it is still there.
ALTER TABLE scan_arrivals ADD COLUMN file_size INTEGER;
ALTER TABLE scan_arrivals ADD COLUMN file_mtime_ms REAL;
ALTER TABLE scan_arrivals ADD COLUMN removed_at TEXT;
CREATE INDEX scan_arrivals_name ON scan_arrivals(original_name, source_folder);
