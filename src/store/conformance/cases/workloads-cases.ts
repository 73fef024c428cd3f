/**
 * Workloads bound to roles: named per account without case, each under an id of its own that a
 * name used again does not reuse, found by id with the hash of its token, listed in pages, and
 * deleted for good.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { WORKLOADS_PER_ACCOUNT, WorkloadError } from '../../workloads-ops.js'
import type { NewWorkload } from '../../workloads-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service/web-server`
const WORKLOAD_ID = /^GWKL[A-Z2-7]{17}$/

/** A distinct 32-byte hash per seed. */
function hash(seed: number): Uint8Array {
  return new Uint8Array(32).fill(seed)
}

function workload(name: string, seed = 1, accountId = ACCOUNT): NewWorkload {
  return { accountId, name, roleArn: ROLE_ARN, tokenHash: hash(seed), durationSeconds: null }
}

async function names(tx: StoreTx, accountId = ACCOUNT): Promise<string[]> {
  return (await tx.listWorkloads(accountId)).items.map((w) => w.name)
}

/** The workload cases. */
export const workloadCases: CaseGroup = {
  name: 'workloads',
  cases(test) {
    test('creates a workload under a new id and finds it by id with its token hash', async (c) => {
      const created = await c.tx((tx) =>
        tx.createWorkload({ ...workload('Web', 7), durationSeconds: 900 }),
      )
      assert.match(created.workloadId, WORKLOAD_ID)
      assert.deepEqual(created, {
        workloadId: created.workloadId,
        accountId: ACCOUNT,
        name: 'Web',
        roleArn: ROLE_ARN,
        durationSeconds: 900,
        createdAt: START,
      })
      const found = await c.tx((tx) => tx.getWorkloadWithTokenHash(created.workloadId))
      assert.deepEqual(found?.workload, created)
      assert.deepEqual(found?.tokenHash, hash(7))
    })

    test('keeps a workload without a duration as null', async (c) => {
      const created = await c.tx((tx) => tx.createWorkload(workload('batch')))
      assert.equal(created.durationSeconds, null)
      assert.equal((await c.tx((tx) => tx.listWorkloads(ACCOUNT))).items[0]?.durationSeconds, null)
    })

    test('answers null for an id no workload has', async (c) => {
      const created = await c.tx((tx) => tx.createWorkload(workload('web')))
      await c.tx(async (tx) => {
        assert.equal(await tx.getWorkloadWithTokenHash(`${created.workloadId}A`), null)
        assert.equal(await tx.getWorkloadWithTokenHash(created.workloadId.toLowerCase()), null)
        assert.equal(await tx.getWorkloadWithTokenHash(''), null)
      })
    })

    test('refuses a second workload of the same name without case, in one account only', async (c) => {
      await c.tx((tx) => tx.createWorkload(workload('web', 1)))
      await rejectsWith(
        c.tx((tx) => tx.createWorkload(workload('WEB', 2))),
        WorkloadError,
        { reason: 'alreadyExists', key: 'WEB' },
      )
      await c.tx((tx) => tx.createWorkload(workload('WEB', 3, OTHER_ACCOUNT)))
      await c.tx(async (tx) => {
        assert.deepEqual(await names(tx), ['web'])
        assert.deepEqual(await names(tx, OTHER_ACCOUNT), ['WEB'])
      })
    })

    test('refuses a workload in an account that does not exist', async (c) => {
      await rejectsWith(
        c.tx((tx) => tx.createWorkload(workload('web', 1, '999999999999'))),
        NotFoundError,
        { entity: 'account', key: '999999999999' },
      )
    })

    test('deletes a workload by name without case, and its id is not found again', async (c) => {
      const created = await c.tx((tx) => tx.createWorkload(workload('Web')))
      const deleted = await c.tx((tx) => tx.deleteWorkload(ACCOUNT, 'wEB'))
      assert.deepEqual(deleted, created)
      await c.tx(async (tx) => {
        assert.equal(await tx.getWorkloadWithTokenHash(created.workloadId), null)
        assert.deepEqual(await names(tx), [])
      })
    })

    test('gives a name used again a new id, so the old token names nothing', async (c) => {
      const first = await c.tx((tx) => tx.createWorkload(workload('web', 1)))
      await c.tx((tx) => tx.deleteWorkload(ACCOUNT, 'web'))
      const second = await c.tx((tx) => tx.createWorkload(workload('web', 2)))
      assert.notEqual(second.workloadId, first.workloadId)
      await c.tx(async (tx) => {
        assert.equal(await tx.getWorkloadWithTokenHash(first.workloadId), null)
        assert.deepEqual((await tx.getWorkloadWithTokenHash(second.workloadId))?.tokenHash, hash(2))
      })
    })

    test("refuses to delete a workload that is not there, or another account's", async (c) => {
      await c.tx((tx) => tx.createWorkload(workload('web', 1, OTHER_ACCOUNT)))
      await rejectsWith(
        c.tx((tx) => tx.deleteWorkload(ACCOUNT, 'web')),
        WorkloadError,
        {
          reason: 'notFound',
          key: 'web',
        },
      )
      assert.deepEqual(await c.tx((tx) => names(tx, OTHER_ACCOUNT)), ['web'])
    })

    test('lists by name without case, then as written, in pages', async (c) => {
      await c.tx(async (tx) => {
        for (const [index, name] of ['b', 'a', 'C', 'A', 'd'].entries()) {
          await tx.createWorkload(workload(name === 'A' ? 'a2' : name, index + 1))
        }
      })
      const all = await c.tx((tx) =>
        readAllPages((marker) =>
          tx.listWorkloads(ACCOUNT, { maxItems: 2, ...(marker === undefined ? {} : { marker }) }),
        ),
      )
      assert.deepEqual(all.pages, [2, 2, 1])
      assert.deepEqual(
        all.items.map((w) => w.name),
        ['a', 'a2', 'b', 'C', 'd'],
      )
    })

    test('keeps workloads apart by account in lists', async (c) => {
      await c.tx(async (tx) => {
        await tx.createWorkload(workload('web'))
        await tx.createWorkload(workload('api', 2, OTHER_ACCOUNT))
      })
      await c.tx(async (tx) => {
        assert.deepEqual(await names(tx), ['web'])
        assert.deepEqual(await names(tx, OTHER_ACCOUNT), ['api'])
      })
    })

    test(`refuses the workload past ${WORKLOADS_PER_ACCOUNT} in an account, and keeps the rest`, async (c) => {
      await c.tx(async (tx) => {
        for (let i = 0; i < WORKLOADS_PER_ACCOUNT; i++) {
          await tx.createWorkload(workload(`w${String(i).padStart(4, '0')}`, i % 256))
        }
      })
      await rejectsWith(
        c.tx((tx) => tx.createWorkload(workload('one-more'))),
        WorkloadError,
        {
          reason: 'limitExceeded',
          key: 'one-more',
        },
      )
      await c.tx(async (tx) => {
        const all = await readAllPages((marker) =>
          tx.listWorkloads(ACCOUNT, { maxItems: 500, ...(marker === undefined ? {} : { marker }) }),
        )
        assert.equal(all.items.length, WORKLOADS_PER_ACCOUNT)
        await tx.createWorkload(workload('other-account', 1, OTHER_ACCOUNT))
      })
    })

    test('undoes a refused workload within a transaction that goes on', async (c) => {
      await c.tx(async (tx) => {
        await tx.createWorkload(workload('web', 1))
        await rejectsWith(tx.createWorkload(workload('Web', 2)), WorkloadError)
        await tx.createWorkload(workload('api', 3))
      })
      assert.deepEqual(await c.tx((tx) => names(tx)), ['api', 'web'])
    })
  },
}
