-- The audit trail's digests: each seals the records appended since the previous one by naming
-- the chain's head hash, and is signed with the data directory's Ed25519 key (the format and the
-- signature are src/audit/trail-digest.ts's; the store keeps the signed text byte for byte, since
-- a signature covers bytes, not a re-serialisation). `sequence` is 1, 2, 3... in order of
-- sealing; `last_sequence` is the last trail_events sequence the digest covers, kept beside the
-- signed text only so that sealing can find where the next digest starts without parsing it.

CREATE TABLE trail_digests (
  sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
  last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0),
  body TEXT NOT NULL,
  signature TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Append-only like the events (and, like theirs, a signature rather than these triggers is what
-- shows tampering by someone who can write the file).
CREATE TRIGGER trail_digests_no_update BEFORE UPDATE ON trail_digests
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER trail_digests_no_delete BEFORE DELETE ON trail_digests
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
