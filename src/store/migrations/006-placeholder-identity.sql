-- Placeholder for the identity work's migration 006, which lands on its own branch: the
-- numbering must have no gap for 007 to apply. Delete this file when that 006 is merged.
SELECT 1;
