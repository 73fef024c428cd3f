/**
 * Access Advisor's data in the trail store: the newest attempt per entity and action, kept as
 * events are appended, and the jobs of GenerateServiceLastAccessedDetails.
 */
import assert from 'node:assert/strict'
import type { LastAccess, NewAccessJob, TrailAccess } from '../../../trail-store.js'
import { OTHER_TRAIL_ACCOUNT, TRAIL_ACCOUNT, TRAIL_START, trailEvent } from '../trail-harness.js'
import type { TrailCaseGroup } from '../trail-harness.js'

const ALICE = 'AIDAALICEEXAMPLE00001'
const BOB = 'AIDABOBEXAMPLE0000001'
const ROLE = 'AROAROLEEXAMPLE000001'

function access(entityId: string, action: string, region = 'us-east-1'): TrailAccess {
  return { entityId, service: 'iam', action, region }
}

const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)

/** Rows in one order, whatever order a backend returns them in. */
function sorted(rows: readonly LastAccess[]): LastAccess[] {
  const key = (r: LastAccess): string => `${r.entityId} ${r.service} ${r.action}`
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)))
}

const JOB: NewAccessJob = {
  jobId: '0b7b5c1e-3c1f-4c8e-9a39-2f1d5c6a7b8c',
  accountId: TRAIL_ACCOUNT,
  entityArn: `arn:aws:iam::${TRAIL_ACCOUNT}:user/alice`,
  granularity: 'ACTION_LEVEL',
  ownerArn: `arn:aws:iam::${TRAIL_ACCOUNT}:root`,
  createdAt: at(10),
}

export const accessCases: TrailCaseGroup = {
  name: 'access advisor',
  cases: (test) => {
    test('keeps the newest attempt per entity and action, from one batch or many', async ({
      store,
    }) => {
      await store.appendTrailEvents([
        trailEvent(0, { access: access(ALICE, 'GetUser', 'eu-west-1') }),
        trailEvent(1, { access: access(ALICE, 'GetUser', 'us-west-2') }),
        trailEvent(2, { access: access(ALICE, 'ListUsers') }),
        trailEvent(3, { access: access(BOB, 'GetUser') }),
        trailEvent(4),
      ])
      await store.appendTrailEvents([trailEvent(5, { access: access(ALICE, 'ListUsers') })])
      assert.deepEqual(sorted(await store.lastAccess(TRAIL_ACCOUNT, [ALICE])), [
        { entityId: ALICE, service: 'iam', action: 'GetUser', time: at(1), region: 'us-west-2' },
        { entityId: ALICE, service: 'iam', action: 'ListUsers', time: at(5), region: 'us-east-1' },
      ])
      assert.deepEqual(sorted(await store.lastAccess(TRAIL_ACCOUNT, [ALICE, BOB, ROLE])), [
        { entityId: ALICE, service: 'iam', action: 'GetUser', time: at(1), region: 'us-west-2' },
        { entityId: ALICE, service: 'iam', action: 'ListUsers', time: at(5), region: 'us-east-1' },
        { entityId: BOB, service: 'iam', action: 'GetUser', time: at(3), region: 'us-east-1' },
      ])
      assert.deepEqual(await store.lastAccess(TRAIL_ACCOUNT, []), [])
    })

    test('an older attempt appended later does not replace a newer one', async ({ store }) => {
      await store.appendTrailEvents([trailEvent(9, { access: access(ROLE, 'GetRole', 'a') })])
      await store.appendTrailEvents([trailEvent(3, { access: access(ROLE, 'GetRole', 'b') })])
      assert.deepEqual(await store.lastAccess(TRAIL_ACCOUNT, [ROLE]), [
        { entityId: ROLE, service: 'iam', action: 'GetRole', time: at(9), region: 'a' },
      ])
    })

    test("keeps each account's attempts apart, and none for an event without one", async ({
      store,
    }) => {
      await store.appendTrailEvents([
        trailEvent(0, { access: access(ALICE, 'GetUser'), accountId: OTHER_TRAIL_ACCOUNT }),
        trailEvent(1, { access: access(ALICE, 'GetUser'), accountId: null }),
      ])
      assert.deepEqual(await store.lastAccess(TRAIL_ACCOUNT, [ALICE]), [])
      assert.equal((await store.lastAccess(OTHER_TRAIL_ACCOUNT, [ALICE])).length, 1)
    })

    test('a job starts IN_PROGRESS, ends once, and is found only in its account', async ({
      store,
    }) => {
      await store.createAccessJob(JOB)
      assert.deepEqual(await store.getAccessJob(TRAIL_ACCOUNT, JOB.jobId), {
        ...JOB,
        status: 'IN_PROGRESS',
        completedAt: null,
        result: null,
      })
      assert.equal(await store.getAccessJob(OTHER_TRAIL_ACCOUNT, JOB.jobId), null)
      assert.equal(await store.getAccessJob(TRAIL_ACCOUNT, 'no-such-job'), null)
      const done = { status: 'COMPLETED' as const, result: '{"services":[]}', completedAt: at(11) }
      assert.equal(await store.finishAccessJob(JOB.jobId, done), true)
      assert.equal(
        await store.finishAccessJob(JOB.jobId, { ...done, status: 'FAILED', result: '{}' }),
        false,
        'a job ends once',
      )
      assert.equal(await store.finishAccessJob('no-such-job', done), false)
      assert.deepEqual(await store.getAccessJob(TRAIL_ACCOUNT, JOB.jobId), { ...JOB, ...done })
    })

    test('refuses a second job with the same id', async ({ store }) => {
      await store.createAccessJob(JOB)
      await assert.rejects(store.createAccessJob({ ...JOB, entityArn: 'x'.repeat(20) }))
      assert.equal((await store.getAccessJob(TRAIL_ACCOUNT, JOB.jobId))?.entityArn, JOB.entityArn)
    })
  },
}
