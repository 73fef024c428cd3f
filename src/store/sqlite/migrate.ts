/**
 * Migrations: numbered SQL files (`NNN-name.sql`) in ./migrations, applied in order when the
 * store opens, each in its own transaction together with its row in `schema_version`. A database
 * newer than the code (a version this build does not know) is refused rather than guessed at.
 */
import { fileURLToPath } from 'node:url'
import type { Database } from 'better-sqlite3'
import { loadMigrationFiles } from '../sql/migration-files.js'
import type { MigrationFile } from '../sql/migration-files.js'

/** One migration file. */
export type Migration = MigrationFile

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/** The migrations shipped with this build, in order; they must be numbered 1, 2, 3... */
export function loadMigrations(dir: string = MIGRATIONS_DIR): readonly Migration[] {
  return loadMigrationFiles(dir)
}

/** The schema version a database is at (0 for a new one). */
export function schemaVersion(db: Database): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as
    { version: number | null } | undefined
  return row?.version ?? 0
}

/**
 * Brings `db` up to the newest migration. Safe when several processes open one file at once:
 * each migration runs under BEGIN IMMEDIATE and rechecks the version inside it.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  now: () => Date = () => new Date(),
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`)
  const latest = migrations.length
  const current = schemaVersion(db)
  if (current > latest) {
    throw new Error(
      `the database is at schema version ${current}, newer than this build knows (${latest})`,
    )
  }
  for (const migration of migrations.slice(current)) {
    db.exec('BEGIN IMMEDIATE')
    try {
      // INVARIANT: another process may have applied it since we looked.
      if (schemaVersion(db) < migration.version) {
        db.exec(migration.sql)
        db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          now().getTime(),
        )
      }
      db.exec('COMMIT')
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw err
    }
  }
}
