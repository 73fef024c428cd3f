/**
 * The PostgreSQL store: the conformance suite, each store in a schema of its own in a database
 * made for this file, then what only this backend shows: the change feed crossing stores (nodes)
 * through LISTEN/NOTIFY, and two stores racing for one quota.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { runStoreConformance } from '../../src/store/conformance/run-store-conformance.js'
import { LimitExceededError, MasterKeyMismatchError } from '../../src/store/errors.js'
import { MasterKey } from '../../src/store/secret-box.js'
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js'
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js'
import { createTestDatabase } from '../support/postgres-database.js'

// At the top level, so that the database's removal is registered with the file's root.
const url = await createTestDatabase()

let schemas = 0

/** Every row of every table of the store's schema, as bytes: what the suite searches for secrets. */
async function rawContent(store: PostgresStore): Promise<Uint8Array> {
  const client = await store.pool.connect()
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() ORDER BY table_name`,
    )
    const parts: Buffer[] = []
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query<Record<string, unknown>>(`SELECT * FROM "${table}"`)
      for (const row of rows.rows) {
        for (const value of Object.values(row)) {
          parts.push(Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8'))
        }
      }
    }
    return Buffer.concat(parts)
  } finally {
    client.release()
  }
}

runStoreConformance({
  name: 'postgres',
  create: (options) => {
    schemas += 1
    return openPostgresStore({
      ...options,
      connectionString: url,
      schema: `store_${schemas}`,
      poolSize: 4,
    })
  },
  rawContent,
})

/** Two stores (two nodes) on one schema of the test database. */
async function twoNodes(): Promise<[PostgresStore, PostgresStore]> {
  schemas += 1
  const options = {
    connectionString: url,
    schema: `nodes_${schemas}`,
    masterKey: TEST_MASTER_KEY,
    poolSize: 4,
  }
  const [a, b] = await Promise.all([openPostgresStore(options), openPostgresStore(options)])
  await a.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
  return [a, b]
}

/** Resolves with the generation `store` reports next. */
function nextChange(store: PostgresStore): Promise<number> {
  return new Promise((resolve) => {
    const stop = store.onChange((change) => {
      stop()
      resolve(change.generation)
    })
  })
}

describe('postgres store: schema', () => {
  it('has an index beginning with the columns of every foreign key', async () => {
    // PostgreSQL indexes no referencing column by itself: deleting a row (DeleteUser) would
    // read each referring table whole to check its foreign keys.
    schemas += 1
    const store = await openPostgresStore({
      connectionString: url,
      schema: `schema_${schemas}`,
      masterKey: TEST_MASTER_KEY,
      poolSize: 1,
    })
    try {
      const unindexed = await store.pool.query<{ key: string }>(
        `SELECT c.conrelid::regclass::text || ' (' || array_to_string(
                  ARRAY(SELECT a.attname FROM unnest(c.conkey) AS k (n)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n), ', ')
                || ') -> ' || c.confrelid::regclass::text AS key
         FROM pg_constraint c
         WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
           AND NOT EXISTS (
             SELECT 1 FROM pg_index i
             WHERE i.indrelid = c.conrelid
               AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
               AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
         ORDER BY key`,
      )
      assert.deepEqual(
        unindexed.rows.map((row) => row.key),
        [],
      )
    } finally {
      await store.close()
    }
  })
})

describe('postgres store: several nodes on one database', () => {
  it('migrates once when nodes open a new schema together, and shares the data', async () => {
    const [a, b] = await twoNodes()
    try {
      await a.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const user = await b.transaction((tx) => tx.getUser(ACCOUNT, 'ALICE'), { readOnly: true })
      assert.equal(user.name, 'alice')
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it("reports another node's commit on the change feed, and not its rollback", async () => {
    const [a, b] = await twoNodes()
    try {
      const before = b.generation
      const heard = nextChange(b)
      await a.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      assert.ok((await heard) > before)
      // A rolled-back write sends nothing: B hears only the commit that follows it.
      await assert.rejects(
        a.transaction(async (tx) => {
          await tx.createUser({ accountId: ACCOUNT, name: 'ghost' })
          throw new Error('abandoned')
        }),
        /abandoned/,
      )
      const afterRollback = b.generation
      const next = nextChange(b)
      await a.transaction((tx) => tx.createGroup({ accountId: ACCOUNT, name: 'admins' }))
      await next
      assert.equal(b.generation, afterRollback + 1)
      // A node does not hear its own notifications: it reported its commit itself, once.
      const own = a.generation
      await a.transaction((tx) => tx.createGroup({ accountId: ACCOUNT, name: 'devs' }))
      await delay(100)
      assert.equal(a.generation, own + 1)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('lets exactly one of two nodes take the last access key', async () => {
    const [a, b] = await twoNodes()
    try {
      await a.transaction(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
      const race = (store: PostgresStore): Promise<unknown> =>
        store.transaction(async (tx) => {
          await tx.listAccessKeys(ACCOUNT, 'alice')
          await delay(20)
          return tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        })
      const results = await Promise.allSettled([race(a), race(b)])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const rejected = results.find((r) => r.status === 'rejected')
      assert.ok(rejected?.reason instanceof LimitExceededError)
      const keys = await b.transaction((tx) => tx.listAccessKeys(ACCOUNT, 'alice'))
      assert.equal(keys.items.length, 2)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('stops trusting its caches while it cannot hear other nodes, and hears them again', async () => {
    const [a, b] = await twoNodes()
    try {
      assert.equal(b.listening, true)
      b.observeOtherWriters()
      const quiet = b.generation
      b.observeOtherWriters()
      assert.equal(b.generation, quiet, 'a node that hears the others keeps its caches')
      // The server ends B's listening connection, as a restart or a network cut would.
      const admin = await a.pool.connect()
      try {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND query LIKE 'LISTEN gatehouse_store_${'nodes_'}%'
             AND pid <> pg_backend_pid()`,
        )
      } finally {
        admin.release()
      }
      await waitFor(() => !b.listening)
      const lost = b.generation
      b.observeOtherWriters()
      b.observeOtherWriters()
      assert.equal(b.generation, lost + 2, 'every request starts with a change while deaf')
      await waitFor(() => b.listening)
      const heard = nextChange(b)
      await a.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'after' }))
      await heard
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('refuses a node whose master key is not the one the secrets were sealed with', async () => {
    const [a, b] = await twoNodes()
    await Promise.all([a.close(), b.close()])
    await assert.rejects(
      openPostgresStore({
        connectionString: url,
        schema: `nodes_${schemas}`,
        masterKey: MasterKey.fromBytes(new Uint8Array(32).fill(7)),
      }),
      MasterKeyMismatchError,
    )
  })
})

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await delay(5)
  }
}
