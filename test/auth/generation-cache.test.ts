/** The generation cache over a real SQLite store: kept until a committed write, bounded. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GenerationCache } from '../../src/auth/generation-cache.js'
import { generateMasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'

const ACCOUNT = '123456789012'

describe('GenerationCache', () => {
  let store: Store
  before(async () => {
    store = openSqliteStore({ filename: ':memory:', masterKey: generateMasterKey() })
    await store.transaction((tx) => tx.createAccount({ accountId: ACCOUNT }))
  })
  after(() => store.close())

  function userCount(): Promise<number> {
    return store.transaction(async (tx) => (await tx.listUsers(ACCOUNT)).items.length)
  }

  it('reads once, then serves from memory until a write commits', async () => {
    const cache = new GenerationCache<string, number>(store, 10)
    let loads = 0
    const load = async (): Promise<number> => {
      loads += 1
      return userCount()
    }
    assert.equal(await cache.get('users', load), 0)
    assert.equal(await cache.get('users', load), 0)
    assert.equal(loads, 1)
    await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
    assert.equal(await cache.get('users', load), 1)
    assert.equal(loads, 2)
    cache.dispose()
  })

  it('gives what it keeps without reading, and nothing once a write commits', async () => {
    const cache = new GenerationCache<string, number>(store, 10)
    assert.equal(cache.peek('users'), undefined)
    const count = await cache.get('users', userCount)
    assert.equal(cache.peek('users'), count)
    await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'peeked' }))
    assert.equal(cache.peek('users'), undefined)
    cache.dispose()
  })

  it('keeps nothing read across a commit', async () => {
    const cache = new GenerationCache<string, number>(store, 10)
    const value = await cache.get('stale', async () => {
      const read = await userCount()
      // A write commits while the value is being read: the value may predate it.
      await store.transaction((tx) =>
        tx.createUser({ accountId: ACCOUNT, name: `u${String(Date.now())}` }),
      )
      return read
    })
    assert.equal(cache.size, 0)
    assert.equal(await cache.get('stale', userCount), value + 1)
    assert.equal(cache.size, 1)
    cache.dispose()
  })

  it('holds at most its capacity, dropping the oldest', async () => {
    const cache = new GenerationCache<number, number>(store, 3)
    for (let i = 0; i < 5; i++) await cache.get(i, () => Promise.resolve(i * 10))
    assert.equal(cache.size, 3)
    let reloaded = false
    await cache.get(0, () => {
      reloaded = true
      return Promise.resolve(0)
    })
    assert.ok(reloaded, 'the oldest entry was dropped')
    cache.dispose()
  })

  it('keeps its entries through the kinds of change it survives, and only those', async () => {
    const surviving = new GenerationCache<string, number>(store, 10, new Set(['userAdded']))
    const plain = new GenerationCache<string, number>(store, 10)
    const fill = async (): Promise<void> => {
      await surviving.get('k', () => Promise.resolve(1))
      await plain.get('k', () => Promise.resolve(1))
    }
    await fill()
    await store.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'survived' }))
    assert.equal(surviving.peek('k'), 1)
    assert.equal(plain.peek('k'), undefined)
    await fill()
    await store.transaction((tx) => tx.deleteUser(ACCOUNT, 'survived'))
    assert.equal(surviving.peek('k'), undefined, 'userRemoved is not among its kinds')
    await fill()
    await store.transaction((tx) => tx.createGroup({ accountId: ACCOUNT, name: 'any-write' }))
    assert.equal(surviving.peek('k'), undefined, 'a write of no kind empties it')
    surviving.dispose()
    plain.dispose()
  })

  it('stops listening once disposed', async () => {
    const cache = new GenerationCache<string, number>(store, 10)
    await cache.get('k', () => Promise.resolve(1))
    cache.dispose()
    assert.equal(cache.size, 0)
  })
})
