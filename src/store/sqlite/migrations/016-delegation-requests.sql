-- Delegation requests (temporary access delegation to partners, IAM CreateDelegationRequest and
-- the calls that follow it) and the notifications their partners have not yet received.
--
-- A request's id is a UUID, its only name; the partner (requestor) account makes it, and the
-- owner account is the one it is targeted to or, once an identity associates it, that identity's.
-- `state` is the state last written, never EXPIRED: a request whose `expires_at` has passed is
-- expired, which the service reads off the time. `parameters` is the template's parameters as
-- JSON, `permission_policy` the template rendered with them, `approver` (JSON) what the accepting
-- identity was at acceptance. `token_hash` is the SHA-256 of the exchange token's secret part,
-- never the token. Times are milliseconds since the epoch.

CREATE TABLE delegation_requests (
  request_id TEXT PRIMARY KEY CHECK (length(request_id) BETWEEN 16 AND 128),
  requestor_account_id TEXT NOT NULL REFERENCES accounts (account_id),
  requestor_arn TEXT NOT NULL CHECK (length(requestor_arn) > 0),
  owner_account_id TEXT CHECK (owner_account_id IS NULL OR length(owner_account_id) = 12),
  owner_id TEXT,
  approver_id TEXT,
  approver TEXT,
  description TEXT NOT NULL,
  request_message TEXT,
  requestor_workflow_id TEXT NOT NULL CHECK (length(requestor_workflow_id) > 0),
  template_arn TEXT NOT NULL,
  parameters TEXT NOT NULL,
  permission_policy TEXT NOT NULL,
  redirect_url TEXT,
  notification_channel TEXT NOT NULL,
  session_duration INTEGER NOT NULL CHECK (session_duration BETWEEN 300 AND 43200),
  only_send_by_owner INTEGER NOT NULL CHECK (only_send_by_owner IN (0, 1)),
  state TEXT NOT NULL CHECK (
    state IN ('UNASSIGNED', 'ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED', 'REJECTED', 'FINALIZED')
  ),
  notes TEXT,
  rejection_reason TEXT,
  token_hash BLOB CHECK (token_hash IS NULL OR length(token_hash) = 32),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  finalized_at INTEGER
) STRICT;
CREATE UNIQUE INDEX delegation_requests_workflow
  ON delegation_requests (requestor_account_id, requestor_workflow_id);
CREATE INDEX delegation_requests_owner ON delegation_requests (owner_account_id);
CREATE INDEX delegation_requests_expiry ON delegation_requests (expires_at);

-- What IAM would publish to the partner's SNS topic, kept until the partner receives it (Gatehouse
-- has no SNS). `message` is sealed with the master key (secret-box, its context the request id):
-- the message that releases a request carries its exchange token.
CREATE TABLE delegation_notifications (
  notification_id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES delegation_requests (request_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  topic_arn TEXT NOT NULL,
  message BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX delegation_notifications_topic
  ON delegation_notifications (account_id, topic_arn, notification_id);
CREATE INDEX delegation_notifications_request ON delegation_notifications (request_id);
