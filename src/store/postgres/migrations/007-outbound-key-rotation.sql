-- SQLite 017: outbound signing keys rotate. Per account and algorithm, the key that signs and
-- those it replaced, numbered by generation (0 for the keys 004 made); a replaced key keeps its
-- public half only (retired_at set, private_key null). See
-- src/store/sqlite/migrations/017-outbound-key-rotation.sql for what each column means.

ALTER TABLE outbound_signing_keys
  ADD COLUMN generation INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0),
  ADD COLUMN retired_at BIGINT,
  ALTER COLUMN private_key DROP NOT NULL,
  DROP CONSTRAINT outbound_signing_keys_pkey,
  ADD PRIMARY KEY (account_id, algorithm, generation),
  ADD CHECK ((retired_at IS NULL) = (private_key IS NOT NULL));
-- The default numbered the existing keys; every new key names its generation.
ALTER TABLE outbound_signing_keys ALTER COLUMN generation DROP DEFAULT;

CREATE UNIQUE INDEX outbound_signing_keys_signing ON outbound_signing_keys (account_id, algorithm)
  WHERE retired_at IS NULL;
