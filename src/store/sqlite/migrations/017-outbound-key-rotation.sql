-- Outbound web identity federation: signing keys rotate. An account keeps, per algorithm, the
-- key that signs and those it replaced, numbered by `generation` (0 for the keys 014 made);
-- `retired_at` is when a newer key replaced a key (null for the one that signs), whose private
-- half is deleted then: a retired key only verifies, through the issuer's JWKS, until the
-- tokens it signed have expired and it is pruned. At most one key per algorithm signs.
--
-- SQLite cannot change a primary key in place: the table is made again and its rows copied.

CREATE TABLE outbound_signing_keys_017 (
  account_id TEXT NOT NULL REFERENCES outbound_issuers (account_id),
  algorithm TEXT NOT NULL CHECK (algorithm IN ('ES384', 'RS256')),
  generation INTEGER NOT NULL CHECK (generation >= 0),
  key_id TEXT NOT NULL UNIQUE CHECK (length(key_id) > 0),
  public_jwk TEXT NOT NULL,
  private_key BLOB,
  created_at INTEGER NOT NULL,
  retired_at INTEGER,
  PRIMARY KEY (account_id, algorithm, generation),
  CHECK ((retired_at IS NULL) = (private_key IS NOT NULL))
) STRICT;

INSERT INTO outbound_signing_keys_017
  (account_id, algorithm, generation, key_id, public_jwk, private_key, created_at, retired_at)
SELECT account_id, algorithm, 0, key_id, public_jwk, private_key, created_at, NULL
FROM outbound_signing_keys;

DROP TABLE outbound_signing_keys;
ALTER TABLE outbound_signing_keys_017 RENAME TO outbound_signing_keys;

CREATE UNIQUE INDEX outbound_signing_keys_signing ON outbound_signing_keys (account_id, algorithm)
  WHERE retired_at IS NULL;
