-- The schema of the PostgreSQL store: the state SQLite's migrations 001 to 011
-- (src/store/sqlite/migrations/) produce, as one migration. A later change gets a new numbered
-- file in each backend's folder (SQLite's 012 and this folder's 002, and so on), so that the two
-- schemas stay alike.
--
-- The SQL operation code is shared with SQLite, so every table and column keeps its SQLite name
-- and meaning. The conventions of SQLite's 001 hold here too: unique ids are the primary keys,
-- `name_key` is the lower-cased name and a unique index on (account_id, name_key) makes names
-- unique without regard to case in the database itself; foreign keys guard every relation; only
-- tags and other parts go with their owner (ON DELETE CASCADE).
--
-- How SQLite's types map:
-- * Every text column is `ctext`, text in the "C" collation: ORDER BY, comparisons and lower() are
--   then bytewise and ASCII-only as in SQLite, whatever the database's locale. (In another
--   collation lower() also folds non-ASCII letters, and 'a' sorts before 'B': names unique in
--   SQLite would collide here, and pagination markers would follow another order.)
-- * Times are milliseconds since the epoch (BIGINT); flags stay integers 0/1, not booleans,
--   because the shared code reads and writes numbers.
-- * BLOB is BYTEA; GLOB checks are LIKE checks with the same meaning (no pattern here holds a
--   LIKE metacharacter); SQLite's INTEGER PRIMARY KEY is a BIGINT identity (the code takes the
--   new id from INSERT ... RETURNING instead of lastInsertRowid).
-- * Where the SQLite code reads the implicit `rowid` of a table without an INTEGER PRIMARY KEY,
--   the table has an explicit `rowid` identity column, so the statement is the same on both.

CREATE DOMAIN ctext AS text COLLATE "C";

CREATE TABLE store_meta (
  key ctext PRIMARY KEY,
  value BYTEA NOT NULL
);

CREATE TABLE accounts (
  account_id ctext PRIMARY KEY CHECK (account_id ~ '^[0-9]{12}$'),
  created_at BIGINT NOT NULL
);

