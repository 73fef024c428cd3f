/**
 * The change feed: what caches of store data rely on to drop what a write made stale. A cache
 * that misses one committed write serves an old policy, so these cases pin down exactly which
 * transactions are reported.
 */
import assert from 'node:assert/strict'
import { AlreadyExistsError, DeleteConflictError } from '../../errors.js'
import type { StoreChange } from '../../store.js'
import { ACCOUNT, POLICY_DOCUMENT, holder, rejectsWith } from '../harness.js'
import type { CaseContext, CaseGroup } from '../harness.js'

/** Records the feed's changes from now on. */
function record(c: CaseContext): StoreChange[] {
  const seen: StoreChange[] = []
  c.store.onChange((change) => seen.push(change))
  return seen
}

/** The change feed cases. */
export const changeFeedCases: CaseGroup = {
  name: 'change feed',
  cases(test) {
    test('reports each committed write once, with a rising generation', async (c) => {
      const seen = record(c)
      const before = c.store.generation
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
        await tx.attachPolicy(holder('user', 'alice'), 'P')
      })
      assert.equal(seen.length, 2)
      assert.ok(seen[0] !== undefined && seen[1] !== undefined)
      assert.ok(seen[0].generation > before)
      assert.ok(seen[1].generation > seen[0].generation)
      assert.equal(c.store.generation, seen[1].generation)
    })

    test('reports the change before the writer sees its commit', async (c) => {
      let generationAtListener = -1
      c.store.onChange((change) => {
        generationAtListener = change.generation
      })
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      assert.equal(generationAtListener, c.store.generation)
    })

    test('reports a rollback after a write: a cache may have read what was undone', async (c) => {
      const seen = record(c)
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.createGroup({ accountId: ACCOUNT, name: 'g' })
          throw new Error('handler failed')
        }),
      )
      assert.equal(seen.length, 1)
    })

    test('reports nothing for reads, or for a failed call alone', async (c) => {
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const seen = record(c)
      const before = c.store.generation
      await c.tx(async (tx) => {
        await tx.getUser(ACCOUNT, 'alice')
        await tx.listUsers(ACCOUNT)
      })
      await c.tx(async (tx) => {
        await rejectsWith(tx.createUser({ accountId: ACCOUNT, name: 'ALICE' }), AlreadyExistsError)
      })
      assert.deepEqual(seen, [])
      assert.equal(c.store.generation, before)
    })

    test('does not count last-use stamps as changes', async (c) => {
      const key = await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        return tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
      const seen = record(c)
      await c.tx((tx) =>
        tx.recordAccessKeyUse(key.accessKey.accessKeyId, {
          at: c.clock.now(),
          region: 'us-east-1',
          service: 'iam',
        }),
      )
      assert.deepEqual(seen, [])
    })

    test('names a transaction whose every write created users: userAdded', async (c) => {
      const seen = record(c)
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'bob', tags: [{ key: 'k', value: 'v' }] })
        await tx.createUser({ accountId: ACCOUNT, name: 'carol', path: '/p/' })
      })
      assert.deepEqual(
        seen.map((change) => change.only),
        ['userAdded', 'userAdded'],
      )
    })

    test('names a transaction whose every write deleted users: userRemoved', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice', tags: [{ key: 'k', value: 'v' }] })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
      })
      const seen = record(c)
      await c.tx((tx) => tx.deleteUser(ACCOUNT, 'alice'))
      await c.tx((tx) => tx.deleteUser(ACCOUNT, 'bob'))
      assert.deepEqual(
        seen.map((change) => change.only),
        ['userRemoved', 'userRemoved'],
      )
    })

    test('names no kind for any other write, or for writes of two kinds together', async (c) => {
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const seen = record(c)
      await c.tx((tx) => tx.createGroup({ accountId: ACCOUNT, name: 'g' }))
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.addUserToGroup(ACCOUNT, 'g', 'bob')
      })
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'carol' })
        await tx.deleteUser(ACCOUNT, 'alice')
      })
      await c.tx(async (tx) => {
        await tx.deleteUser(ACCOUNT, 'carol')
        await tx.createUser({ accountId: ACCOUNT, name: 'dave' })
      })
      assert.equal(seen.length, 4)
      for (const change of seen) assert.equal(change.only, undefined)
    })

    test('names no kind for a rollback, whatever was written', async (c) => {
      const seen = record(c)
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
          throw new Error('handler failed')
        }),
      )
      assert.equal(seen.length, 1)
      assert.equal(seen[0]?.only, undefined)
    })

    test('reports no failed deletion, and names the kind of what did commit', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
      const seen = record(c)
      await c.tx(async (tx) => {
        await rejectsWith(tx.deleteUser(ACCOUNT, 'alice'), DeleteConflictError)
        await tx.deleteUser(ACCOUNT, 'bob')
      })
      assert.deepEqual(
        seen.map((change) => change.only),
        ['userRemoved'],
      )
    })

    test('stops calling a listener once it unsubscribes', async (c) => {
      const seen: StoreChange[] = []
      const unsubscribe = c.store.onChange((change) => seen.push(change))
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      unsubscribe()
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'bob' }))
      assert.equal(seen.length, 1)
    })

    test('commits even when a listener throws', async (c) => {
      c.store.onChange(() => {
        throw new Error('listener failed')
      })
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const user = await c.tx((tx) => tx.getUser(ACCOUNT, 'alice'))
      assert.equal(user.name, 'alice')
    })
  },
}
