/**
 * Another process's write lock (SqliteStore, as `--workers` runs it: each process its own
 * connection to the file): a write transaction waits for the lock without stopping the event
 * loop, goes on as soon as the lock is free, and fails with SQLite's SQLITE_BUSY once the busy
 * timeout has passed, having written nothing. Two connections in this one process stand for the
 * two processes: a wait on the thread itself (SQLite's busy handler) would hold the first
 * connection's transaction open until the second gave up.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { ACCOUNT, TEST_MASTER_KEY } from '../../src/store/conformance/harness.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-write-lock-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0

/**
 * Two stores on one new file with its account; `waiterTimeoutMs` is the second's busy timeout.
 * The second has seen the first commit (observeOtherWriters, as every request of a worker asks):
 * a store alone on its file never finds the lock taken, and waits as SQLite does.
 */
async function openTwo(
  waiterTimeoutMs: number,
): Promise<{ holder: SqliteStore; waiter: SqliteStore }> {
  files += 1
  const filename = join(dir, `store-${files}.db`)
  const holder = openSqliteStore({ filename, masterKey: TEST_MASTER_KEY })
  await holder.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
  const waiter = openSqliteStore({
    filename,
    masterKey: TEST_MASTER_KEY,
    busyTimeoutMs: waiterTimeoutMs,
  })
  after(async () => {
    await waiter.close()
    await holder.close()
  })
  await holder.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'first' }))
  waiter.observeOtherWriters()
  return { holder, waiter }
}

/**
 * A write transaction of `holder` that has taken the write lock (its first write ran) and keeps
 * it until `release` is called.
 */
async function holdWriteLock(
  holder: SqliteStore,
): Promise<{ release: () => void; done: Promise<unknown> }> {
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  let locked: () => void = () => undefined
  const lockTaken = new Promise<void>((resolve) => (locked = resolve))
  const done = holder.transaction(async (tx) => {
    await tx.createUser({ accountId: ACCOUNT, name: 'holder' })
    locked()
    await held
  })
  await lockTaken
  return { release, done }
}

function userNames(store: SqliteStore): string[] {
  return store.database
    .prepare('SELECT name FROM users ORDER BY name')
    .all()
    .map((row) => (row as { name: string }).name)
}

describe("another connection's write lock on SQLite", () => {
  it('waits for it with the event loop running, and writes once it is free', async () => {
    const { holder, waiter } = await openTwo(5000)
    const { release, done } = await holdWriteLock(holder)
    let settled = false
    const waiting = waiter
      .transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'waiter' }))
      .finally(() => (settled = true))
    let ticks = 0
    const ticker = setInterval(() => (ticks += 1), 2)
    await sleep(60)
    clearInterval(ticker)
    // A wait on the thread would have stopped the timers and ended in SQLITE_BUSY.
    assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks in 60 ms`)
    assert.equal(settled, false)
    release()
    await done
    const user = await waiting
    assert.equal(user.name, 'waiter')
    assert.deepEqual(userNames(holder), ['first', 'holder', 'waiter'])
  })

  it('writes nothing for a transaction that failed while a call of it waited', async () => {
    const { holder, waiter } = await openTwo(5000)
    const { release, done } = await holdWriteLock(holder)
    let orphan: Promise<unknown> = Promise.resolve()
    await assert.rejects(
      waiter.transaction(async (tx) => {
        // A call the transaction does not wait for, waiting for the lock when it fails.
        orphan = tx.createUser({ accountId: ACCOUNT, name: 'orphan' })
        orphan.catch(() => undefined)
        await sleep(20)
        throw new Error('the transaction fails')
      }),
      /the transaction fails/,
    )
    await assert.rejects(orphan, /ended/)
    release()
    await done
    // The lock free again, the waiter's next transaction begins and commits on its own.
    await waiter.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'later' }))
    assert.deepEqual(userNames(holder), ['first', 'holder', 'later'])
  })

  it('fails with SQLITE_BUSY once its busy timeout has passed, having written nothing', async () => {
    const { holder, waiter } = await openTwo(100)
    const { release, done } = await holdWriteLock(holder)
    const started = performance.now()
    let ticks = 0
    const ticker = setInterval(() => (ticks += 1), 2)
    await assert.rejects(
      waiter.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'waiter' })),
      (err: unknown) => (err as { code?: unknown }).code === 'SQLITE_BUSY',
    )
    clearInterval(ticker)
    const waited = performance.now() - started
    assert.ok(waited >= 100, `gave up after ${waited.toFixed(1)} ms`)
    assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks while waiting`)
    release()
    await done
    assert.deepEqual(userNames(holder), ['first', 'holder'])
    // The lock free again, the waiter writes at once.
    await waiter.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'later' }))
    assert.deepEqual(userNames(waiter), ['first', 'holder', 'later'])
  })
})
