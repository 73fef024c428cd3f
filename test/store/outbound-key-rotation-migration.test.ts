/**
 * The migrations that let outbound signing keys rotate (SQLite 017, PostgreSQL 007), on a store
 * that already has an issuer: its keys become generation 0 and go on signing, their private
 * halves still open; then what the new schema holds to by itself, whatever the code does (one
 * signing key per algorithm; a replaced key without its private half, a signing one with it).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import pg from 'pg'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { loadPgMigrations, migratePg } from '../../src/store/postgres/pg-migrate.js'
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js'
import { encryptSecret } from '../../src/store/secret-box.js'
import { loadMigrations, migrate } from '../../src/store/sqlite/migrate.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import { createTestDatabase } from '../support/postgres-database.js'

const url = await createTestDatabase()
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-key-rotation-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const MIGRATION = 'outbound-key-rotation'
const PEM = '-----BEGIN PRIVATE KEY-----\nOLDKEY\n-----END PRIVATE KEY-----\n'
const CREATED = 1_700_000_000_000
const LATER = new Date(CREATED + 40 * 24 * 3600 * 1000)

/** The migrations before the rotation's. */
function priorTo<M extends { readonly name: string; readonly version: number }>(
  migrations: readonly M[],
): readonly M[] {
  const rotation = migrations.find((m) => m.name === MIGRATION)
  assert.ok(rotation !== undefined, `no ${MIGRATION} migration`)
  return migrations.filter((m) => m.version < rotation.version)
}

/** Statements making an account with an issuer and its two keys, in the shape before rotation. */
function oldRows(): { sql: string; params: unknown[] }[] {
  const sealed = (algorithm: string) =>
    Buffer.from(encryptSecret(TEST_MASTER_KEY, PEM, `outbound-signing-key:${ACCOUNT}:${algorithm}`))
  return [
    { sql: 'INSERT INTO accounts (account_id, created_at) VALUES ($1, $2)', params: [ACCOUNT, 1] },
    {
      sql: `INSERT INTO outbound_issuers (account_id, issuer_id, enabled, created_at, updated_at)
            VALUES ($1, 'iss', 1, $2, $2)`,
      params: [ACCOUNT, CREATED],
    },
    ...['ES384', 'RS256'].map((algorithm) => ({
      sql: `INSERT INTO outbound_signing_keys
              (account_id, algorithm, key_id, public_jwk, private_key, created_at)
            VALUES ($1, $2, $3, '{}', $4, $5)`,
      params: [ACCOUNT, algorithm, `old-${algorithm}`, sealed(algorithm), CREATED],
    })),
  ]
}

/** What every backend must show once migrated. */
async function keepsTheOldKeys(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    const issuer = await tx.getOutboundIssuer(ACCOUNT)
    assert.deepEqual(
      issuer?.keys.map((k) => [k.algorithm, k.keyId, k.createdAt.getTime(), k.retiredAt]),
      [
        ['ES384', 'old-ES384', CREATED, null],
        ['RS256', 'old-RS256', CREATED, null],
      ],
    )
    assert.equal((await tx.getOutboundSigningKey(ACCOUNT, 'ES384'))?.privateKeyPem, PEM)
    // Due long since: the first rotation makes generation 1.
    const next = await tx.rotateOutboundSigningKey(
      ACCOUNT,
      'ES384',
      { now: LATER, rotateAfterMs: 1000, retainMs: 1000 },
      (algorithm) =>
        Promise.resolve({ algorithm, keyId: 'new-ES384', publicJwk: '{}', privateKeyPem: PEM }),
    )
    assert.equal(next?.keyId, 'new-ES384')
  })
}

/** Statements the schema must refuse, each alone. */
const REFUSED = [
  // A second signing key of one algorithm.
  `INSERT INTO outbound_signing_keys
     (account_id, algorithm, generation, key_id, public_jwk, private_key, created_at, retired_at)
   VALUES ('${ACCOUNT}', 'ES384', 7, 'k7', '{}', X'00', 1, NULL)`,
  // A replaced key that kept its private half.
  `INSERT INTO outbound_signing_keys
     (account_id, algorithm, generation, key_id, public_jwk, private_key, created_at, retired_at)
   VALUES ('${ACCOUNT}', 'ES384', 8, 'k8', '{}', X'00', 1, 2)`,
  // A signing key without one.
  `UPDATE outbound_signing_keys SET private_key = NULL WHERE key_id = 'old-RS256'`,
  // A generation taken.
  `INSERT INTO outbound_signing_keys
     (account_id, algorithm, generation, key_id, public_jwk, private_key, created_at, retired_at)
   VALUES ('${ACCOUNT}', 'RS256', 0, 'k9', '{}', NULL, 1, 2)`,
]

/**
 * A connection of the SQLite driver, made with the class of a store's own connection: the lint
 * rules keep the driver's import in the store.
 */
type Connection = SqliteStore['database']
async function sqliteConnection(filename: string): Promise<Connection> {
  const scratch = openSqliteStore({ filename: ':memory:', masterKey: TEST_MASTER_KEY })
  const Driver = scratch.database.constructor as new (filename: string) => Connection
  await scratch.close()
  return new Driver(filename)
}

describe('outbound key rotation migration: sqlite', () => {
  it('keeps the keys of an existing issuer, as generation 0, signing', async () => {
    const filename = join(dir, 'old.db')
    // A file brought to the version before the rotation's by the real migrations.
    const db = await sqliteConnection(filename)
    db.pragma('foreign_keys = ON')
    migrate(db, priorTo(loadMigrations()))
    for (const { sql, params } of oldRows()) {
      // PostgreSQL's numbered parameters as SQLite's `?`, one value per occurrence.
      const values = [...sql.matchAll(/\$(\d)/g)].map((m) => params[Number(m[1]) - 1])
      db.prepare(sql.replace(/\$\d/g, '?')).run(...values)
    }
    db.close()
    const store = openSqliteStore({ filename, masterKey: TEST_MASTER_KEY })
    try {
      await keepsTheOldKeys(store)
      for (const sql of REFUSED) {
        assert.throws(() => store.database.prepare(sql).run(), /constraint/i, sql)
      }
    } finally {
      await store.close()
    }
  })
})

describe('outbound key rotation migration: postgres', () => {
  it('keeps the keys of an existing issuer, as generation 0, signing', async () => {
    const schema = 'rotation_old'
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await client.connect()
    try {
      await client.query(`CREATE SCHEMA ${schema}`)
      await migratePg(client, priorTo(loadPgMigrations()))
      for (const { sql, params } of oldRows()) await client.query(sql, params)
    } finally {
      await client.end()
    }
    const store = await openPostgresStore({
      connectionString: url,
      schema,
      masterKey: TEST_MASTER_KEY,
      poolSize: 2,
    })
    try {
      await keepsTheOldKeys(store)
      for (const sql of REFUSED) {
        const pgSql = sql.replace("X'00'", "'\\x00'::bytea")
        await assert.rejects(store.pool.query(pgSql), /violates/, sql)
      }
    } finally {
      await store.close()
    }
  })
})
