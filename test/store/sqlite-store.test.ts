/**
 * The SQLite store: the conformance suite on files in a temporary directory and on `:memory:`,
 * then what only this backend can show: the schema itself enforcing the rules, WAL mode,
 * migrations, reopening a file, and refusing the wrong master key.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runStoreConformance } from '../../src/store/conformance/run-store-conformance.js'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { MasterKeyMismatchError } from '../../src/store/errors.js'
import { MasterKey, generateMasterKey } from '../../src/store/secret-box.js'
import { loadMigrations, schemaVersion } from '../../src/store/sqlite/migrate.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-store-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function newFile(): string {
  files += 1
  return join(dir, `store-${files}.db`)
}

/** The whole database as SQLite would write it to disk, WAL content included. */
function rawContent(store: SqliteStore): Uint8Array {
  return store.database.serialize()
}

runStoreConformance({
  name: 'sqlite file',
  create: (options) => openSqliteStore({ ...options, filename: newFile() }),
  rawContent,
})

runStoreConformance({
  name: 'sqlite :memory:',
  create: (options) => openSqliteStore({ ...options, filename: ':memory:' }),
  rawContent,
})

function open(filename: string, masterKey: MasterKey = TEST_MASTER_KEY): SqliteStore {
  return openSqliteStore({ filename, masterKey })
}

