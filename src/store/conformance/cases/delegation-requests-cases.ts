/** Delegation requests (temporary access delegation) and their partners' notifications. */
import assert from 'node:assert/strict'
import { NotFoundError } from '../../errors.js'
import {
  DelegationRequestError,
  OPEN_DELEGATION_REQUESTS_PER_ACCOUNT,
} from '../../delegation-requests-ops.js'
import type { NewDelegationRequest } from '../../delegation-requests-ops.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

const DAY = 86_400_000
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:delegations`
const TEMPLATE = `arn:aws:iam::${ACCOUNT}:policy/templates/ReadBucket`
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const HASH = new Uint8Array(32).fill(7)

/** A request made by ACCOUNT at `at`, targeted to OTHER_ACCOUNT unless told otherwise. */
function newRequest(
  workflowId: string,
  at: Date,
  extra: Partial<NewDelegationRequest> = {},
): NewDelegationRequest {
  return {
    requestorAccountId: ACCOUNT,
    requestorArn: `arn:aws:iam::${ACCOUNT}:user/partner`,
    ownerAccountId: OTHER_ACCOUNT,
    description: 'Set up the data pipeline',
    requestMessage: null,
    requestorWorkflowId: workflowId,
    templateArn: TEMPLATE,
    parameters: [{ name: 'bucketName', values: ['data'], type: 'string' }],
    permissionPolicy: POLICY,
    redirectUrl: null,
    notificationChannel: TOPIC,
    sessionDuration: 3600,
    onlySendByOwner: false,
    at,
    expiresAt: new Date(at.getTime() + DAY),
    ...extra,
  }
}

const OWNER = `arn:aws:iam::${OTHER_ACCOUNT}:user/alice`

/** The delegation request cases. */
export const delegationRequestCases: CaseGroup = {
  name: 'delegation requests',
  cases(test) {
    test('creates a request in UNASSIGNED with a UUID, as given, and reads it back', async (c) => {
      await c.tx(async (tx) => {
        const created = await tx.createDelegationRequest(
          newRequest('workflow-1', START, {
            requestMessage: 'Second try',
            redirectUrl: 'https://partner.example/return',
            onlySendByOwner: true,
            parameters: [
              { name: 'bucketName', values: ['data'], type: 'string' },
              { name: 'prefixes', values: ['a/', 'b/'], type: 'stringList' },
            ],
          }),
        )
        assert.match(created.requestId, UUID)
        assert.deepEqual(created, {
          requestId: created.requestId,
          requestorAccountId: ACCOUNT,
          requestorArn: `arn:aws:iam::${ACCOUNT}:user/partner`,
          ownerAccountId: OTHER_ACCOUNT,
          ownerId: null,
          approverId: null,
          approver: null,
          description: 'Set up the data pipeline',
          requestMessage: 'Second try',
          requestorWorkflowId: 'workflow-1',
          templateArn: TEMPLATE,
          parameters: [
            { name: 'bucketName', values: ['data'], type: 'string' },
            { name: 'prefixes', values: ['a/', 'b/'], type: 'stringList' },
          ],
          permissionPolicy: POLICY,
          redirectUrl: 'https://partner.example/return',
          notificationChannel: TOPIC,
          sessionDuration: 3600,
          onlySendByOwner: true,
          state: 'UNASSIGNED',
          notes: null,
          rejectionReason: null,
          tokenHash: null,
          createdAt: START,
          updatedAt: START,
          expiresAt: new Date(START.getTime() + DAY),
          finalizedAt: null,
        })
        assert.deepEqual(await tx.getDelegationRequest(created.requestId), created)
      })
    })

    test('refuses a workflow id its account already used, not one of another account', async (c) => {
      await c.tx(async (tx) => {
        await tx.createDelegationRequest(newRequest('workflow-1', START))
        await rejectsWith(
          tx.createDelegationRequest(newRequest('workflow-1', START)),
          DelegationRequestError,
          { reason: 'workflowExists', key: 'workflow-1' },
        )
        // Workflow ids compare with case.
        await tx.createDelegationRequest(newRequest('WORKFLOW-1', START))
        const other = await tx.createDelegationRequest(
          newRequest('workflow-1', START, { requestorAccountId: OTHER_ACCOUNT }),
        )
        assert.equal(other.requestorAccountId, OTHER_ACCOUNT)
      })
    })

    test('refuses a request of an account that does not exist', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.createDelegationRequest(
            newRequest('w-1', START, { requestorAccountId: '999999999999' }),
          ),
          NotFoundError,
          { entity: 'account' },
        )
      })
    })

    test('answers notFound for a request id that is not there', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.getDelegationRequest('00000000-0000-4000-8000-000000000000'),
          DelegationRequestError,
          {
            reason: 'notFound',
          },
        )
      })
    })

    test('moves a request from the states given, records what the move says, and refuses others', async (c) => {
      await c.tx(async (tx) => {
        const { requestId } = await tx.createDelegationRequest(newRequest('workflow-1', START))
        const at = new Date(START.getTime() + 1000)
        const assigned = await tx.transitionDelegationRequest(requestId, {
          from: ['UNASSIGNED'],
          to: 'ASSIGNED',
          at,
          expiresAt: new Date(at.getTime() + 7 * DAY),
          ownerAccountId: OTHER_ACCOUNT,
          ownerId: OWNER,
        })
        assert.equal(assigned.state, 'ASSIGNED')
        assert.equal(assigned.ownerId, OWNER)
        assert.deepEqual(assigned.updatedAt, at)
        assert.deepEqual(assigned.expiresAt, new Date(at.getTime() + 7 * DAY))
        // Not in the state the move starts from: nothing changes.
        await rejectsWith(
          tx.transitionDelegationRequest(requestId, {
            from: ['UNASSIGNED'],
            to: 'ASSIGNED',
            at,
            expiresAt: at,
            ownerId: 'arn:aws:iam::444455556666:user/mallory',
          }),
          DelegationRequestError,
          { reason: 'stateChanged', key: requestId },
        )
        assert.equal((await tx.getDelegationRequest(requestId)).ownerId, OWNER)
        const finalized = await tx.transitionDelegationRequest(requestId, {
          from: ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED'],
          to: 'FINALIZED',
          at,
          expiresAt: new Date(at.getTime() + 7 * DAY),
          approverId: OWNER,
          approver: '{"who":"alice"}',
          notes: 'ok',
          tokenHash: HASH,
          finalizedAt: at,
        })
        assert.equal(finalized.state, 'FINALIZED')
        assert.deepEqual(finalized.tokenHash, HASH)
        assert.deepEqual(finalized.finalizedAt, at)
        assert.equal(finalized.approver, '{"who":"alice"}')
        assert.equal(finalized.notes, 'ok')
        const cleared = await tx.transitionDelegationRequest(requestId, {
          from: ['FINALIZED'],
          to: 'FINALIZED',
          at,
          expiresAt: finalized.expiresAt,
          notes: null,
        })
        assert.equal(cleared.notes, null)
        await rejectsWith(
          tx.transitionDelegationRequest('00000000-0000-4000-8000-000000000000', {
            from: ['UNASSIGNED'],
            to: 'ASSIGNED',
            at,
            expiresAt: at,
          }),
          DelegationRequestError,
          { reason: 'notFound' },
        )
      })
    })

    test('refuses to move a request whose state has expired', async (c) => {
      await c.tx(async (tx) => {
        const { requestId } = await tx.createDelegationRequest(newRequest('workflow-1', START))
        const late = new Date(START.getTime() + DAY)
        await rejectsWith(
          tx.transitionDelegationRequest(requestId, {
            from: ['UNASSIGNED'],
            to: 'ASSIGNED',
            at: late,
            expiresAt: new Date(late.getTime() + DAY),
            ownerId: OWNER,
          }),
          DelegationRequestError,
          { reason: 'stateChanged' },
        )
        assert.equal((await tx.getDelegationRequest(requestId)).state, 'UNASSIGNED')
      })
    })

    test('lists the requests an account made or owns, oldest first, page by page', async (c) => {
      await c.tx(async (tx) => {
        const made: string[] = []
        for (let i = 0; i < 5; i++) {
          const at = new Date(START.getTime() + i * 1000)
          made.push((await tx.createDelegationRequest(newRequest(`workflow-${i}`, at))).requestId)
        }
        // Associated by an identity of OTHER_ACCOUNT: listed for it from then on.
        const at = new Date(START.getTime() + 10_000)
        for (const requestId of [made[1], made[3]]) {
          await tx.transitionDelegationRequest(requestId ?? '', {
            from: ['UNASSIGNED'],
            to: 'ASSIGNED',
            at,
            expiresAt: new Date(at.getTime() + DAY),
            ownerAccountId: OTHER_ACCOUNT,
            ownerId: requestId === made[1] ? OWNER : `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`,
          })
        }
        const mine = await readAllPages((marker) =>
          tx.listDelegationRequests(
            { accountId: ACCOUNT },
            { maxItems: 2, ...(marker === undefined ? {} : { marker }) },
          ),
        )
        assert.deepEqual(
          mine.items.map((r) => r.requestId),
          made,
        )
        assert.deepEqual(mine.pages, [2, 2, 1])
        const owned = await tx.listDelegationRequests({ accountId: OTHER_ACCOUNT })
        assert.deepEqual(
          owned.items.map((r) => r.requestId),
          [made[1], made[3]],
        )
        const alices = await tx.listDelegationRequests({ accountId: OTHER_ACCOUNT, ownerId: OWNER })
        assert.deepEqual(
          alices.items.map((r) => r.requestId),
          [made[1]],
        )
        assert.deepEqual((await tx.listDelegationRequests({ accountId: '999999999999' })).items, [])
      })
    })

    test('limits the open requests of an account', async (c) => {
      await c.tx(async (tx) => {
        for (let i = 0; i < OPEN_DELEGATION_REQUESTS_PER_ACCOUNT; i++) {
          await tx.createDelegationRequest(newRequest(`w-${i}`, START))
        }
        await rejectsWith(
          tx.createDelegationRequest(newRequest('one-too-many', START)),
          DelegationRequestError,
          { reason: 'limitExceeded' },
        )
        // Nothing of the refused request was kept, and the other account is not held back.
        const all = await readAllPages((marker) =>
          tx.listDelegationRequests(
            { accountId: ACCOUNT },
            { maxItems: 1000, ...(marker === undefined ? {} : { marker }) },
          ),
        )
        assert.equal(all.items.length, OPEN_DELEGATION_REQUESTS_PER_ACCOUNT)
        await tx.createDelegationRequest(
          newRequest('w-0', START, { requestorAccountId: OTHER_ACCOUNT }),
        )
        // Expired requests no longer count.
        const later = new Date(START.getTime() + DAY)
        await tx.createDelegationRequest(newRequest('after-expiry', later))
      })
    })

    test('deletes the requests whose state expired before a time, with their notifications', async (c) => {
      await c.tx(async (tx) => {
        const old = await tx.createDelegationRequest(newRequest('old', START))
        const recent = await tx.createDelegationRequest(
          newRequest('recent', new Date(START.getTime() + DAY)),
        )
        await tx.putDelegationNotification({
          requestId: old.requestId,
          accountId: ACCOUNT,
          topicArn: TOPIC,
          message: 'old news',
          at: START,
        })
        assert.equal(
          await tx.deleteExpiredDelegationRequests(new Date(START.getTime() + DAY + 1)),
          1,
        )
        await rejectsWith(tx.getDelegationRequest(old.requestId), DelegationRequestError, {
          reason: 'notFound',
        })
        assert.equal(
          (await tx.getDelegationRequest(recent.requestId)).requestorWorkflowId,
          'recent',
        )
        assert.deepEqual(await tx.receiveDelegationNotifications(ACCOUNT, TOPIC, 10), [])
      })
    })

    test('keeps notifications sealed until their account receives them, each once, oldest first', async (c) => {
      const secret = 'gdt1-exchange-token-that-must-not-be-stored-in-clear-0123456789'
      const { requestId } = await c.tx((tx) =>
        tx.createDelegationRequest(newRequest('workflow-1', START)),
      )
      await c.tx(async (tx) => {
        for (const [i, message] of ['first', `token ${secret}`, 'third'].entries()) {
          await tx.putDelegationNotification({
            requestId,
            accountId: ACCOUNT,
            topicArn: TOPIC,
            message,
            at: new Date(START.getTime() + i),
          })
        }
        await tx.putDelegationNotification({
          requestId,
          accountId: ACCOUNT,
          topicArn: `${TOPIC}-other`,
          message: 'elsewhere',
          at: START,
        })
      })
      const raw = Buffer.from(await c.rawContent())
      assert.equal(raw.includes(secret), false, 'a notification is stored in clear')
      await c.tx(async (tx) => {
        // Another account, even naming the same topic, receives nothing.
        assert.deepEqual(await tx.receiveDelegationNotifications(OTHER_ACCOUNT, TOPIC, 10), [])
        const firstTwo = await tx.receiveDelegationNotifications(ACCOUNT, TOPIC, 2)
        assert.deepEqual(
          firstTwo.map((n) => [n.message, n.requestId, n.topicArn, n.createdAt]),
          [
            ['first', requestId, TOPIC, START],
            [`token ${secret}`, requestId, TOPIC, new Date(START.getTime() + 1)],
          ],
        )
        assert.ok(Number(firstTwo[0]?.notificationId) < Number(firstTwo[1]?.notificationId))
        const rest = await tx.receiveDelegationNotifications(ACCOUNT, TOPIC, 10)
        assert.deepEqual(
          rest.map((n) => n.message),
          ['third'],
        )
        assert.deepEqual(await tx.receiveDelegationNotifications(ACCOUNT, TOPIC, 10), [])
        assert.deepEqual(
          (await tx.receiveDelegationNotifications(ACCOUNT, `${TOPIC}-other`, 10)).map(
            (n) => n.message,
          ),
          ['elsewhere'],
        )
      })
    })

    test('refuses a notification of a request that is not there', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.putDelegationNotification({
            requestId: '00000000-0000-4000-8000-000000000000',
            accountId: ACCOUNT,
            topicArn: TOPIC,
            message: 'lost',
            at: START,
          }),
          DelegationRequestError,
          { reason: 'notFound' },
        )
      })
    })
  },
}
