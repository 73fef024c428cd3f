-- Console sign-in: MFA for the root user, when each IAM user's password was last used to sign
-- in, and the failed sign-ins that lock a user name or a source address out for a while.
-- Times are milliseconds since the epoch.

-- A virtual MFA device enabled for the account's root user: the root user is no row of `users`,
-- so such a device has no user_id and its enable date is root_enabled_at instead. A device is
-- enabled for at most one of an IAM user and the root user; enabled_at stays the IAM user's.
ALTER TABLE virtual_mfa_devices ADD COLUMN root_enabled_at INTEGER
  CHECK (root_enabled_at IS NULL OR user_id IS NULL);
CREATE INDEX virtual_mfa_devices_root ON virtual_mfa_devices (account_id)
  WHERE root_enabled_at IS NOT NULL;

-- PasswordLastUsed: the first sign-in with the user's password in each five-minute span (the
-- model's documentation of the member). It belongs to the user, not to its login profile: it
-- outlives a deleted password and goes with the user.
CREATE TABLE password_uses (
  user_id TEXT PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
  last_used_at INTEGER NOT NULL
) STRICT;

-- Failed console sign-ins of one subject (a user name of an account, whether or not such a
-- user exists, or a source address), for the lockout. The subject is kept as its SHA-256 in hex,
-- not as typed: people type passwords into user name fields. `failures` counts those of the
-- window that began at window_started_at; `lockouts` counts the locks since the subject was
-- last quiet for a day, each twice as long as the one before; locked_until is when the current
-- lock ends, null while there is none.
CREATE TABLE sign_in_failures (
  subject_hash TEXT PRIMARY KEY CHECK (length(subject_hash) = 64),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  window_started_at INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  lockouts INTEGER NOT NULL CHECK (lockouts >= 0),
  locked_until INTEGER
) STRICT;
CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);
