-- OpenID Connect identity providers.
--
-- A provider has no AWS unique id: it is named by its URL without `https://` (`name`, the last
-- part of its ARN), unique per account without regard to case through `name_key`, as the names
-- of the other entities are. `provider_id` is only this database's key, so that client ids,
-- thumbprints and tags go with their provider (ON DELETE CASCADE). Times are milliseconds since
-- the epoch.

CREATE TABLE oidc_providers (
  provider_id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX oidc_providers_name ON oidc_providers (account_id, name_key);

-- Client ids (audiences) compare with case, each once per provider; `position` keeps the order
-- they were added in, which GetOpenIDConnectProvider lists them in.
CREATE TABLE oidc_provider_client_ids (
  provider_id INTEGER NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL CHECK (length(client_id) > 0),
  position INTEGER NOT NULL,
  PRIMARY KEY (provider_id, client_id)
) STRICT;

-- The thumbprint list as last given (UpdateOpenIDConnectProviderThumbprint replaces it whole).
CREATE TABLE oidc_provider_thumbprints (
  provider_id INTEGER NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  thumbprint TEXT NOT NULL,
  PRIMARY KEY (provider_id, position)
) STRICT;

-- Tag keys of OIDC providers compare with case (iam-guide id_tags), as those of policies do.
CREATE TABLE oidc_provider_tags (
  provider_id INTEGER NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  value TEXT NOT NULL,
  PRIMARY KEY (provider_id, key)
) STRICT;