describe('sqlite store', () => {
  it('opens a file in WAL mode with foreign keys on', async () => {
    const store = open(newFile())
    try {
      assert.equal(store.database.pragma('journal_mode', { simple: true }), 'wal')
      assert.equal(store.database.pragma('foreign_keys', { simple: true }), 1)
    } finally {
      await store.close()
    }
  })

  it('applies every migration in order and records each in schema_version', async () => {
    const store = open(newFile())
    try {
      const migrations = loadMigrations()
      assert.ok(migrations.length >= 1)
      assert.equal(schemaVersion(store.database), migrations.length)
      const rows = store.database
        .prepare('SELECT version, name FROM schema_version ORDER BY version')
        .all()
      assert.deepEqual(
        rows,
        migrations.map((m) => ({ version: m.version, name: m.name })),
      )
    } finally {
      await store.close()
    }
  })

  it('keeps what was committed when a file is opened again, secrets included', async () => {
    const filename = newFile()
    const first = open(filename)
    const secret = await first.transaction(async (tx) => {
      await tx.createAccount({ accountId: ACCOUNT })
      await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
      const key = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      return key
    })
    await first.close()
    const second = open(filename)
    try {
      await second.transaction(async (tx) => {
        assert.equal((await tx.getUser(ACCOUNT, 'ALICE')).name, 'Alice')
        const read = await tx.getAccessKeySecret(secret.accessKey.accessKeyId)
        assert.equal(read.secretAccessKey, secret.secretAccessKey)
      })
      assert.equal(schemaVersion(second.database), loadMigrations().length)
    } finally {
      await second.close()
    }
  })

  it('keeps no secret in plain text in the file or its WAL', async () => {
    const filename = newFile()
    const store = open(filename)
    const { secretAccessKey } = await store.transaction(async (tx) => {
      await tx.createAccount({ accountId: ACCOUNT })
      return tx.createAccessKey({ accountId: ACCOUNT, userName: null })
    })
    try {
      const onDisk = Buffer.concat([readFileSync(filename), readFileSync(`${filename}-wal`)])
      assert.ok(onDisk.includes(ACCOUNT), 'the account is on disk')
      assert.ok(!onDisk.includes(secretAccessKey), 'the secret is on disk in plain text')
    } finally {
      await store.close()
    }
  })

  it('shares one file between connections, one writer at a time', async () => {
    const filename = newFile()
    const a = open(filename)
    const b = openSqliteStore({ filename, masterKey: TEST_MASTER_KEY, busyTimeoutMs: 20 })
    try {
      await a.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
      const names = await b.transaction(async (tx) => (await tx.listAccounts()).length)
      assert.equal(
        names,
        1,
        'a commit on one connection is seen by the next transaction of another',
      )
      let release = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const holding = a.transaction(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await gate
      })
      // BEGIN IMMEDIATE: a second writer cannot even start while the first is open.
      await assert.rejects(
        b.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'ALICE' })),
        /database is locked/,
      )
      release()
      await holding
      const user = await b.transaction((tx) => tx.getUser(ACCOUNT, 'alice'))
      assert.equal(user.name, 'alice')
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('refuses to open a file with another master key', async () => {
    const filename = newFile()
    await open(filename).close()
    assert.throws(() => open(filename, generateMasterKey()), MasterKeyMismatchError)
    await open(filename, MasterKey.fromBytes(new Uint8Array(32).fill(0x5a))).close()
  })

  it('refuses a database newer than this build', async () => {
    const filename = newFile()
    const store = open(filename)
    store.database
      .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
      .run(999, 'from-the-future', 0)
    await store.close()
    assert.throws(() => open(filename), /schema version 999, newer than this build/)
  })

  it('enforces case-insensitive names in the schema, not only in code', async () => {
    const store = open(':memory:')
    try {
      const db = store.database
      db.prepare('INSERT INTO accounts (account_id, created_at) VALUES (?, 0)').run(ACCOUNT)
      // Straight into the tables, past the store's code: only the schema stands in the way.
      const inserts = {
        users: `INSERT INTO users (user_id, account_id, name, path, created_at)
          VALUES (?, ?, ?, '/', 0)`,
        groups: `INSERT INTO groups (group_id, account_id, name, path, created_at)
          VALUES (?, ?, ?, '/', 0)`,
        instance_profiles: `INSERT INTO instance_profiles
          (instance_profile_id, account_id, name, path, created_at) VALUES (?, ?, ?, '/', 0)`,
        roles: `INSERT INTO roles (role_id, account_id, name, path, created_at,
          assume_role_policy, max_session_duration) VALUES (?, ?, ?, '/', 0, '{}', 3600)`,
        policies: `INSERT INTO policies (policy_id, account_id, name, path, created_at,
          default_version, next_version, updated_at) VALUES (?, ?, ?, '/', 0, 1, 2, 0)`,
      }
      for (const [table, sql] of Object.entries(inserts)) {
        const insert = db.prepare(sql)
        insert.run(`${table}-1`, ACCOUNT, 'Admins')
        assert.throws(
          () => insert.run(`${table}-2`, ACCOUNT, 'ADMINS'),
          /UNIQUE constraint failed/,
          table,
        )
        insert.run(`${table}-3`, ACCOUNT, 'Admins2')
      }
    } finally {
      await store.close()
    }
  })

  it('refuses in the schema to delete what something still refers to', async () => {
    const store = open(':memory:')
    try {
      await store.transaction(async (tx) => {
        await tx.createAccount({ accountId: ACCOUNT })
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
      assert.throws(
        () => store.database.prepare("DELETE FROM users WHERE name = 'alice'").run(),
        /FOREIGN KEY constraint failed/,
      )
    } finally {
      await store.close()
    }
  })

  it('has an index beginning with the columns of every foreign key', async () => {
    // Deleting a row looks up what refers to it (DeleteUser's checks, the foreign keys' own):
    // without such an index each lookup reads the whole referring table.
    const store = open(':memory:')
    try {
      const db = store.database
      const unindexed: string[] = []
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[]
      for (const { name: table } of tables) {
        const keys = new Map<number, { parent: string; columns: string[] }>()
        for (const row of db.pragma(`foreign_key_list(${table})`) as {
          id: number
          table: string
          from: string
        }[]) {
          const key = keys.get(row.id) ?? { parent: row.table, columns: [] }
          key.columns.push(row.from)
          keys.set(row.id, key)
        }
        const indexes = (db.pragma(`index_list(${table})`) as { name: string }[]).map((index) =>
          (db.pragma(`index_info(${index.name})`) as { name: string }[]).map((c) => c.name),
        )
        for (const { parent, columns } of keys.values()) {
          const leading = (index: string[]) =>
            columns.every((column) => index.slice(0, columns.length).includes(column))
          if (!indexes.some(leading))
            unindexed.push(`${table} (${columns.join(', ')}) -> ${parent}`)
        }
      }
      assert.deepEqual(unindexed, [])
    } finally {
      await store.close()
    }
  })

  it('reports on its feed the commits another process made to the same file', async () => {
    const file = newFile()
    const mine = open(file)
    const theirs = open(file)
    try {
      await theirs.transaction((tx) => tx.createAccount({ accountId: '123456789012' }))
      const seen: number[] = []
      mine.onChange((change) => seen.push(change.generation))
      mine.observeOtherWriters()
      const afterFirst = seen.length
      assert.equal(afterFirst, 1, 'the commit made before the first look is reported')
      mine.observeOtherWriters()
      assert.equal(seen.length, 1, 'nothing new, nothing reported')
      await theirs.transaction((tx) => tx.createUser({ accountId: '123456789012', name: 'alice' }))
      mine.observeOtherWriters()
      assert.equal(seen.length, 2)
      // Its own commits come through the feed at once, not again through the counter.
      await mine.transaction((tx) => tx.createUser({ accountId: '123456789012', name: 'bob' }))
      assert.equal(seen.length, 3)
      mine.observeOtherWriters()
      assert.equal(seen.length, 3)
    } finally {
      await mine.close()
      await theirs.close()
    }
  })
})
