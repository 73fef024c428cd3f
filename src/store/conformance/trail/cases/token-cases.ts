/** LookupEvents' pages: MaxResults, and a NextToken bound to its query. */
import assert from 'node:assert/strict'
import { TrailQueryError } from '../../../trail-query-error.js'
import type { TrailQuery } from '../../../trail-store.js'
import {
  OTHER_TRAIL_ACCOUNT,
  TRAIL_ACCOUNT,
  TRAIL_START,
  appendNumbered,
  idsOf,
  lookupAllPages,
  trailEvent,
} from '../trail-harness.js'
import type { TrailCaseGroup } from '../trail-harness.js'

/** n, n-1, ..., 0: events numbered below n, newest first. */
function newestFirst(n: number): number[] {
  return Array.from({ length: n }, (_, i) => n - 1 - i)
}

const at = (seconds: number): Date => new Date(TRAIL_START.getTime() + seconds * 1000)

/** The query a token is issued for, and queries that differ from it in one parameter each. */
const ISSUED: TrailQuery = {
  accountId: TRAIL_ACCOUNT,
  attribute: { key: 'Username', value: 'alice' },
  startTime: at(0),
  endTime: at(100),
  maxResults: 2,
}
const NO_START: TrailQuery = {
  accountId: TRAIL_ACCOUNT,
  attribute: { key: 'Username', value: 'alice' },
  endTime: at(100),
  maxResults: 2,
}
const NO_END: TrailQuery = {
  accountId: TRAIL_ACCOUNT,
  attribute: { key: 'Username', value: 'alice' },
  startTime: at(0),
  maxResults: 2,
}
const OTHER_PARAMETERS: readonly [string, TrailQuery][] = [
  ['another account', { ...ISSUED, accountId: OTHER_TRAIL_ACCOUNT }],
  ['another attribute key', { ...ISSUED, attribute: { key: 'EventName', value: 'alice' } }],
  ['another attribute value', { ...ISSUED, attribute: { key: 'Username', value: 'bob' } }],
  ['no attribute', { accountId: TRAIL_ACCOUNT, startTime: at(0), endTime: at(100) }],
  ['another start time', { ...ISSUED, startTime: at(1) }],
  ['no start time', NO_START],
  ['another end time', { ...ISSUED, endTime: at(99) }],
  ['no end time', NO_END],
]

/** The token cases. */
export const tokenCases: TrailCaseGroup = {
  name: 'pages',
  cases(test) {
    test('gives 50 events when no page size is asked for', async (c) => {
      await appendNumbered(c.store, 51)
      const first = await c.store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT })
      assert.equal(first.events.length, 50)
      assert.ok(first.nextToken !== null)
      const rest = await c.store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        nextToken: first.nextToken,
      })
      assert.deepEqual(
        rest.events.map((event) => event.eventId),
        idsOf(0),
      )
      assert.equal(rest.nextToken, null)
    })

    test('pages through every match once, with a token on all but the last page', async (c) => {
      await appendNumbered(c.store, 7)
      const all = await lookupAllPages(c.store, { accountId: TRAIL_ACCOUNT, maxResults: 3 })
      assert.deepEqual(all.ids, idsOf(...newestFirst(7)))
      assert.deepEqual(all.pages, [3, 3, 1])
    })

    test('ends without a token when the last page is exactly full', async (c) => {
      await appendNumbered(c.store, 4)
      const all = await lookupAllPages(c.store, { accountId: TRAIL_ACCOUNT, maxResults: 2 })
      assert.deepEqual(all.pages, [2, 2])
      const whole = await c.store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT, maxResults: 4 })
      assert.equal(whole.events.length, 4)
      assert.equal(whole.nextToken, null)
    })

    test('pages events of one same time by sequence, none twice or lost', async (c) => {
      const time = at(7)
      await appendNumbered(c.store, 9, () => ({ eventTime: time }))
      const all = await lookupAllPages(c.store, { accountId: TRAIL_ACCOUNT, maxResults: 2 })
      assert.deepEqual(all.ids, idsOf(...newestFirst(9)))
      assert.deepEqual(all.pages, [2, 2, 2, 2, 1])
    })

    test('pages with an attribute and a time range', async (c) => {
      await appendNumbered(c.store, 30, (n) => ({
        username: n % 3 === 0 ? 'alice' : 'bob',
        resources: n % 2 === 0 ? [{ type: 'AWS::IAM::User', name: 'carol' }] : [],
      }))
      const alice = await lookupAllPages(c.store, {
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'Username', value: 'alice' },
        startTime: at(4),
        endTime: at(24),
        maxResults: 2,
      })
      assert.deepEqual(alice.ids, idsOf(24, 21, 18, 15, 12, 9, 6))
      assert.deepEqual(alice.pages, [2, 2, 2, 1])
      const carol = await lookupAllPages(c.store, {
        accountId: TRAIL_ACCOUNT,
        attribute: { key: 'ResourceName', value: 'carol' },
        startTime: at(3),
        maxResults: 4,
      })
      assert.deepEqual(carol.ids, idsOf(28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4))
      assert.deepEqual(carol.pages, [4, 4, 4, 1])
    })

    test('continues after its last event when newer events were appended since', async (c) => {
      await appendNumbered(c.store, 5)
      const first = await c.store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT, maxResults: 2 })
      assert.deepEqual(
        first.events.map((event) => event.eventId),
        idsOf(4, 3),
      )
      await c.store.appendTrailEvents([trailEvent(10), trailEvent(11)])
      assert.ok(first.nextToken !== null)
      const second = await c.store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        maxResults: 2,
        nextToken: first.nextToken,
      })
      assert.deepEqual(
        second.events.map((event) => event.eventId),
        idsOf(2, 1),
      )
    })

    test('lets the page size change from page to page', async (c) => {
      await appendNumbered(c.store, 6)
      const first = await c.store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT, maxResults: 1 })
      assert.ok(first.nextToken !== null)
      const second = await c.store.lookupTrailEvents({
        accountId: TRAIL_ACCOUNT,
        maxResults: 10,
        nextToken: first.nextToken,
      })
      assert.deepEqual(
        second.events.map((event) => event.eventId),
        idsOf(4, 3, 2, 1, 0),
      )
      assert.equal(second.nextToken, null)
    })

    for (const [difference, query] of OTHER_PARAMETERS) {
      test(`refuses a token used with ${difference}`, async (c) => {
        await appendNumbered(c.store, 10, () => ({ username: 'alice' }))
        const first = await c.store.lookupTrailEvents(ISSUED)
        assert.ok(first.nextToken !== null)
        const nextToken = first.nextToken
        await assert.rejects(c.store.lookupTrailEvents({ ...query, nextToken }), TrailQueryError)
        // The same token with its own parameters still works.
        const second = await c.store.lookupTrailEvents({ ...ISSUED, nextToken })
        assert.deepEqual(
          second.events.map((event) => event.eventId),
          idsOf(7, 6),
        )
      })
    }

    test('refuses a token it did not issue', async (c) => {
      await appendNumbered(c.store, 3)
      const forged = [
        'not-a-token',
        Buffer.from('{}').toString('base64url'),
        Buffer.from('[1,2,3]').toString('base64url'),
        Buffer.from('{"t":"x","s":1,"q":"y"}').toString('base64url'),
      ]
      for (const nextToken of forged) {
        await assert.rejects(
          c.store.lookupTrailEvents({ accountId: TRAIL_ACCOUNT, nextToken }),
          TrailQueryError,
          nextToken,
        )
      }
    })
  },
}
