/** LookupEvents: one account's events, newest first, by one attribute and a time range. */
import assert from 'node:assert/strict'
import type { TrailEvent, TrailQuery, TrailStore } from '../../../trail-store.js'
import {
  OTHER_TRAIL_ACCOUNT,
  TRAIL_ACCOUNT,
  TRAIL_START,
  eventIdOf,
  idsOf,
  lookupAllPages,
  trailEvent,
} from '../trail-harness.js'
import type { TrailCaseGroup } from '../trail-harness.js'

const USER = 'AWS::IAM::User'
const ROLE = 'AWS::IAM::Role'

/** A small trail in which each attribute picks out different events (n = seconds after start). */
const FIXTURE: readonly Partial<TrailEvent>[] = [
  { eventName: 'GetUser', username: 'alice', accessKeyId: 'AKIAALICE' },
  {
    eventName: 'CreateUser',
    readOnly: false,
    username: 'alice',
    accessKeyId: 'AKIAALICE',
    resources: [{ type: USER, name: 'bob' }],
  },
  {
    eventName: 'AssumeRole',
    eventSource: 'sts.amazonaws.com',
    readOnly: false,
    username: null,
    accessKeyId: 'AKIAROOT',
    resources: [
      { type: ROLE, name: 'arn:aws:iam::111122223333:role/admin' },
      { type: 'AWS::STS::AssumedRoleSession', name: 'admin-session' },
    ],
  },
  {
    eventName: 'GetCallerIdentity',
    eventSource: 'sts.amazonaws.com',
    username: 'bob',
    accessKeyId: 'ASIABOB',
  },
  // Another account's event that every attribute below would otherwise match.
  {
    eventName: 'CreateUser',
    readOnly: false,
    username: 'alice',
    accessKeyId: 'AKIAALICE',
    resources: [{ type: USER, name: 'bob' }],
    accountId: OTHER_TRAIL_ACCOUNT,
  },
  {
    eventName: 'DeleteUser',
    readOnly: false,
    username: 'bob',
    accessKeyId: 'AKIABOB',
    resources: [{ type: USER, name: 'bob' }],
  },
  // No account known (a request that failed before one was): in no account's lookups.
  { eventName: 'GetUser', username: 'alice', accessKeyId: 'AKIAALICE', accountId: null },
  {
    eventName: 'ListGroupsForUser',
    username: 'alice',
    accessKeyId: 'AKIAALICE',
    // Two resources of one type: the event still comes once.
    resources: [
      { type: USER, name: 'bob' },
      { type: USER, name: 'carol' },
    ],
  },
]

async function appendFixture(store: TrailStore): Promise<void> {
  await store.appendTrailEvents(FIXTURE.map((fields, n) => trailEvent(n, fields)))
}

async function lookupIds(store: TrailStore, query: Omit<TrailQuery, 'accountId'>) {
  const page = await store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT, ...query })
  assert.equal(page.nextToken, null)
  return page.events.map((event) => event.eventId)
}

/** Each attribute LookupEvents offers, with a value, and the fixture events it must return. */
const ATTRIBUTE_CASES: readonly [NonNullable<TrailQuery['attribute']>, readonly number[]][] = [
  [{ key: 'EventId', value: eventIdOf(3) }, [3]],
  [{ key: 'EventId', value: eventIdOf(4) }, []],
  [{ key: 'EventName', value: 'CreateUser' }, [1]],
  [{ key: 'EventName', value: 'GetUser' }, [0]],
  [{ key: 'ReadOnly', value: 'true' }, [7, 3, 0]],
  [{ key: 'ReadOnly', value: 'false' }, [5, 2, 1]],
  [{ key: 'ReadOnly', value: 'yes' }, []],
  [{ key: 'Username', value: 'alice' }, [7, 1, 0]],
  [{ key: 'Username', value: 'bob' }, [5, 3]],
  [{ key: 'ResourceType', value: USER }, [7, 5, 1]],
  [{ key: 'ResourceType', value: 'AWS::STS::AssumedRoleSession' }, [2]],
  [{ key: 'ResourceName', value: 'bob' }, [7, 5, 1]],
  [{ key: 'ResourceName', value: 'carol' }, [7]],
  [{ key: 'ResourceName', value: 'arn:aws:iam::111122223333:role/admin' }, [2]],
  [{ key: 'EventSource', value: 'sts.amazonaws.com' }, [3, 2]],
  [{ key: 'EventSource', value: 'iam.amazonaws.com' }, [7, 5, 1, 0]],
  [{ key: 'AccessKeyId', value: 'AKIAALICE' }, [7, 1, 0]],
  [{ key: 'AccessKeyId', value: 'ASIABOB' }, [3]],
  [{ key: 'Username', value: 'nobody' }, []],
]

