-- Account aliases (CreateAccountAlias). An account has at most one alias, so the account is the
-- primary key and a new alias replaces the account's row. An alias belongs to one account only,
-- as AWS's aliases are unique across all accounts: `alias_key`, the lower-cased alias, has a
-- unique index over the whole table, not per account.

CREATE TABLE account_aliases (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  alias TEXT NOT NULL CHECK (length(alias) > 0),
  alias_key TEXT NOT NULL GENERATED ALWAYS AS (lower(alias)) STORED
) STRICT;
CREATE UNIQUE INDEX account_aliases_alias ON account_aliases (alias_key);
