-- Each account's latest credential report (GenerateCredentialReport). It lives in the database,
-- not in a server's memory, so that every server process on this file answers
-- GetCredentialReport with the same report; a new report replaces the account's row.
-- `generated_at` is in milliseconds since the epoch; `content` is the CSV text.

CREATE TABLE credential_reports (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  generated_at INTEGER NOT NULL,
  content TEXT NOT NULL
) STRICT;
