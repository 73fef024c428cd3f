-- SSH public keys and signing certificates of users.
--
-- Both belong to a user by its unique id, so a rename keeps them. The user references have no
-- ON DELETE: like access keys, both must be deleted before their user (AWS's DeleteConflict),
-- and the foreign key refuses a user's deletion the code failed to refuse. Bodies are kept as
-- uploaded; `fingerprint` is what the handler computed from the key or certificate, and what
-- makes two uploads the same one. Times are milliseconds since the epoch.

-- SSH public keys (for CodeCommit) are an IAM user's only: there is no root user's key. A user
-- cannot have one key twice (DuplicateSSHPublicKey).
CREATE TABLE ssh_public_keys (
  ssh_public_key_id TEXT PRIMARY KEY CHECK (ssh_public_key_id GLOB 'APKA*'),
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  user_id TEXT NOT NULL REFERENCES users (user_id),
  body TEXT NOT NULL CHECK (length(body) > 0),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) > 0),
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  uploaded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX ssh_public_keys_material ON ssh_public_keys (user_id, fingerprint);

-- Signing certificates of IAM users, and of the root user (user_id NULL). One certificate is
-- associated with at most one user of an account (DuplicateCertificate), root included.
CREATE TABLE signing_certificates (
  certificate_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  user_id TEXT REFERENCES users (user_id),
  body TEXT NOT NULL CHECK (length(body) > 0),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) > 0),
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  uploaded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX signing_certificates_material ON signing_certificates (account_id, fingerprint);
CREATE INDEX signing_certificates_owner ON signing_certificates (account_id, user_id);
