/**
 * Migrations of the PostgreSQL store: numbered SQL files (`NNN-name.sql`) in ./migrations, applied
 * in order to the schema the connection's search_path creates in (current_schema()), together
 * with their rows in that schema's `schema_version`. A database newer than the code (a version
 * this build does not know) is refused rather than guessed at.
 *
 * The first migration is the schema SQLite's migrations 001 to 011 build
 * (src/store/sqlite/migrations/); each later change gets a new file here as in SQLite's folder.
 */
import { fileURLToPath } from 'node:url'
import type { ClientBase } from 'pg'
import { loadMigrationFiles } from '../sql/migration-files.js'
import type { MigrationFile } from '../sql/migration-files.js'

/** One migration file. */
export type PgMigration = MigrationFile

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/**
 * The upper 32 bits of the advisory lock key, "Gate" in ASCII: what marks the lock as
 * Gatehouse's migration lock among other users of the database's advisory locks. The lower 32 bits
 * are hashtext() of the schema name, so that stores in two schemas of one database migrate side
 * by side; two schemas whose names hash alike only wait for each other, which is harmless.
 */
const LOCK_TAG = 0x47617465

/** The migrations shipped with this build, in order; they must be numbered 1, 2, 3... */
export function loadPgMigrations(dir: string = MIGRATIONS_DIR): readonly PgMigration[] {
  return loadMigrationFiles(dir)
}

/**
 * The schema unqualified names are created in; an Error if the search_path names no schema
 * that exists, as CREATE would then fail with a less telling message.
 */
async function currentSchema(client: ClientBase): Promise<string> {
  const { rows } = await client.query<{ schema: string | null }>(
    'SELECT current_schema() AS schema',
  )
  const schema = rows[0]?.schema ?? null
  if (schema === null) {
    throw new Error('no schema of the search_path exists: create the store schema first')
  }
  return schema
}

/**
 * The version recorded in `schema`'s schema_version, 0 if it has none. The table is named with
 * its schema so that a temporary table of the same name cannot stand in for it.
 */
async function versionIn(client: ClientBase, schema: string): Promise<number> {
  const { rows: tables } = await client.query(
    `SELECT 1 FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = 'schema_version'`,
    [schema],
  )
  if (tables.length === 0) return 0
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${client.escapeIdentifier(schema)}.schema_version`,
  )
  return rows[0]?.version ?? 0
}

/** The schema version of the current schema (0 for a new one). */
export async function pgSchemaVersion(client: ClientBase): Promise<number> {
  return versionIn(client, await currentSchema(client))
}

/**
 * Brings the current schema up to the newest migration, all in one transaction: a failing
 * migration leaves the schema as it was. Safe when several processes call it at once on one
 * schema: each takes the schema's advisory lock before it looks, so the first applies what is
 * missing and the others find nothing left to do. Migrations must therefore be transactional
 * (no CREATE INDEX CONCURRENTLY). `client` must not be inside a transaction.
 */
export async function migratePg(
  client: ClientBase,
  migrations: readonly PgMigration[],
  now: () => Date = () => new Date(),
): Promise<void> {
  // READ COMMITTED: each statement sees what was committed before it, so that a process that
  // waited for the lock sees the migrations the lock's previous holder applied.
  await client.query('BEGIN ISOLATION LEVEL READ COMMITTED')
  try {
    const schema = await currentSchema(client)
    // Held until COMMIT or ROLLBACK; taken before schema_version is created, as two concurrent
    // CREATE TABLE IF NOT EXISTS can both fail to see the other's table and one then fails.
    await client.query(
      `SELECT pg_advisory_xact_lock(($1::bigint << 32) | (hashtext($2)::bigint & 4294967295))`,
      [LOCK_TAG, schema],
    )
    const table = `${client.escapeIdentifier(schema)}.schema_version`
    // Plain text, not the ctext domain: the domain is the first migration's to create, and
    // migration names are only ever read back.
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
      version INTEGER PRIMARY KEY,
      name text NOT NULL,
      applied_at BIGINT NOT NULL
    )`)
    const latest = migrations.length
    const current = await versionIn(client, schema)
    if (current > latest) {
      throw new Error(
        `the database schema "${schema}" is at schema version ${current}, newer than this build knows (${latest})`,
      )
    }
    for (const migration of migrations.slice(current)) {
      await client.query(migration.sql)
      await client.query(`INSERT INTO ${table} (version, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        now().getTime(),
      ])
    }
    await client.query('COMMIT')
  } catch (err) {
    // The migration's error is the one to report, not a failed ROLLBACK's (a lost connection
    // ends the transaction anyway).
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  }
}
