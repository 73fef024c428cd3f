-- SQLite 015: account properties (IAM GetAccountProperties, PutAccountProperties): per account,
-- the value of each property it has set, its key `Namespace/PropertyName` kept as its two parts.
CREATE TABLE account_properties (
  account_id ctext NOT NULL REFERENCES accounts (account_id),
  namespace ctext NOT NULL CHECK (length(namespace) > 0 AND namespace NOT LIKE '%/%'),
  name ctext NOT NULL CHECK (length(name) > 0 AND name NOT LIKE '%/%'),
  value ctext NOT NULL CHECK (length(value) > 0),
  PRIMARY KEY (account_id, namespace, name)
);
