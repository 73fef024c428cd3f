-- SQLite 014: outbound web identity federation. Per account, whether JWT vending is on, the
-- issuer's stable id, and one signing key per algorithm (ES384, RS256), the private half sealed
-- with the master key.
CREATE TABLE outbound_issuers (
  account_id ctext PRIMARY KEY REFERENCES accounts (account_id),
  issuer_id ctext NOT NULL UNIQUE CHECK (length(issuer_id) > 0),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE outbound_signing_keys (
  account_id ctext NOT NULL REFERENCES outbound_issuers (account_id),
  algorithm ctext NOT NULL CHECK (algorithm IN ('ES384', 'RS256')),
  key_id ctext NOT NULL UNIQUE CHECK (length(key_id) > 0),
  public_jwk ctext NOT NULL,
  private_key BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, algorithm)
);
