/**
 * Group commit on SQLite (SqliteStore): the write transactions of one turn of the event loop share
 * one SQLite transaction and one COMMIT; each keeps its own atomicity (a savepoint), no caller is
 * answered and no change reported before the commit, and a transaction SQLite undoes whole takes
 * the group's other members with it. Whether a write is committed is read through a second
 * connection to the same file, which sees only what was committed.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { MAX_GROUP_MEMBERS, openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { AlreadyExistsError } from '../../src/store/errors.js'
import type { StoreTx } from '../../src/store/store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-group-commit-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0

/** A store on a new file with its account, and a second store on the same file to look with. */
async function openPair(): Promise<{ store: SqliteStore; committed: (name: string) => boolean }> {
  files += 1
  const filename = join(dir, `store-${files}.db`)
  const store = openSqliteStore({ filename, masterKey: TEST_MASTER_KEY })
  await store.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
  const other = openSqliteStore({ filename, masterKey: TEST_MASTER_KEY })
  const read = other.database.prepare('SELECT 1 FROM users WHERE account_id = ? AND name = ?')
  after(async () => {
    await other.close()
    await store.close()
  })
  return { store, committed: (name) => read.get(ACCOUNT, name) !== undefined }
}

const createUser = (name: string) => (tx: StoreTx) =>
  tx.createUser({ accountId: ACCOUNT, name }).then((user) => user.name)

describe('group commit on SQLite', () => {
  it('commits write transactions queued together once, each answered after the commit', async () => {
    const { store, committed } = await openPair()
    const before = store.commits
    const names = Array.from({ length: 8 }, (_, i) => `grouped-${i}`)
    const answers = await Promise.all(
      names.map((name) =>
        store.transaction(createUser(name)).then((answered) => {
          // Answered only once its write is visible to another connection.
          assert.ok(committed(answered), `${answered} answered before its commit`)
          return answered
        }),
      ),
    )
    assert.deepEqual(answers, names)
    assert.equal(store.commits - before, 1)

    // One at a time, each commits alone.
    await store.transaction(createUser('alone-1'))
    await store.transaction(createUser('alone-2'))
    assert.equal(store.commits - before, 3)
    assert.ok(committed('alone-1') && committed('alone-2'))
  })

  it('commits the writes of one turn of the event loop together, at its end', async () => {
    const { store, committed } = await openPair()
    const before = store.commits
    let firstAnswered = false
    const first = store.transaction(createUser('turn-1')).then((name) => {
      firstAnswered = true
      return name
    })
    // Long after the first has run (a request read later in the same turn).
    for (let i = 0; i < 100; i++) await Promise.resolve()
    assert.equal(firstAnswered, false)
    assert.ok(!committed('turn-1'))
    const second = store.transaction(createUser('turn-2'))
    assert.deepEqual(await Promise.all([first, second]), ['turn-1', 'turn-2'])
    assert.equal(store.commits - before, 1)
    assert.ok(committed('turn-1') && committed('turn-2'))
  })

  it(`commits after ${MAX_GROUP_MEMBERS} writes even if more wait`, async () => {
    const { store } = await openPair()
    const before = store.commits
    const names = Array.from({ length: MAX_GROUP_MEMBERS * 2 + 1 }, (_, i) => `many-${i}`)
    await Promise.all(names.map((name) => store.transaction(createUser(name))))
    assert.equal(store.commits - before, 3)
  })

  it('rolls back a failed member alone: the others commit', async () => {
    const { store, committed } = await openPair()
    const refused = new Error('refused after writing')
    const outcomes = await Promise.allSettled([
      store.transaction(createUser('first')),
      store.transaction(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'undone' })
        await tx.createUser({ accountId: ACCOUNT, name: 'undone-too' })
        throw refused
      }),
      store.transaction(createUser('third')),
      // A store call that fails on its own (the name is taken, case-insensitively).
      store.transaction(createUser('FIRST')),
      store.transaction(createUser('fifth')),
    ])
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
    )
    assert.equal((outcomes[1] as PromiseRejectedResult).reason, refused)
    assert.ok((outcomes[3] as PromiseRejectedResult).reason instanceof AlreadyExistsError)
    for (const name of ['first', 'third', 'fifth']) assert.ok(committed(name), name)
    for (const name of ['undone', 'undone-too', 'FIRST']) assert.ok(!committed(name), name)
    const listed = await store.transaction((tx) => tx.listUsers(ACCOUNT, {}), { readOnly: true })
    assert.deepEqual(listed.items.map((u) => u.name).sort(), ['fifth', 'first', 'third'])
  })

  it('lets a read queued behind writes see them, and answers it after their commit', async () => {
    const { store, committed } = await openPair()
    const write = store.transaction(createUser('written'))
    const read = store.transaction((tx) => tx.getUser(ACCOUNT, 'written'), { readOnly: true })
    const user = await read
    assert.equal(user.name, 'written')
    assert.ok(committed('written'), 'the read was answered before the write it saw committed')
    await write
  })

  it('reports each change once it is committed', async () => {
    const { store, committed } = await openPair()
    const seen: boolean[] = []
    const stop = store.onChange(() => seen.push(committed('reported-1') && committed('reported-2')))
    await Promise.all([
      store.transaction(createUser('reported-1')),
      store.transaction(createUser('reported-2')),
    ])
    stop()
    assert.ok(seen.length >= 1)
    assert.ok(
      seen.every((s) => s),
      'a change was reported before its commit',
    )
  })

  it('fails every member when SQLite undoes the whole transaction', async () => {
    const { store, committed } = await openPair()
    const lost = new Error('the transaction was lost')
    const outcomes = await Promise.allSettled([
      store.transaction(createUser('lost-1')),
      store.transaction(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'lost-2' })
        // As SQLite does itself on some errors (a full disk, an I/O error).
        store.database.exec('ROLLBACK')
        throw lost
      }),
      store.transaction(createUser('after')),
    ])
    assert.deepEqual(
      outcomes.map((o): unknown => (o.status === 'rejected' ? o.reason : o.value)),
      [lost, lost, 'after'],
    )
    assert.ok(!committed('lost-1') && !committed('lost-2'))
    assert.ok(committed('after'))
    // The store goes on.
    assert.equal(await store.transaction(createUser('later')), 'later')
  })
})
