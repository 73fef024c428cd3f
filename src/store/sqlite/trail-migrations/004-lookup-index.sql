-- LookupEvents' indexes leave the append path. Indexing every record as it is appended cost
-- more than half of an append (seven indexes of trail_events and two of its resources, a dozen
-- B-tree pages written per commit), on the path every API response waits on. The lookup columns
-- now live in trail_lookup, and they and trail_event_resources are filled in bulk, in order of
-- sequence, by the store's indexer: when enough records wait (a few thousand), when appends
-- pause, and always before a lookup, so LookupEvents still sees every record appended before
-- it. trail_index_state says how far the indexer has come. Both tables are derived from
-- trail_events and may be rebuilt from it; the hash chain over trail_events is what integrity
-- rests on.

CREATE TABLE trail_lookup (
  sequence INTEGER PRIMARY KEY REFERENCES trail_events (sequence),
  account_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only INTEGER NOT NULL,
  username TEXT,
  access_key_id TEXT,
  event_source TEXT NOT NULL
) STRICT;

CREATE TABLE trail_index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through INTEGER NOT NULL CHECK (indexed_through >= 0)
) STRICT;

-- Everything appended so far was indexed on the way in (resources included).
INSERT INTO trail_lookup
  SELECT sequence, account_id, event_time, event_id, event_name, read_only, username,
    access_key_id, event_source
  FROM trail_events WHERE account_id IS NOT NULL;
INSERT INTO trail_index_state VALUES (1, (SELECT coalesce(max(sequence), 0) FROM trail_events));

DROP INDEX trail_events_time;
DROP INDEX trail_events_event_id;
DROP INDEX trail_events_event_name;
DROP INDEX trail_events_read_only;
DROP INDEX trail_events_username;
DROP INDEX trail_events_event_source;
DROP INDEX trail_events_access_key_id;

-- LookupEvents always names an account; each of its attributes gets an index of its own.
CREATE INDEX trail_lookup_time ON trail_lookup (account_id, event_time);
CREATE INDEX trail_lookup_event_id ON trail_lookup (account_id, event_id, event_time);
CREATE INDEX trail_lookup_event_name ON trail_lookup (account_id, event_name, event_time);
CREATE INDEX trail_lookup_read_only ON trail_lookup (account_id, read_only, event_time);
CREATE INDEX trail_lookup_username ON trail_lookup (account_id, username, event_time);
CREATE INDEX trail_lookup_event_source ON trail_lookup (account_id, event_source, event_time);
CREATE INDEX trail_lookup_access_key_id ON trail_lookup (account_id, access_key_id, event_time);
