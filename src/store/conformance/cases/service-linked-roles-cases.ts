/**
 * Service-linked roles' deletion tasks, kept per account under ids of AWS's format, and the
 * account's STS preferences, AWS's default until set.
 */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import { ACCOUNT, OTHER_ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const UNKNOWN = '999999999999'
const SERVICE = 'elasticbeanstalk.amazonaws.com'
const ROLE = 'AWSServiceRoleForElasticBeanstalk'
const TASK_ID =
  /^task\/aws-service-role\/elasticbeanstalk\.amazonaws\.com\/AWSServiceRoleForElasticBeanstalk\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const NEW_TASK = {
  accountId: ACCOUNT,
  serviceName: SERVICE,
  roleName: ROLE,
  status: 'SUCCEEDED',
} as const

/** The service-linked roles cases. */
export const serviceLinkedRoleCases: CaseGroup = {
  name: 'service linked roles',
  cases(test) {
    test('records a deletion task under a new id of AWS format and reads it back', async (c) => {
      const task = await c.tx((tx) => tx.createDeletionTask(NEW_TASK))
      assert.match(task.taskId, TASK_ID)
      assert.deepEqual(task, { ...NEW_TASK, reason: null, taskId: task.taskId, createdAt: START })
      assert.deepEqual(await c.tx((tx) => tx.getDeletionTask(ACCOUNT, task.taskId)), task)
    })

    test('gives every task its own id and keeps a failed task with its reason', async (c) => {
      const first = await c.tx((tx) => tx.createDeletionTask(NEW_TASK))
      c.clock.advance(1000)
      const failed = await c.tx((tx) =>
        tx.createDeletionTask({ ...NEW_TASK, status: 'FAILED', reason: 'role in use' }),
      )
      assert.notEqual(failed.taskId, first.taskId)
      const read = await c.tx((tx) => tx.getDeletionTask(ACCOUNT, failed.taskId))
      assert.equal(read?.status, 'FAILED')
      assert.equal(read?.reason, 'role in use')
      assert.deepEqual(read?.createdAt, new Date(START.getTime() + 1000))
      assert.equal(
        (await c.tx((tx) => tx.getDeletionTask(ACCOUNT, first.taskId)))?.status,
        'SUCCEEDED',
      )
    })

    test("answers null for an unknown task and for another account's task", async (c) => {
      const task = await c.tx((tx) => tx.createDeletionTask(NEW_TASK))
      await c.tx(async (tx) => {
        assert.equal(await tx.getDeletionTask(OTHER_ACCOUNT, task.taskId), null)
        assert.equal(await tx.getDeletionTask(ACCOUNT, `${task.taskId}0`), null)
        assert.equal(await tx.getDeletionTask(UNKNOWN, task.taskId), null)
      })
    })

    test('answers v1Token for an account that set no STS preferences', async (c) => {
      await c.tx(async (tx) => {
        assert.deepEqual(await tx.getStsPreferences(ACCOUNT), {
          globalEndpointTokenVersion: 'v1Token',
        })
      })
    })

    test('sets and replaces the STS preferences of one account only', async (c) => {
      await c.tx((tx) => tx.setStsPreferences(ACCOUNT, { globalEndpointTokenVersion: 'v2Token' }))
      await c.tx(async (tx) => {
        assert.deepEqual(await tx.getStsPreferences(ACCOUNT), {
          globalEndpointTokenVersion: 'v2Token',
        })
        assert.deepEqual(await tx.getStsPreferences(OTHER_ACCOUNT), {
          globalEndpointTokenVersion: 'v1Token',
        })
      })
      await c.tx((tx) => tx.setStsPreferences(ACCOUNT, { globalEndpointTokenVersion: 'v1Token' }))
      assert.deepEqual(await c.tx((tx) => tx.getStsPreferences(ACCOUNT)), {
        globalEndpointTokenVersion: 'v1Token',
      })
    })

    test('refuses an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        const expected = { entity: 'account', key: UNKNOWN }
        await rejectsWith(
          tx.createDeletionTask({ ...NEW_TASK, accountId: UNKNOWN }),
          NotFoundError,
          expected,
        )
        await rejectsWith(
          tx.setStsPreferences(UNKNOWN, { globalEndpointTokenVersion: 'v2Token' }),
          NotFoundError,
          expected,
        )
        await rejectsWith(tx.getStsPreferences(UNKNOWN), NotFoundError, expected)
      })
    })

    test('keeps nothing of a task or preference written in a transaction that fails', async (c) => {
      let taskId = ''
      await assert.rejects(
        c.tx(async (tx) => {
          taskId = (await tx.createDeletionTask(NEW_TASK)).taskId
          await tx.setStsPreferences(ACCOUNT, { globalEndpointTokenVersion: 'v2Token' })
          throw new Error('handler failed')
        }),
        /handler failed/,
      )
      await c.tx(async (tx) => {
        assert.equal(await tx.getDeletionTask(ACCOUNT, taskId), null)
        assert.deepEqual(await tx.getStsPreferences(ACCOUNT), {
          globalEndpointTokenVersion: 'v1Token',
        })
      })
    })

    test('reads in a read-only transaction and refuses to write there', async (c) => {
      const task = await c.tx((tx) => tx.createDeletionTask(NEW_TASK))
      await c.store.transaction(
        async (tx) => {
          assert.equal((await tx.getDeletionTask(ACCOUNT, task.taskId))?.taskId, task.taskId)
          assert.equal((await tx.getStsPreferences(ACCOUNT)).globalEndpointTokenVersion, 'v1Token')
          await assert.rejects(tx.createDeletionTask(NEW_TASK))
          await assert.rejects(
            tx.setStsPreferences(ACCOUNT, { globalEndpointTokenVersion: 'v2Token' }),
          )
        },
        { readOnly: true },
      )
      assert.equal(
        (await c.tx((tx) => tx.getStsPreferences(ACCOUNT))).globalEndpointTokenVersion,
        'v1Token',
      )
    })
  },
}
