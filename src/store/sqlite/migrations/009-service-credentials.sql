-- Service-specific credentials of IAM users: user names and passwords (CodeCommit, Amazon
-- Keyspaces) and long-term API keys (Amazon Bedrock, CloudWatch Logs).
--
-- A credential belongs to one user and one service. `service_user_name` is the name IAM
-- generated at creation (the ServiceUserName of a password, the ServiceCredentialAlias of an API
-- key), unique per account and service without regard to case. `api_key_prefix` is null for a
-- password and, for an API key, the text its secret begins with. The secret is AES-256-GCM
-- ciphertext (src/store/secret-box.ts) bound to the credential's id: never the secret itself.
-- `expires_at` is set only for an API key created with an age. The user reference has no ON
-- DELETE: a user with credentials cannot be deleted out from under them.

CREATE TABLE service_specific_credentials (
  credential_id TEXT PRIMARY KEY CHECK (credential_id GLOB 'ACCA*'),
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  user_id TEXT NOT NULL REFERENCES users (user_id),
  service_name TEXT NOT NULL CHECK (length(service_name) > 0),
  service_user_name TEXT NOT NULL CHECK (length(service_user_name) > 0),
  service_user_name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(service_user_name)) STORED,
  api_key_prefix TEXT CHECK (api_key_prefix IS NULL OR length(api_key_prefix) > 0),
  secret_sealed BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER CHECK (expires_at IS NULL OR (api_key_prefix IS NOT NULL AND expires_at > created_at))
) STRICT;
CREATE UNIQUE INDEX service_specific_credentials_name
  ON service_specific_credentials (account_id, service_name, service_user_name_key);
CREATE INDEX service_specific_credentials_user
  ON service_specific_credentials (user_id, service_name);
