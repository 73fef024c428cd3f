-- Account properties (IAM GetAccountProperties, PutAccountProperties): per account, the value of
-- each property it has set, its key `Namespace/PropertyName` kept as its two parts. Only what an
-- account set has a row: a property's value before that (its default) is the service's to say,
-- as is which namespaces and properties exist and what their values must look like.

CREATE TABLE account_properties (
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  namespace TEXT NOT NULL CHECK (length(namespace) > 0 AND namespace NOT GLOB '*/*'),
  name TEXT NOT NULL CHECK (length(name) > 0 AND name NOT GLOB '*/*'),
  value TEXT NOT NULL CHECK (length(value) > 0),
  PRIMARY KEY (account_id, namespace, name)
) STRICT;
