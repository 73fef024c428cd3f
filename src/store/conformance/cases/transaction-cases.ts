/** Transactions: all or nothing, serializable, and not usable once ended. */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { AlreadyExistsError, LimitExceededError, NotFoundError } from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, POLICY_DOCUMENT, holder, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

async function userNames(tx: StoreTx): Promise<string[]> {
  return (await tx.listUsers(ACCOUNT)).items.map((user) => user.name)
}

/** The transaction cases. */
export const transactionCases: CaseGroup = {
  name: 'transaction',
  cases(test) {
    test('commits what its function wrote and resolves to what it returned', async (c) => {
      const result = await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        return 42
      })
      assert.equal(result, 42)
      assert.deepEqual(await c.tx(userNames), ['alice'])
    })

    test('accepts a function that is not async', async (c) => {
      assert.equal(await c.store.transaction(() => 'plain'), 'plain')
    })

    test('rolls back everything when its function throws, and rejects with that error', async (c) => {
      const failure = new Error('handler failed')
      await assert.rejects(
        c.tx(async (tx) => {
          await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
          await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
          await tx.attachPolicy(holder('user', 'alice'), 'P')
          await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
          throw failure
        }),
        (err) => err === failure,
      )
      await c.tx(async (tx) => {
        assert.deepEqual(await userNames(tx), [])
        await rejectsWith(tx.getPolicy(ACCOUNT, 'P'), NotFoundError)
        assert.deepEqual((await tx.getAccountSummary(ACCOUNT)).policyVersionsInUse, 0)
      })
    })

    test('leaves nothing of a failed call and stays usable after it', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await rejectsWith(tx.createUser({ accountId: ACCOUNT, name: 'ALICE' }), AlreadyExistsError)
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
      })
      assert.deepEqual(await c.tx(userNames), ['alice', 'bob'])
    })

    test(
      'undoes the earlier writes of a call that fails part way',
      async (c) => {
        await c.tx(async (tx) => {
          const tags = [1, 2, 3].map((n) => ({ key: `k${n}`, value: 'v' }))
          await rejectsWith(
            tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT, tags }),
            LimitExceededError,
            { quota: 'tagsPerResource', limit: 2 },
          )
          await rejectsWith(tx.getPolicy(ACCOUNT, 'P'), NotFoundError)
          assert.equal((await tx.getAccountSummary(ACCOUNT)).policyVersionsInUse, 0)
          await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
        })
        await c.tx(async (tx) => {
          assert.equal(
            (await tx.listTags({ kind: 'policy', accountId: ACCOUNT, name: 'P' })).items.length,
            0,
          )
        })
      },
      { limits: { tagsPerResource: 2 } },
    )

    test('keeps a transaction from seeing another one that has not committed', async (c) => {
      let release = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const writer = c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'ghost' })
        await gate
        throw new Error('abandoned')
      })
      const reader = c.tx(userNames)
      await sleep(5)
      release()
      await assert.rejects(writer, /abandoned/)
      assert.deepEqual(await reader, [])
    })

    test('lets exactly one of two racing transactions take the last access key', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
      })
      const race = () =>
        c.tx(async (tx) => {
          const keys = await tx.listAccessKeys(ACCOUNT, 'alice')
          await sleep(2)
          await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
          return keys.items.length
        })
      const results = await Promise.allSettled([race(), race()])
      const fulfilled = results.filter((r) => r.status === 'fulfilled')
      const rejected = results.filter((r) => r.status === 'rejected')
      assert.equal(fulfilled.length, 1)
      assert.equal(rejected.length, 1)
      assert.ok(rejected[0]?.reason instanceof LimitExceededError)
      const keys = await c.tx((tx) => tx.listAccessKeys(ACCOUNT, 'alice'))
      assert.equal(keys.items.length, 2)
    })

    test('lets exactly one of two racing transactions take a name', async (c) => {
      const create = (name: string) =>
        c.tx(async (tx) => {
          await sleep(1)
          return tx.createRole({ accountId: ACCOUNT, name, assumeRolePolicyDocument: '{}' })
        })
      const results = await Promise.allSettled([create('Deployer'), create('DEPLOYER')])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const rejected = results.find((r) => r.status === 'rejected')
      assert.ok(rejected?.reason instanceof AlreadyExistsError)
    })

    test('refuses calls on a transaction that has ended', async (c) => {
      let kept: StoreTx | undefined
      await c.tx(async (tx) => {
        kept = tx
        await tx.getAccount(ACCOUNT)
      })
      assert.ok(kept !== undefined)
      await assert.rejects(kept.createUser({ accountId: ACCOUNT, name: 'late' }), /ended/)
      assert.deepEqual(await c.tx(userNames), [])
    })

    test('reads in a read-only transaction, and refuses a write there', async (c) => {
      await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const names = await c.store.transaction(userNames, { readOnly: true })
      assert.deepEqual(names, ['alice'])
      await assert.rejects(
        c.store.transaction((tx) => tx.createUser({ accountId: ACCOUNT, name: 'bob' }), {
          readOnly: true,
        }),
        /read-only/,
      )
      assert.deepEqual(await c.tx(userNames), ['alice'])
    })

    test('refuses a transaction opened inside another', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'outer' })
        await assert.rejects(
          c.store.transaction(() => 'inner'),
          /nest/,
        )
      })
      assert.deepEqual(await c.tx(userNames), ['outer'])
    })

    test('finishes the running transaction on close, then refuses new ones', async (c) => {
      const running = c.tx(async (tx) => {
        await sleep(5)
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        return 'done'
      })
      await c.store.close()
      assert.equal(await running, 'done')
      await assert.rejects(
        c.store.transaction(() => 1),
        /closed/,
      )
    })

    test('stamps records with the clock it was given', async (c) => {
      c.clock.advance(90_000)
      const user = await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      assert.equal(user.createdAt.toISOString(), '2026-01-01T00:01:30.000Z')
    })

    test('draws unique ids from the random source it was given', async (c) => {
      const first = await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'alice' }))
      const other = await c.openAnother()
      const second = await other.transaction((tx) =>
        tx.createUser({ accountId: ACCOUNT, name: 'alice' }),
      )
      assert.equal(second.userId, first.userId)
    })
  },
}
