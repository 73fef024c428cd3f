-- The account password policy, login profiles and passwords.
--
-- Passwords are kept only as scrypt hashes (src/auth/password-hash.ts): every hash column must
-- have that form, so a bug that handed the store a password would fail here instead of storing
-- it. Booleans are 0 or 1; times are milliseconds since the epoch.

-- Each account's password policy (UpdateAccountPasswordPolicy); a new policy replaces the
-- account's row. The bounds are the model's (minimumPasswordLengthType, maxPasswordAgeType,
-- passwordReusePreventionType); NULL is "not set".
CREATE TABLE account_password_policies (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  minimum_password_length INTEGER NOT NULL CHECK (minimum_password_length BETWEEN 6 AND 128),
  require_symbols INTEGER NOT NULL CHECK (require_symbols IN (0, 1)),
  require_numbers INTEGER NOT NULL CHECK (require_numbers IN (0, 1)),
  require_uppercase INTEGER NOT NULL CHECK (require_uppercase IN (0, 1)),
  require_lowercase INTEGER NOT NULL CHECK (require_lowercase IN (0, 1)),
  allow_users_to_change INTEGER NOT NULL CHECK (allow_users_to_change IN (0, 1)),
  max_password_age INTEGER CHECK (max_password_age BETWEEN 1 AND 1095),
  password_reuse_prevention INTEGER CHECK (password_reuse_prevention BETWEEN 1 AND 24),
  hard_expiry INTEGER NOT NULL CHECK (hard_expiry IN (0, 1))
) STRICT;

-- A user's login profile: at most one, keyed by the user's unique id so that a rename keeps it.
-- No ON DELETE CASCADE: like access keys, a login profile must be deleted before its user (AWS's
-- DeleteConflict), and the foreign key refuses a user's deletion the code failed to refuse.
CREATE TABLE login_profiles (
  user_id TEXT PRIMARY KEY REFERENCES users (user_id),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$scrypt$*'),
  password_reset_required INTEGER NOT NULL CHECK (password_reset_required IN (0, 1)),
  created_at INTEGER NOT NULL,
  password_set_at INTEGER NOT NULL
) STRICT;

-- Every password a user was given, newest last by `seq`, for PasswordReusePrevention; only the
-- latest 24 are kept. It belongs to the user, not to the login profile: it outlives the profile
-- and goes with the user.
CREATE TABLE password_history (
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq > 0),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$scrypt$*'),
  set_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, seq)
) STRICT;
