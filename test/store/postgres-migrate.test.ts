/**
 * The PostgreSQL migrations: the runner on a database of its own (fresh schemas, concurrent
 * runners, a newer schema refused) and what the schema itself enforces as SQLite's does
 * (names unique without case, bytewise order, foreign keys), then that it has SQLite's tables,
 * columns and indexes, so that the shared operation code finds the same names on both.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import {
  loadPgMigrations,
  migratePg,
  pgSchemaVersion,
} from '../../src/store/postgres/pg-migrate.js'
import type { PgMigration } from '../../src/store/postgres/pg-migrate.js'

const SERVER = 'postgres://postgres@127.0.0.1:5432'
const DATABASE = `gatehouse_test_${randomBytes(6).toString('hex')}`
const ACCOUNT = '123456789012'
const MIGRATIONS = loadPgMigrations()
/** The version after the last migration this build ships. */
const NEXT = MIGRATIONS.length + 1
const NOW = new Date('2026-01-02T03:04:05.678Z')

const admin = new pg.Client(`${SERVER}/postgres`)
const clients: pg.Client[] = []
// Whether the test database's own collation is a locale's (ICU en-US): only then does the bytewise
// order of ctext differ from the database's, which is what the order test must show.
let localeDatabase = false
let schemas = 0

before(async () => {
  await admin.connect()
  try {
    await admin.query(
      `CREATE DATABASE ${DATABASE} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'
       LOCALE 'C.UTF-8'`,
    )
    localeDatabase = true
  } catch {
    // A server without ICU: the database's locale is then whatever the server's is.
    await admin.query(`CREATE DATABASE ${DATABASE}`)
  }
})

