-- Access Advisor's data, beside the trail it is derived from.
--
-- trail_access keeps, for each entity (a user's or role's unique id) and each action it
-- attempted, the newest attempt only: the trail itself holds every one, but a report must not
-- read the whole trail. Appends update it in the same transaction as the events, so it is never
-- behind them. It is derived data, outside the hash chain, and may be rebuilt from the trail.
CREATE TABLE trail_access (
  account_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  service TEXT NOT NULL,
  action TEXT NOT NULL,
  last_time INTEGER NOT NULL,
  region TEXT NOT NULL,
  PRIMARY KEY (account_id, entity_id, service, action)
) STRICT, WITHOUT ROWID;

-- GenerateServiceLastAccessedDetails' jobs. `result` is the report (JSON) once COMPLETED, or the
-- error once FAILED; times are milliseconds since the epoch.
CREATE TABLE access_jobs (
  job_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  entity_arn TEXT NOT NULL,
  granularity TEXT NOT NULL CHECK (granularity IN ('SERVICE_LEVEL', 'ACTION_LEVEL')),
  owner_arn TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED', 'FAILED')),
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  result TEXT,
  CHECK ((status = 'IN_PROGRESS') = (completed_at IS NULL))
) STRICT;
