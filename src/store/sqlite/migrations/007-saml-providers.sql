-- SAML identity providers.
--
-- A provider is named by its name (the last part of its ARN), unique per account without regard
-- to case through `name_key`, as the names of the other entities are. `provider_id` is only this
-- database's key, so that private keys and tags go with their provider (ON DELETE CASCADE);
-- `provider_uuid` is AWS's SAMLProviderUUID. Times are milliseconds since the epoch.

CREATE TABLE saml_providers (
  provider_id INTEGER PRIMARY KEY,
  provider_uuid TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  metadata_document TEXT NOT NULL,
  valid_until INTEGER NOT NULL,
  assertion_encryption_mode TEXT NOT NULL
    CHECK (assertion_encryption_mode IN ('Required', 'Allowed')),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX saml_providers_name ON saml_providers (account_id, name_key);

-- Private keys that decrypt a provider's encrypted assertions. The PEM is sealed with the master
-- key and bound to its key id (secret-box), as access keys' secrets are: it is never stored in
-- the clear and never returned by the API.
CREATE TABLE saml_provider_private_keys (
  key_id TEXT PRIMARY KEY,
  provider_id INTEGER NOT NULL REFERENCES saml_providers (provider_id) ON DELETE CASCADE,
  key_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX saml_provider_private_keys_provider ON saml_provider_private_keys (provider_id);

-- Tag keys of SAML providers compare with case (iam-guide id_tags), as those of policies do.
CREATE TABLE saml_provider_tags (
  provider_id INTEGER NOT NULL REFERENCES saml_providers (provider_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  value TEXT NOT NULL,
  PRIMARY KEY (provider_id, key)
) STRICT;