/** The lookup cases. */
export const lookupCases: TrailCaseGroup = {
  name: 'lookup',
  cases(test) {
    test("returns only the account's events, newest first", async (c) => {
      await appendFixture(c.store)
      assert.deepEqual(await lookupIds(c.store, {}), idsOf(7, 5, 3, 2, 1, 0))
      const other = await c.store.lookupTrailEvents({ accountId: OTHER_TRAIL_ACCOUNT })
      assert.deepEqual(
        other.events.map((event) => event.eventId),
        idsOf(4),
      )
      const none = await c.store.lookupTrailEvents({ accountId: '999999999999' })
      assert.deepEqual(none, { events: [], nextToken: null })
    })

    test('orders by event time, then by sequence, not by order of appending', async (c) => {
      const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)
      await c.store.appendTrailEvents([
        trailEvent(0, { eventTime: at(5) }),
        trailEvent(1, { eventTime: at(1) }),
        trailEvent(2, { eventTime: at(5) }),
        trailEvent(3, { eventTime: at(3) }),
      ])
      await c.store.appendTrailEvents([trailEvent(4, { eventTime: at(2) })])
      assert.deepEqual(await lookupIds(c.store, {}), idsOf(2, 0, 3, 4, 1))
    })

    for (const [attribute, expected] of ATTRIBUTE_CASES) {
      test(`filters by ${attribute.key} = ${attribute.value}`, async (c) => {
        await appendFixture(c.store)
        assert.deepEqual(await lookupIds(c.store, { attribute }), idsOf(...expected))
      })
    }

    test('returns events as stored, sequence and hash included', async (c) => {
      await appendFixture(c.store)
      const trail = await c.store.readTrailEvents(0, 100)
      const page = await c.store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'EventName', value: 'AssumeRole' },
      })
      assert.deepEqual(page.events, [trail[2]])
    })

    test('bounds by start and end time, both inclusive', async (c) => {
      await appendFixture(c.store)
      const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)
      assert.deepEqual(await lookupIds(c.store, { startTime: at(2) }), idsOf(7, 5, 3, 2))
      assert.deepEqual(await lookupIds(c.store, { endTime: at(2) }), idsOf(2, 1, 0))
      assert.deepEqual(
        await lookupIds(c.store, { startTime: at(1), endTime: at(5) }),
        idsOf(5, 3, 2, 1),
      )
      assert.deepEqual(await lookupIds(c.store, { startTime: at(3), endTime: at(3) }), idsOf(3))
      assert.deepEqual(
        await lookupIds(c.store, { startTime: new Date(at(3).getTime() + 1), endTime: at(4) }),
        [],
      )
      assert.deepEqual(await lookupIds(c.store, { startTime: at(6), endTime: at(1) }), [])
    })

    test('combines an attribute with a time range', async (c) => {
      await appendFixture(c.store)
      const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)
      const range = { startTime: at(1), endTime: at(5) }
      assert.deepEqual(
        await lookupIds(c.store, { ...range, attribute: { key: 'Username', value: 'alice' } }),
        idsOf(1),
      )
      assert.deepEqual(
        await lookupIds(c.store, { ...range, attribute: { key: 'ResourceName', value: 'bob' } }),
        idsOf(5, 1),
      )
    })

    test('sees every event appended so far', async (c) => {
      await appendFixture(c.store)
      const before = await lookupAllPages(c.store, { accountId: TRAIL_ACCOUNT })
      await c.store.appendTrailEvents([trailEvent(20)])
      const after = await lookupAllPages(c.store, { accountId: TRAIL_ACCOUNT })
      assert.deepEqual(after.ids, [eventIdOf(20), ...before.ids])
    })
  },
}
