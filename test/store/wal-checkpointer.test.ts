/**
 * Checkpoints on a thread of their own (WalCheckpointer, openSqliteStore's checkpointThread):
 * the conformance suite on stores that have the thread; commits reaching the database file with
 * no checkpoint of the store's own connection; other writers' detection untouched; a clean
 * close; and a thread that cannot open its file leaving the process alone.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { setTimeout } from 'node:timers/promises'
import { runStoreConformance } from '../../src/store/conformance/run-store-conformance.js'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wal-checkpointer-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function newFile(): string {
  files += 1
  return join(dir, `store-${files}.db`)
}

runStoreConformance({
  name: 'sqlite file with a checkpoint thread',
  create: (options) => openSqliteStore({ ...options, filename: newFile(), checkpointThread: true }),
  rawContent: (store) => store.database.serialize(),
})

function open(filename: string, checkpointThread: boolean): SqliteStore {
  return openSqliteStore({ filename, masterKey: TEST_MASTER_KEY, checkpointThread })
}

/** A new store with its account. */
async function openNew(checkpointThread: boolean, file = newFile()): Promise<SqliteStore> {
  const store = open(file, checkpointThread)
  await store.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
  return store
}

/** Users with tags: new pages in the log, far fewer than the 1,000 that make SQLite checkpoint. */
async function write(store: SqliteStore, prefix: string, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    await store.transaction((tx) =>
      tx.createUser({
        accountId: ACCOUNT,
        name: `${prefix}-${n}`,
        tags: [{ key: 'note', value: 'x'.repeat(200) }],
      }),
    )
  }
}

const sizeOf = (file: string): number => statSync(file).size

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) return false
    await setTimeout(10)
  }
  return true
}

describe('the checkpoint thread', () => {
  it('copies commits into the database file; without it they wait in the log', async () => {
    for (const thread of [true, false]) {
      const file = newFile()
      const store = await openNew(thread, file)
      try {
        // The log as SQLite starts it: the autocheckpoint threshold is the default's.
        assert.equal(store.database.pragma('wal_autocheckpoint', { simple: true }), 1000)
        const before = sizeOf(file)
        await write(store, 'user', 60)
        const pages = store.database.pragma('page_count', { simple: true }) as number
        assert.ok(pages * 4096 > before, 'the writes took new pages')
        const grown = await until(() => sizeOf(file) > before, 2000)
        assert.equal(grown, thread, `thread ${thread}: file ${before} -> ${sizeOf(file)} bytes`)
      } finally {
        await store.close()
      }
    }
  })

  it('keeps every commit, under writes and checkpoints at once', async () => {
    const file = newFile()
    const store = await openNew(true, file)
    try {
      await write(store, 'many', 400)
      // A few of the thread's passes over the log.
      await setTimeout(100)
      const page = await store.transaction((tx) => tx.listUsers(ACCOUNT, { maxItems: 1000 }), {
        readOnly: true,
      })
      assert.equal(page.items.length, 400)
      assert.equal(store.database.pragma('integrity_check', { simple: true }), 'ok')
    } finally {
      await store.close()
    }
    // Reopened without the thread: the same users, nothing lost in the log.
    const again = open(file, false)
    try {
      const page = await again.transaction((tx) => tx.listUsers(ACCOUNT, { maxItems: 1000 }), {
        readOnly: true,
      })
      assert.equal(page.items.length, 400)
    } finally {
      await again.close()
    }
  })

  it("is not taken for another writer: the store's caches stay", async () => {
    const file = newFile()
    const store = await openNew(true, file)
    try {
      const before = sizeOf(file)
      await write(store, 'seen', 30)
      const generation = store.generation
      assert.ok(await until(() => sizeOf(file) > before, 2000), 'the thread checkpointed')
      store.observeOtherWriters()
      assert.equal(store.generation, generation)
      // A commit of another connection still is.
      const other = open(file, false)
      try {
        await other.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'other' }))
      } finally {
        await other.close()
      }
      store.observeOtherWriters()
      assert.notEqual(store.generation, generation)
    } finally {
      await store.close()
    }
  })

  it('stops with the store, which closes last and removes the log', async () => {
    const file = newFile()
    const store = await openNew(true, file)
    await write(store, 'closing', 20)
    await store.close()
    assert.equal(existsSync(`${file}-wal`), false)
    // Closing twice is harmless.
    await store.close()
  })

  it('exits on its own when its file cannot be opened, and stops at once after', async () => {
    const checkpointer = new WalCheckpointer(join(dir, 'missing', 'none.db'), 100)
    // The thread holds no process open, so the test does while it waits.
    const hold = setInterval(() => undefined, 1000)
    try {
      await checkpointer.exited
    } finally {
      clearInterval(hold)
    }
    await checkpointer.stop()
  })

  it('is not started for an in-memory store', async () => {
    const store = await openNew(true, ':memory:')
    try {
      await write(store, 'memory', 3)
      assert.equal(store.database.memory, true)
    } finally {
      await store.close()
    }
  })
})
