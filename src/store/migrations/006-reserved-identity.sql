-- Placeholder on the photos branch only: 006 belongs to the identity work. Drop this file
-- when merging (the identity branch brings its own 006).
SELECT 1;
