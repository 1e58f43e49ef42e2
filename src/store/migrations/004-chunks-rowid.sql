-- cusp:foreign-keys-off
-- Chunks move from a WITHOUT ROWID table to a rowid table with an index on the hash.
--
-- In a WITHOUT ROWID table the whole row is the b-tree key, so a 256 KiB chunk is a key
-- that overflows onto some 64 pages, and finding a chunk by its hash compared whole
-- overflowing keys: about 1 ms per lookup (measured: a scan's 192 chunks took 23 ms to
-- link, all of it on the thread that serves the API). Keyed by rowid with the hash in an
-- index, a lookup takes 3 µs and storing, reading and freeing a chunk are cheaper too.
--
-- The copy re-encrypts every stored chunk once (about 75 MB/s here); foreign keys are off
-- while the table is rebuilt (SQLite's documented procedure) and checked before commit.
CREATE TABLE chunks_rowid (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
INSERT INTO chunks_rowid (hash, size, data) SELECT hash, size, data FROM chunks;
DROP TABLE chunks;
ALTER TABLE chunks_rowid RENAME TO chunks;
