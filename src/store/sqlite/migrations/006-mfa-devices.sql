-- Virtual MFA devices and their tags.
--
-- A device is named by its account, path and name; names are unique per account and path
-- without regard to case (`name_key`). The seed is AES-256-GCM ciphertext (src/store/secret-box.ts)
-- bound to the device's serial number: never the seed itself. A device is assigned exactly when
-- it has a user and an enable date. `last_step` is the TOTP time step of the newest code ever
-- accepted for it (kept across deactivation, so no code is accepted twice); `drift_steps` is the
-- device's clock less the server's as its last accepted codes showed. The user reference has no
-- ON DELETE: a user with a device cannot be deleted out from under it.

CREATE TABLE virtual_mfa_devices (
  device_id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (path GLOB '/*' AND path GLOB '*/'),
  seed_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  user_id TEXT REFERENCES users (user_id),
  enabled_at INTEGER,
  last_step INTEGER,
  drift_steps INTEGER NOT NULL DEFAULT 0,
  CHECK ((user_id IS NULL) = (enabled_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX virtual_mfa_devices_name ON virtual_mfa_devices (account_id, path, name_key);
CREATE INDEX virtual_mfa_devices_user ON virtual_mfa_devices (user_id) WHERE user_id IS NOT NULL;

-- Tag keys of virtual MFA devices compare with case (iam-guide id_tags).
CREATE TABLE virtual_mfa_device_tags (
  device_id INTEGER NOT NULL REFERENCES virtual_mfa_devices (device_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  value TEXT NOT NULL,
  PRIMARY KEY (device_id, key)
) STRICT;
