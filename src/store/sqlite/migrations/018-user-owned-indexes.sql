-- A user's access keys and signing certificates by user_id alone: DeleteUser asks whether the
-- user still has any, and the foreign keys' own check on deleting a user asks again. The indexes
-- these tables had begin with account_id, so each of those lookups read the whole table: every
-- DeleteUser cost time in proportion to all the account's keys and certificates.
CREATE INDEX access_keys_user ON access_keys (user_id);
CREATE INDEX signing_certificates_user ON signing_certificates (user_id);
-- The one other reference no index began with: an account's SSH public keys.
CREATE INDEX ssh_public_keys_account ON ssh_public_keys (account_id);
