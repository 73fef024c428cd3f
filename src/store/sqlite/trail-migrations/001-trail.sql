-- The audit trail: its own database file, append-only, one row per API call.
--
-- `sequence` is the trail's one order (1, 2, 3... as appended) and the rowid, so every index
-- below ends in it implicitly and serves LookupEvents' order (event_time desc, sequence desc)
-- without sorting. `hash` chains each record to the one before (hex SHA-256 of the previous
-- hash, a newline and `record`; the first event's previous hash is 64 zeros). Times are
-- milliseconds since the epoch; `resources` is the JSON array LookupEvents returns.

CREATE TABLE trail_events (
  sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
  event_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  event_source TEXT NOT NULL,
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  username TEXT,
  access_key_id TEXT,
  resources TEXT NOT NULL CHECK (json_valid(resources) AND json_type(resources) = 'array'),
  account_id TEXT,
  record TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

-- LookupEvents always names an account; each of its attributes gets an index of its own.
CREATE INDEX trail_events_time ON trail_events (account_id, event_time);
CREATE INDEX trail_events_event_id ON trail_events (account_id, event_id, event_time);
CREATE INDEX trail_events_event_name ON trail_events (account_id, event_name, event_time);
CREATE INDEX trail_events_read_only ON trail_events (account_id, read_only, event_time);
CREATE INDEX trail_events_username ON trail_events (account_id, username, event_time);
CREATE INDEX trail_events_event_source ON trail_events (account_id, event_source, event_time);
CREATE INDEX trail_events_access_key_id ON trail_events (account_id, access_key_id, event_time);

-- The resources again, one row each, because SQLite cannot index inside a JSON array:
-- ResourceType and ResourceName match any of an event's resources. Only events with an account
-- are here, as only they can be looked up.
CREATE TABLE trail_event_resources (
  sequence INTEGER NOT NULL REFERENCES trail_events (sequence),
  position INTEGER NOT NULL CHECK (position >= 0),
  account_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (sequence, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX trail_event_resources_type
  ON trail_event_resources (account_id, type, event_time, sequence);
CREATE INDEX trail_event_resources_name
  ON trail_event_resources (account_id, name, event_time, sequence);

-- Append-only in the schema itself, not only in code. (The hash chain, not these triggers, is
-- what shows tampering by someone who can write the file.)
CREATE TRIGGER trail_events_no_update BEFORE UPDATE ON trail_events
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER trail_events_no_delete BEFORE DELETE ON trail_events
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER trail_event_resources_no_update BEFORE UPDATE ON trail_event_resources
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER trail_event_resources_no_delete BEFORE DELETE ON trail_event_resources
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
