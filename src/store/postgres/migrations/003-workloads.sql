-- SQLite 013: workloads bound to roles (Gatehouse's own family). `token_hash` is the SHA-256 of
-- the token's secret part, never the token; the role is named by ARN, not referenced.
CREATE TABLE workloads (
  workload_id ctext PRIMARY KEY CHECK (workload_id LIKE 'GWKL%'),
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  name ctext NOT NULL CHECK (length(name) > 0),
  name_key ctext NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  role_arn ctext NOT NULL CHECK (length(role_arn) > 0),
  token_hash BYTEA NOT NULL CHECK (length(token_hash) = 32),
  duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds > 0),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX workloads_name ON workloads (account_id, name_key);
