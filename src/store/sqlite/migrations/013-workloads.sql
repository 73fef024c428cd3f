-- Workloads bound to roles: Gatehouse's own family, not an AWS API. The container credentials
-- endpoint gives a workload temporary credentials of its role on the token it was handed once,
-- at creation.
--
-- `token_hash` is the SHA-256 of the token's secret part (32 bytes), never the token: whoever
-- reads the database cannot present it. The token names the workload by `workload_id`, which a
-- name used again does not reuse. The role is named by ARN, not referenced: as with a container
-- task's role, deleting the role does not wait for its workloads (the endpoint then refuses
-- them), and a role made again at the same ARN serves them again. `duration_seconds` is null
-- for the default lifetime.

CREATE TABLE workloads (
  workload_id TEXT PRIMARY KEY CHECK (workload_id GLOB 'GWKL*'),
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  role_arn TEXT NOT NULL CHECK (length(role_arn) > 0),
  token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
  duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds > 0),
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX workloads_name ON workloads (account_id, name_key);
