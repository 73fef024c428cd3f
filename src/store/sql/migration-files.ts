/**
 * Migration files as every SQL backend keeps them: numbered `NNN-name.sql` files in a folder of
 * the backend's, read in order. How they are applied (and locked) is each backend's own.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** One migration file. */
export interface MigrationFile {
  readonly version: number
  readonly name: string
  readonly sql: string
}

const FILE_NAME = /^(\d{3})-([a-z0-9-]+)\.sql$/

/** The migrations in `dir`, in order; they must be numbered 1, 2, 3... without gaps. */
export function loadMigrationFiles(dir: string): readonly MigrationFile[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file)
      if (match === null) throw new Error(`migration file name is not NNN-name.sql: ${file}`)
      return {
        version: Number(match[1]),
        name: match[2] ?? '',
        sql: readFileSync(`${dir}/${file}`, 'utf8'),
      }
    })
    .sort((a, b) => a.version - b.version)
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migrations must be numbered from 001 without gaps: found ${migration.name}`)
    }
  })
  return migrations
}