CREATE TABLE policies (
  policy_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  description ctext,
  default_version INTEGER NOT NULL,
  next_version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX policies_name ON policies (account_id, name_key);

CREATE TABLE policy_versions (
  policy_id ctext NOT NULL REFERENCES policies (policy_id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version > 0),
  document ctext NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE users (
  user_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  boundary_policy_id ctext REFERENCES policies (policy_id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_name ON users (account_id, name_key);
CREATE INDEX users_boundary ON users (boundary_policy_id) WHERE boundary_policy_id IS NOT NULL;

CREATE TABLE groups (
  group_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX groups_name ON groups (account_id, name_key);

CREATE TABLE roles (
  role_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  assume_role_policy ctext NOT NULL,
  description ctext,
  max_session_duration INTEGER NOT NULL,
  boundary_policy_id ctext REFERENCES policies (policy_id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX roles_name ON roles (account_id, name_key);
CREATE INDEX roles_boundary ON roles (boundary_policy_id) WHERE boundary_policy_id IS NOT NULL;

CREATE TABLE instance_profiles (
  instance_profile_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX instance_profiles_name ON instance_profiles (account_id, name_key);

CREATE TABLE instance_profile_roles (
  instance_profile_id ctext NOT NULL REFERENCES instance_profiles (instance_profile_id),
  role_id ctext NOT NULL REFERENCES roles (role_id),
  PRIMARY KEY (instance_profile_id, role_id)
);
CREATE INDEX instance_profile_roles_role ON instance_profile_roles (role_id);

CREATE TABLE group_members (
  group_id ctext NOT NULL REFERENCES groups (group_id),
  user_id ctext NOT NULL REFERENCES users (user_id),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE user_attached_policies (
  user_id ctext NOT NULL REFERENCES users (user_id),
  policy_id ctext NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (user_id, policy_id)
);
CREATE INDEX user_attached_policies_policy ON user_attached_policies (policy_id);

CREATE TABLE group_attached_policies (
  group_id ctext NOT NULL REFERENCES groups (group_id),
  policy_id ctext NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (group_id, policy_id)
);
CREATE INDEX group_attached_policies_policy ON group_attached_policies (policy_id);

CREATE TABLE role_attached_policies (
  role_id ctext NOT NULL REFERENCES roles (role_id),
  policy_id ctext NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (role_id, policy_id)
);
CREATE INDEX role_attached_policies_policy ON role_attached_policies (policy_id);

-- Inline policy names are unique per holder with case; `size` counts non-whitespace characters.
-- INTEGER, so that sum(size) is a bigint the driver can read as a number, not a numeric.
CREATE TABLE user_inline_policies (
  user_id ctext NOT NULL REFERENCES users (user_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  document ctext NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (user_id, name)
);

CREATE TABLE group_inline_policies (
  group_id ctext NOT NULL REFERENCES groups (group_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  document ctext NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (group_id, name)
);

CREATE TABLE role_inline_policies (
  role_id ctext NOT NULL REFERENCES roles (role_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  document ctext NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (role_id, name)
);

-- A key with no user_id is the account root user's. The secret is AES-256-GCM ciphertext
-- (src/store/secret-box.ts), bound to the key id: never the secret itself.
CREATE TABLE access_keys (
  access_key_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  user_id ctext REFERENCES users (user_id),
  status ctext NOT NULL CHECK (status IN ('Active', 'Inactive')),
  secret_sealed BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  last_used_region ctext,
  last_used_service ctext
);
CREATE INDEX access_keys_owner ON access_keys (account_id, user_id);

-- Tag keys of users and roles are unique without case, those of policies and instance
-- profiles with case (iam-guide id_tags): `key_norm` says which, per table.
CREATE TABLE user_tags (
  user_id ctext NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  key_norm ctext NOT NULL GENERATED ALWAYS AS (lower(key)) STORED,
  value ctext NOT NULL
);
CREATE UNIQUE INDEX user_tags_key ON user_tags (user_id, key_norm);

CREATE TABLE role_tags (
  role_id ctext NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  key_norm ctext NOT NULL GENERATED ALWAYS AS (lower(key)) STORED,
  value ctext NOT NULL
);
CREATE UNIQUE INDEX role_tags_key ON role_tags (role_id, key_norm);

CREATE TABLE policy_tags (
  policy_id ctext NOT NULL REFERENCES policies (policy_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  key_norm ctext NOT NULL GENERATED ALWAYS AS (key) STORED,
  value ctext NOT NULL
);
CREATE UNIQUE INDEX policy_tags_key ON policy_tags (policy_id, key_norm);

CREATE TABLE instance_profile_tags (
  instance_profile_id ctext NOT NULL
    REFERENCES instance_profiles (instance_profile_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  key_norm ctext NOT NULL GENERATED ALWAYS AS (key) STORED,
  value ctext NOT NULL
);
CREATE UNIQUE INDEX instance_profile_tags_key ON instance_profile_tags (instance_profile_id, key_norm);

-- SQLite 002: each account's latest credential report; a new report replaces the account's row.
CREATE TABLE credential_reports (
  account_id ctext PRIMARY KEY REFERENCES accounts (account_id),
  generated_at BIGINT NOT NULL,
  content ctext NOT NULL
);

-- SQLite 003: at most one alias per account, and an alias belongs to one account only (AWS's
-- aliases are unique across all accounts), so `alias_key` is unique over the whole table.
CREATE TABLE account_aliases (
  account_id ctext PRIMARY KEY REFERENCES accounts (account_id),
  alias ctext NOT NULL CHECK (length(alias) > 0),
  alias_key ctext NOT NULL GENERATED ALWAYS AS (lower(alias)) STORED
);
CREATE UNIQUE INDEX account_aliases_alias ON account_aliases (alias_key);

-- SQLite 004: the account password policy, login profiles and passwords. Passwords are kept only
-- as scrypt hashes (src/auth/password-hash.ts): every hash column must have that form, so a bug
-- that handed the store a password would fail here instead of storing it. NULL bounds are "not
-- set".
CREATE TABLE account_password_policies (
  account_id ctext PRIMARY KEY REFERENCES accounts (account_id),
  minimum_password_length INTEGER NOT NULL CHECK (minimum_password_length BETWEEN 6 AND 128),
  require_symbols INTEGER NOT NULL CHECK (require_symbols IN (0, 1)),
  require_numbers INTEGER NOT NULL CHECK (require_numbers IN (0, 1)),
  require_uppercase INTEGER NOT NULL CHECK (require_uppercase IN (0, 1)),
  require_lowercase INTEGER NOT NULL CHECK (require_lowercase IN (0, 1)),
  allow_users_to_change INTEGER NOT NULL CHECK (allow_users_to_change IN (0, 1)),
  max_password_age INTEGER CHECK (max_password_age BETWEEN 1 AND 1095),
  password_reuse_prevention INTEGER CHECK (password_reuse_prevention BETWEEN 1 AND 24),
  hard_expiry INTEGER NOT NULL CHECK (hard_expiry IN (0, 1))
);

-- No ON DELETE CASCADE: like access keys, a login profile must be deleted before its user (AWS's
-- DeleteConflict), and the foreign key refuses a user's deletion the code failed to refuse.
CREATE TABLE login_profiles (
  user_id ctext PRIMARY KEY REFERENCES users (user_id),
  password_hash ctext NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
  password_reset_required INTEGER NOT NULL CHECK (password_reset_required IN (0, 1)),
  created_at BIGINT NOT NULL,
  password_set_at BIGINT NOT NULL
);

-- Every password a user was given, newest last by `seq`; it outlives the login profile and goes
-- with the user.
CREATE TABLE password_history (
  user_id ctext NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq > 0),
  password_hash ctext NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
  set_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, seq)
);

-- SQLite 005: OpenID Connect providers. `provider_id` is only this database's key, so that
-- client ids, thumbprints and tags go with their provider.
CREATE TABLE oidc_providers (
  provider_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX oidc_providers_name ON oidc_providers (account_id, name_key);

-- Client ids compare with case, each once per provider; `position` keeps the order they were
-- added in.
CREATE TABLE oidc_provider_client_ids (
  provider_id BIGINT NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  client_id ctext NOT NULL CHECK (length(client_id) > 0),
  position INTEGER NOT NULL,
  PRIMARY KEY (provider_id, client_id)
);

CREATE TABLE oidc_provider_thumbprints (
  provider_id BIGINT NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  thumbprint ctext NOT NULL,
  PRIMARY KEY (provider_id, position)
);

CREATE TABLE oidc_provider_tags (
  provider_id BIGINT NOT NULL REFERENCES oidc_providers (provider_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  value ctext NOT NULL,
  PRIMARY KEY (provider_id, key)
);

-- SQLite 006: virtual MFA devices. A device is assigned exactly when it has a user and an enable
-- date. `last_step` is a TOTP time step, BIGINT like the times it derives from. The user
-- reference has no ON DELETE: a user with a device cannot be deleted out from under it.
CREATE TABLE virtual_mfa_devices (
  device_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (path LIKE '/%' AND path LIKE '%/'),
  seed_sealed BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  user_id ctext REFERENCES users (user_id),
  enabled_at BIGINT,
  last_step BIGINT,
  drift_steps INTEGER NOT NULL DEFAULT 0,
  CHECK ((user_id IS NULL) = (enabled_at IS NULL))
);
CREATE UNIQUE INDEX virtual_mfa_devices_name ON virtual_mfa_devices (account_id, path, name_key);
CREATE INDEX virtual_mfa_devices_user ON virtual_mfa_devices (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE virtual_mfa_device_tags (
  device_id BIGINT NOT NULL REFERENCES virtual_mfa_devices (device_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  value ctext NOT NULL,
  PRIMARY KEY (device_id, key)
);

-- SQLite 007: SAML providers. `provider_id` is only this database's key; `provider_uuid` is
-- AWS's SAMLProviderUUID.
CREATE TABLE saml_providers (
  provider_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  provider_uuid ctext NOT NULL UNIQUE,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  metadata_document ctext NOT NULL,
  valid_until BIGINT NOT NULL,
  assertion_encryption_mode ctext NOT NULL
    CHECK (assertion_encryption_mode IN ('Required', 'Allowed')),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saml_providers_name ON saml_providers (account_id, name_key);

-- The PEM is sealed with the master key and bound to its key id, never stored in the clear.
-- `rowid` stands in for SQLite's implicit one: the keys are listed ORDER BY created_at, rowid
-- (src/store/sqlite/saml-providers.ts), i.e. in insertion order within one millisecond.
CREATE TABLE saml_provider_private_keys (
  key_id ctext PRIMARY KEY,
  provider_id BIGINT NOT NULL REFERENCES saml_providers (provider_id) ON DELETE CASCADE,
  key_sealed BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX saml_provider_private_keys_provider ON saml_provider_private_keys (provider_id);

CREATE TABLE saml_provider_tags (
  provider_id BIGINT NOT NULL REFERENCES saml_providers (provider_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  value ctext NOT NULL,
  PRIMARY KEY (provider_id, key)
);

-- SQLite 008: SSH public keys and signing certificates of users. The user references have no
-- ON DELETE: both must be deleted before their user (AWS's DeleteConflict). `fingerprint` is what
-- makes two uploads the same one.
CREATE TABLE ssh_public_keys (
  ssh_public_key_id ctext PRIMARY KEY CHECK (ssh_public_key_id LIKE 'APKA%'),
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  user_id ctext NOT NULL REFERENCES users (user_id),
  body ctext NOT NULL CHECK (length(body) > 0),
  fingerprint ctext NOT NULL CHECK (length(fingerprint) > 0),
  status ctext NOT NULL CHECK (status IN ('Active', 'Inactive')),
  uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ssh_public_keys_material ON ssh_public_keys (user_id, fingerprint);

-- The root user's certificates have user_id NULL. One certificate is associated with at most one
-- user of an account, root included.
CREATE TABLE signing_certificates (
  certificate_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  user_id ctext REFERENCES users (user_id),
  body ctext NOT NULL CHECK (length(body) > 0),
  fingerprint ctext NOT NULL CHECK (length(fingerprint) > 0),
  status ctext NOT NULL CHECK (status IN ('Active', 'Inactive')),
  uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX signing_certificates_material ON signing_certificates (account_id, fingerprint);
CREATE INDEX signing_certificates_owner ON signing_certificates (account_id, user_id);

-- SQLite 009: service-specific credentials. `service_user_name` is unique per account and service
-- without regard to case; `api_key_prefix` is null for a password. The secret is sealed and bound
-- to the credential's id. The user reference has no ON DELETE.
-- `rowid` stands in for SQLite's implicit one: the list's sort key orders credentials created in
-- one millisecond by it (src/store/sqlite/service-credentials.ts, `c.rowid`), i.e. by insertion.
CREATE TABLE service_specific_credentials (
  credential_id ctext PRIMARY KEY CHECK (credential_id LIKE 'ACCA%'),
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  user_id ctext NOT NULL REFERENCES users (user_id),
  service_name ctext NOT NULL CHECK (length(service_name) > 0),
  service_user_name ctext NOT NULL CHECK (length(service_user_name) > 0),
  service_user_name_key ctext NOT NULL GENERATED ALWAYS AS (lower(service_user_name)) STORED,
  api_key_prefix ctext CHECK (api_key_prefix IS NULL OR length(api_key_prefix) > 0),
  secret_sealed BYTEA NOT NULL,
  status ctext NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT
    CHECK (expires_at IS NULL OR (api_key_prefix IS NOT NULL AND expires_at > created_at)),
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE UNIQUE INDEX service_specific_credentials_name
  ON service_specific_credentials (account_id, service_name, service_user_name_key);
CREATE INDEX service_specific_credentials_user
  ON service_specific_credentials (user_id, service_name);

-- SQLite 010: server certificates. The private key is sealed and bound to the certificate's id;
-- `expires_at` is the certificate's notAfter.
CREATE TABLE server_certificates (
  server_certificate_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path ctext NOT NULL CHECK (substr(path, 1, 1) = '/'),
  body ctext NOT NULL,
  chain ctext,
  private_key_sealed BYTEA NOT NULL,
  expires_at BIGINT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX server_certificates_name ON server_certificates (account_id, name_key);

CREATE TABLE server_certificate_tags (
  server_certificate_id ctext NOT NULL
    REFERENCES server_certificates (server_certificate_id) ON DELETE CASCADE,
  key ctext NOT NULL CHECK (length(key) > 0),
  value ctext NOT NULL,
  PRIMARY KEY (server_certificate_id, key)
);

-- SQLite 011: the deletion tasks DeleteServiceLinkedRole leaves behind (they outlive the role, so
-- they name it rather than reference it) and each account's STS preferences.
CREATE TABLE service_linked_role_deletions (
  task_id ctext PRIMARY KEY,
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  service_name ctext NOT NULL CHECK (length(service_name) > 0),
  role_name ctext NOT NULL CHECK (length(role_name) > 0),
  status ctext NOT NULL CHECK (status IN ('SUCCEEDED', 'IN_PROGRESS', 'FAILED', 'NOT_STARTED')),
  reason ctext,
  created_at BIGINT NOT NULL
);
CREATE INDEX service_linked_role_deletions_account ON service_linked_role_deletions (account_id);

CREATE TABLE sts_preferences (
  account_id ctext PRIMARY KEY REFERENCES accounts (account_id),
  global_endpoint_token_version ctext NOT NULL
    CHECK (global_endpoint_token_version IN ('v1Token', 'v2Token')),
  updated_at BIGINT NOT NULL
);
