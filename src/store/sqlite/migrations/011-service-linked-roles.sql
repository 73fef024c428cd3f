-- Service-linked roles and STS preferences. A service-linked role is a row of `roles` (at the
-- path /aws-service-role/<service>/); what this family adds is the deletion task that
-- DeleteServiceLinkedRole leaves behind, which outlives the role (so it names the role rather
-- than referencing it), and the account's SetSecurityTokenServicePreferences choice.

CREATE TABLE service_linked_role_deletions (
  task_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  service_name TEXT NOT NULL CHECK (length(service_name) > 0),
  role_name TEXT NOT NULL CHECK (length(role_name) > 0),
  status TEXT NOT NULL CHECK (status IN ('SUCCEEDED', 'IN_PROGRESS', 'FAILED', 'NOT_STARTED')),
  reason TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX service_linked_role_deletions_account ON service_linked_role_deletions (account_id);

-- One row per account that set its preferences; an account without one has AWS's default.
CREATE TABLE sts_preferences (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  global_endpoint_token_version TEXT NOT NULL
    CHECK (global_endpoint_token_version IN ('v1Token', 'v2Token')),
  updated_at INTEGER NOT NULL
) STRICT;
