-- The IAM entities of every account and their relations.
--
-- Conventions: unique ids (AIDA..., AROA...) are the primary keys, so a rename keeps every
-- reference; `name_key` is the lower-cased name, and a unique index on (account_id, name_key)
-- makes names unique without regard to case in the database itself; times are milliseconds
-- since the epoch. Foreign keys guard every relation: deleting an entity that something still
-- refers to fails here even if the code forgot to check. Only tags and policy versions go with
-- their owner (ON DELETE CASCADE), as they do in IAM.

CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;

CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE policies (
  policy_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  description TEXT,
  default_version INTEGER NOT NULL,
  next_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX policies_name ON policies (account_id, name_key);

CREATE TABLE policy_versions (
  policy_id TEXT NOT NULL REFERENCES policies (policy_id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version > 0),
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (policy_id, version)
) STRICT;

CREATE TABLE users (
  user_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  boundary_policy_id TEXT REFERENCES policies (policy_id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_name ON users (account_id, name_key);
CREATE INDEX users_boundary ON users (boundary_policy_id) WHERE boundary_policy_id IS NOT NULL;

CREATE TABLE groups (
  group_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX groups_name ON groups (account_id, name_key);

CREATE TABLE roles (
  role_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  assume_role_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL,
  boundary_policy_id TEXT REFERENCES policies (policy_id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX roles_name ON roles (account_id, name_key);
CREATE INDEX roles_boundary ON roles (boundary_policy_id) WHERE boundary_policy_id IS NOT NULL;

CREATE TABLE instance_profiles (
  instance_profile_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX instance_profiles_name ON instance_profiles (account_id, name_key);

CREATE TABLE instance_profile_roles (
  instance_profile_id TEXT NOT NULL REFERENCES instance_profiles (instance_profile_id),
  role_id TEXT NOT NULL REFERENCES roles (role_id),
  PRIMARY KEY (instance_profile_id, role_id)
) STRICT;
CREATE INDEX instance_profile_roles_role ON instance_profile_roles (role_id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups (group_id),
  user_id TEXT NOT NULL REFERENCES users (user_id),
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE user_attached_policies (
  user_id TEXT NOT NULL REFERENCES users (user_id),
  policy_id TEXT NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (user_id, policy_id)
) STRICT;
CREATE INDEX user_attached_policies_policy ON user_attached_policies (policy_id);

CREATE TABLE group_attached_policies (
  group_id TEXT NOT NULL REFERENCES groups (group_id),
  policy_id TEXT NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (group_id, policy_id)
) STRICT;
CREATE INDEX group_attached_policies_policy ON group_attached_policies (policy_id);

CREATE TABLE role_attached_policies (
  role_id TEXT NOT NULL REFERENCES roles (role_id),
  policy_id TEXT NOT NULL REFERENCES policies (policy_id),
  PRIMARY KEY (role_id, policy_id)
) STRICT;
CREATE INDEX role_attached_policies_policy ON role_attached_policies (policy_id);

-- Inline policy names are unique per holder with case; `size` counts non-whitespace characters.
CREATE TABLE user_inline_policies (
  user_id TEXT NOT NULL REFERENCES users (user_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  document TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (user_id, name)
) STRICT;

CREATE TABLE group_inline_policies (
  group_id TEXT NOT NULL REFERENCES groups (group_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  document TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (group_id, name)
) STRICT;

CREATE TABLE role_inline_policies (
  role_id TEXT NOT NULL REFERENCES roles (role_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  document TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (role_id, name)
) STRICT;

-- A key with no user_id is the account root user's. The secret is AES-256-GCM ciphertext
-- (src/store/secret-box.ts), bound to the key id: never the secret itself.
CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  user_id TEXT REFERENCES users (user_id),
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  secret_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  last_used_region TEXT,
  last_used_service TEXT
) STRICT;
CREATE INDEX access_keys_owner ON access_keys (account_id, user_id);

-- Tag keys of users and roles are unique without case, those of policies and instance
-- profiles with case (iam-guide id_tags): `key_norm` says which, per table.
CREATE TABLE user_tags (
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  key_norm TEXT NOT NULL GENERATED ALWAYS AS (lower(key)) STORED,
  value TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX user_tags_key ON user_tags (user_id, key_norm);

CREATE TABLE role_tags (
  role_id TEXT NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  key_norm TEXT NOT NULL GENERATED ALWAYS AS (lower(key)) STORED,
  value TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX role_tags_key ON role_tags (role_id, key_norm);

CREATE TABLE policy_tags (
  policy_id TEXT NOT NULL REFERENCES policies (policy_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  key_norm TEXT NOT NULL GENERATED ALWAYS AS (key) STORED,
  value TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX policy_tags_key ON policy_tags (policy_id, key_norm);

CREATE TABLE instance_profile_tags (
  instance_profile_id TEXT NOT NULL
    REFERENCES instance_profiles (instance_profile_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  key_norm TEXT NOT NULL GENERATED ALWAYS AS (key) STORED,
  value TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX instance_profile_tags_key ON instance_profile_tags (instance_profile_id, key_norm);
