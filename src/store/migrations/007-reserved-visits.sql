-- Placeholder on the photos branch only: 007 belongs to the visits/review work. Drop this
-- file when merging (the visits-review branch brings its own 007).
SELECT 1;
