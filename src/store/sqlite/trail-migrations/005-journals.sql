-- How far into each journal file (src/store/sqlite/trail-journal.ts) the trail has appended:
-- updated in the same transaction as the events it appends, so that after a crash the rest of
-- the file, and only the rest, is appended. A row goes with its file.
CREATE TABLE trail_journals (
  name TEXT PRIMARY KEY,
  appended INTEGER NOT NULL CHECK (appended >= 0)
) STRICT;