after(async () => {
  await Promise.all(clients.map((client) => client.end()))
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`)
  await admin.end()
})

/** A client of the test database whose search_path is `schema` alone. */
async function connect(schema: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: `${SERVER}/${DATABASE}`,
    options: `-c search_path=${schema}`,
  })
  clients.push(client)
  await client.connect()
  return client
}

/** A new empty schema and a client of it. */
async function freshSchema(): Promise<{ schema: string; client: pg.Client }> {
  schemas += 1
  const schema = `store_${schemas}`
  const client = await connect(schema)
  await client.query(`CREATE SCHEMA ${schema}`)
  return { schema, client }
}

/** A migrated schema's client. */
async function migratedSchema(): Promise<pg.Client> {
  const { client } = await freshSchema()
  await migratePg(client, MIGRATIONS, () => NOW)
  return client
}

/** The SQLSTATE of a statement's failure; an AssertionError if it succeeds. */
async function failureCode(client: pg.Client, sql: string): Promise<string> {
  try {
    await client.query(sql)
  } catch (err) {
    assert.ok(err instanceof pg.DatabaseError, String(err))
    return err.code ?? ''
  }
  assert.fail(`expected to fail: ${sql}`)
}

async function versionRows(client: pg.Client): Promise<{ version: number; name: string }[]> {
  const { rows } = await client.query<{ version: number; name: string }>(
    'SELECT version, name FROM schema_version ORDER BY version',
  )
  return rows
}

describe('postgres migrations', () => {
  it('applies every migration to a fresh schema and records each', async () => {
    const { client } = await freshSchema()
    assert.equal(await pgSchemaVersion(client), 0)
    await migratePg(client, MIGRATIONS, () => NOW)
    assert.equal(await pgSchemaVersion(client), MIGRATIONS.length)
    const { rows } = await client.query<{ version: number; name: string; applied_at: string }>(
      'SELECT version, name, applied_at FROM schema_version ORDER BY version',
    )
    assert.deepEqual(
      rows,
      MIGRATIONS.map((m) => ({
        version: m.version,
        name: m.name,
        applied_at: String(NOW.getTime()),
      })),
    )
    assert.equal(rows[0]?.name, 'schema')

    // A second run finds nothing to do.
    await migratePg(client, MIGRATIONS, () => new Date(0))
    const again = await client.query<{ applied_at: string }>(
      'SELECT applied_at FROM schema_version',
    )
    assert.deepEqual(
      again.rows,
      MIGRATIONS.map(() => ({ applied_at: String(NOW.getTime()) })),
    )
  })

  it('keeps the stores of two schemas in one database apart', async () => {
    const first = await migratedSchema()
    const second = await migratedSchema()
    await first.query(`INSERT INTO accounts (account_id, created_at) VALUES ('${ACCOUNT}', 1)`)
    const { rows } = await second.query('SELECT account_id FROM accounts')
    assert.deepEqual(rows, [])
    assert.equal(await pgSchemaVersion(second), MIGRATIONS.length)
  })

  it('applies each migration once when four processes migrate one schema at once', async () => {
    const { schema, client } = await freshSchema()
    // A second migration that is slow and fails if run twice widens the window for a race.
    const migrations: PgMigration[] = [
      ...MIGRATIONS,
      {
        version: NEXT,
        name: 'slow',
        sql: 'SELECT pg_sleep(0.05); CREATE TABLE applied_once (x int)',
      },
    ]
    const others = await Promise.all([connect(schema), connect(schema), connect(schema)])
    await Promise.all([client, ...others].map((each) => migratePg(each, migrations, () => NOW)))
    assert.deepEqual(await versionRows(client), [
      ...MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      { version: NEXT, name: 'slow' },
    ])
  })

  it('refuses a schema newer than the code and leaves it as it was', async () => {
    const client = await migratedSchema()
    await client.query(`INSERT INTO schema_version VALUES (${NEXT}, 'future', 0)`)
    await assert.rejects(
      migratePg(client, MIGRATIONS, () => NOW),
      new RegExp(
        `at schema version ${NEXT}, newer than this build knows \\(${MIGRATIONS.length}\\)`,
      ),
    )
    assert.equal(await pgSchemaVersion(client), NEXT)
    assert.deepEqual(await versionRows(client), [
      ...MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      { version: NEXT, name: 'future' },
    ])
  })

  it('undoes every migration of a run when one fails', async () => {
    const { client } = await freshSchema()
    const broken: PgMigration[] = [...MIGRATIONS, { version: NEXT, name: 'broken', sql: 'SELEC 1' }]
    await assert.rejects(
      migratePg(client, broken, () => NOW),
      /syntax error/,
    )
    assert.equal(await pgSchemaVersion(client), 0)
    const { rows } = await client.query("SELECT to_regclass('users') AS users")
    assert.deepEqual(rows, [{ users: null }])
  })

  it('refuses a search_path that names no existing schema', async () => {
    const client = await connect('no_such_schema')
    await assert.rejects(
      migratePg(client, MIGRATIONS, () => NOW),
      /no schema of the search_path/,
    )
  })

  it('loads migration files numbered from 001 without gaps only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-pg-migrations-'))
    try {
      writeFileSync(join(dir, '001-first.sql'), 'SELECT 1')
      writeFileSync(join(dir, '002-second.sql'), 'SELECT 2')
      assert.deepEqual(
        loadPgMigrations(dir).map((m) => [m.version, m.name, m.sql]),
        [
          [1, 'first', 'SELECT 1'],
          [2, 'second', 'SELECT 2'],
        ],
      )
      writeFileSync(join(dir, '004-fourth.sql'), 'SELECT 4')
      assert.throws(() => loadPgMigrations(dir), /without gaps/)
      rmSync(join(dir, '004-fourth.sql'))
      writeFileSync(join(dir, '3-third.sql'), 'SELECT 3')
      assert.throws(() => loadPgMigrations(dir), /not NNN-name\.sql/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('postgres schema', () => {
  let client: pg.Client

  before(async () => {
    client = await migratedSchema()
    await client.query(`INSERT INTO accounts (account_id, created_at) VALUES ('${ACCOUNT}', 1)`)
  })

  async function insertUser(id: string, name: string): Promise<void> {
    await client.query(
      `INSERT INTO users (user_id, account_id, name, path, created_at) VALUES ($1, $2, $3, '/', 1)`,
      [id, ACCOUNT, name],
    )
  }

  it('makes user names unique without regard to case', async () => {
    await insertUser('AIDAALICE1', 'Alice')
    await assert.rejects(insertUser('AIDAALICE2', 'alice'), (err: unknown) => {
      assert.ok(err instanceof pg.DatabaseError)
      assert.equal(err.code, '23505')
      assert.equal(err.constraint, 'users_name')
      return true
    })
  })

  it('orders and lower-cases text bytewise, as SQLite does, whatever the locale', async () => {
    await insertUser('AIDAORDER1', 'a')
    await insertUser('AIDAORDER2', 'B')
    await insertUser('AIDAORDER3', 'Ä')
    const { rows } = await client.query<{ name: string; name_key: string }>(
      "SELECT name, name_key FROM users WHERE user_id LIKE 'AIDAORDER%' ORDER BY name",
    )
    assert.deepEqual(rows, [
      { name: 'B', name_key: 'b' },
      { name: 'a', name_key: 'a' },
      { name: 'Ä', name_key: 'Ä' },
    ])
    // The comparison the pagination marker makes, on an expression of the column.
    const after = await client.query<{ sort_key: string }>(
      `SELECT * FROM (SELECT name || ' ' || user_id AS sort_key FROM users
         WHERE user_id LIKE 'AIDAORDER%') AS page
       WHERE sort_key > $1 ORDER BY sort_key`,
      ['B'],
    )
    assert.deepEqual(
      after.rows.map((row) => row.sort_key),
      ['B AIDAORDER2', 'a AIDAORDER1', 'Ä AIDAORDER3'],
    )
    if (localeDatabase) {
      // The control: the database's own collation orders otherwise.
      const control = await client.query<{ x: string }>(
        "SELECT x FROM (VALUES ('B'), ('a')) AS v (x) ORDER BY x",
      )
      assert.deepEqual(
        control.rows.map((row) => row.x),
        ['a', 'B'],
      )
    }
  })

  it('refuses to delete a policy something still refers to', async () => {
    await client.query(
      `INSERT INTO policies (policy_id, account_id, name, path, default_version, next_version,
         created_at, updated_at)
       VALUES ('ANPABOUNDARY', '${ACCOUNT}', 'Boundary', '/', 1, 2, 1, 1)`,
    )
    await client.query(
      `INSERT INTO users (user_id, account_id, name, path, boundary_policy_id, created_at)
       VALUES ('AIDABOUNDED', '${ACCOUNT}', 'bounded', '/', 'ANPABOUNDARY', 1)`,
    )
    assert.equal(
      await failureCode(client, "DELETE FROM policies WHERE policy_id = 'ANPABOUNDARY'"),
      '23503',
    )
  })

  it('checks values as SQLite does', async () => {
    const checks = [
      "INSERT INTO accounts (account_id, created_at) VALUES ('12345678901x', 1)",
      "INSERT INTO accounts (account_id, created_at) VALUES ('1234567890123', 1)",
      `INSERT INTO groups (group_id, account_id, name, path, created_at)
       VALUES ('AGPAPATH', '${ACCOUNT}', 'g', '/no-trailing-slash', 1)`,
      "INSERT INTO login_profiles VALUES ('AIDAALICE1', 'not-a-hash', 0, 1, 1)",
    ]
    for (const sql of checks) assert.equal(await failureCode(client, sql), '23514', sql)
  })

  it('numbers rows where SQLite has an implicit rowid', async () => {
    await client.query(
      `INSERT INTO saml_providers (provider_uuid, account_id, name, metadata_document,
         valid_until, assertion_encryption_mode, created_at)
       VALUES ('uuid', '${ACCOUNT}', 'idp', '<m/>', 1, 'Allowed', 1)`,
    )
    const { rows } = await client.query<{ key_id: string; rowid: string }>(
      `INSERT INTO saml_provider_private_keys (key_id, provider_id, key_sealed, created_at)
       SELECT key_id, (SELECT provider_id FROM saml_providers), '\\x00', 1
       FROM (VALUES ('k2'), ('k1')) AS k (key_id)
       RETURNING key_id, rowid`,
    )
    assert.equal(rows.length, 2)
    const ordered = await client.query<{ key_id: string }>(
      'SELECT key_id FROM saml_provider_private_keys ORDER BY created_at, rowid',
    )
    assert.deepEqual(
      ordered.rows.map((row) => row.key_id),
      ['k2', 'k1'],
    )
  })

  it("has SQLite's tables, columns and indexes", async () => {
    // Imported here, so that only this test depends on the SQLite backend.
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js')
    const sqlite = openSqliteStore({ filename: ':memory:', masterKey: TEST_MASTER_KEY })
    const expected = new Map<string, string[]>()
    let expectedIndexes: string[]
    try {
      const tables = sqlite.database
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name <> 'schema_version'`,
        )
        .pluck()
        .all() as string[]
      for (const table of tables) {
        const columns = sqlite.database
          .prepare('SELECT name FROM pragma_table_xinfo(?)')
          .pluck()
          .all(table) as string[]
        expected.set(table, columns.sort())
      }
      expectedIndexes = (
        sqlite.database
          .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
          .pluck()
          .all() as string[]
      ).sort()
    } finally {
      await sqlite.close()
    }

    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> 'schema_version'
         AND column_name <> 'rowid'
       ORDER BY table_name, column_name`,
    )
    const actual = new Map<string, string[]>()
    for (const row of rows)
      actual.set(row.table_name, [...(actual.get(row.table_name) ?? []), row.column_name])
    assert.deepEqual([...actual.entries()].sort(), [...expected.entries()].sort())

    // The indexes the migrations name (not those behind primary keys and UNIQUE constraints).
    const indexes = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema()
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY 1`,
    )
    assert.deepEqual(
      indexes.rows.map((row) => row.name),
      expectedIndexes,
    )
  })
})
