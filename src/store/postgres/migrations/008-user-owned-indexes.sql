-- SQLite 018: a user's access keys and signing certificates by user_id alone, for DeleteUser's
-- check of what the user still has and the foreign keys' check on delete (PostgreSQL indexes no
-- referencing column by itself). See src/store/sqlite/migrations/018-user-owned-indexes.sql.
CREATE INDEX access_keys_user ON access_keys (user_id);
CREATE INDEX signing_certificates_user ON signing_certificates (user_id);
-- The one other reference no index began with: an account's SSH public keys.
CREATE INDEX ssh_public_keys_account ON ssh_public_keys (account_id);
