-- SQLite 012: console sign-in. MFA for the root user, when each IAM user's password was last
-- used to sign in, and the failed sign-ins that lock a user name or a source address out for a
-- while. See src/store/sqlite/migrations/012-console-sign-in.sql for what each column means.

ALTER TABLE virtual_mfa_devices ADD COLUMN root_enabled_at BIGINT,
  ADD CHECK (root_enabled_at IS NULL OR user_id IS NULL);
CREATE INDEX virtual_mfa_devices_root ON virtual_mfa_devices (account_id)
  WHERE root_enabled_at IS NOT NULL;

CREATE TABLE password_uses (
  user_id ctext PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  last_used_at BIGINT NOT NULL
);

CREATE TABLE sign_in_failures (
  subject_hash ctext PRIMARY KEY CHECK (length(subject_hash) = 64),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  window_started_at BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL,
  lockouts INTEGER NOT NULL CHECK (lockouts >= 0),
  locked_until BIGINT
);
CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);
