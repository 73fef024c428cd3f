-- Server certificates.
--
-- Named per account without regard to case through `name_key`, as the other entities are; the
-- id (ASCA...) is the AWS unique id. The private key is AES-256-GCM ciphertext
-- (src/store/secret-box.ts) bound to the certificate's id: never stored in clear. Times are
-- milliseconds since the epoch; `expires_at` is the certificate's notAfter.

CREATE TABLE server_certificates (
  server_certificate_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  name_key TEXT NOT NULL GENERATED ALWAYS AS (lower(name)) STORED,
  path TEXT NOT NULL CHECK (substr(path, 1, 1) = '/'),
  body TEXT NOT NULL,
  chain TEXT,
  private_key_sealed BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  uploaded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX server_certificates_name ON server_certificates (account_id, name_key);

-- Tag keys of server certificates compare with case (iam-guide id_tags), as those of policies do.
CREATE TABLE server_certificate_tags (
  server_certificate_id TEXT NOT NULL
    REFERENCES server_certificates (server_certificate_id) ON DELETE CASCADE,
  key TEXT NOT NULL CHECK (length(key) > 0),
  value TEXT NOT NULL,
  PRIMARY KEY (server_certificate_id, key)
) STRICT;
