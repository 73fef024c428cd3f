-- Outbound web identity federation (IAM EnableOutboundWebIdentityFederation, STS
-- GetWebIdentityToken): per account, whether JWT vending is on, the issuer's id (random, kept
-- for good once made, so that a trust configured elsewhere outlives a disable and enable), and
-- one signing key per algorithm AWS offers (ES384, RS256).
--
-- `private_key` is the key's PKCS#8 PEM sealed with the master key (secret-box, its context the
-- account and algorithm); `public_jwk` is the public half as JSON, what the issuer's JWKS serves.

CREATE TABLE outbound_issuers (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  issuer_id TEXT NOT NULL UNIQUE CHECK (length(issuer_id) > 0),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE outbound_signing_keys (
  account_id TEXT NOT NULL REFERENCES outbound_issuers (account_id),
  algorithm TEXT NOT NULL CHECK (algorithm IN ('ES384', 'RS256')),
  key_id TEXT NOT NULL UNIQUE CHECK (length(key_id) > 0),
  public_jwk TEXT NOT NULL,
  private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, algorithm)
) STRICT;
