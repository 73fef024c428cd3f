/** Appending: the trail's one order, the hash chain, reading back in order of sequence. */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  OTHER_TRAIL_ACCOUNT,
  TRAIL_START,
  appendNumbered,
  assertChain,
  readWholeTrail,
  trailEvent,
} from '../trail-harness.js'
import type { TrailCaseGroup } from '../trail-harness.js'

/** The append cases. */
export const appendCases: TrailCaseGroup = {
  name: 'append',
  cases(test) {
    test('numbers events from 1 and chains the first to 64 zeros', async (c) => {
      const stored = await appendNumbered(c.store, 3)
      assert.deepEqual(
        stored.map((event) => event.sequence),
        [1, 2, 3],
      )
      const first = stored[0]
      assert.ok(first !== undefined)
      const zeros = '0000000000000000000000000000000000000000000000000000000000000000'
      assert.equal(
        first.hash,
        createHash('sha256')
          .update(zeros + '\n' + first.record)
          .digest('hex'),
      )
      assertChain(stored)
    })

    test('returns the events as stored and reads them back unchanged', async (c) => {
      const events = [
        trailEvent(0),
        trailEvent(1, {
          eventName: 'CreateUser',
          readOnly: false,
          username: null,
          accessKeyId: null,
          accountId: null,
          resources: [
            { type: 'AWS::IAM::User', name: 'bob' },
            { type: 'AWS::IAM::User', name: 'arn:aws:iam::111122223333:user/bob' },
          ],
          // Any text, newlines and characters beyond ASCII included, is kept byte for byte.
          record: '{"eventName":"CreateUser",\n "userName":"bøb 🙂"}',
        }),
        trailEvent(2, { eventTime: new Date('2026-01-01T00:00:02.123Z') }),
      ]
      const stored = await c.store.appendTrailEvents(events)
      assert.deepEqual(
        stored,
        events.map((event, i) => ({ ...event, sequence: i + 1, hash: stored[i]?.hash })),
      )
      const read = await readWholeTrail(c.store)
      assert.deepEqual(read, stored)
      assert.ok(read[2]?.eventTime instanceof Date)
      assertChain(read)
    })

    test('continues the sequence and the chain from one append to the next', async (c) => {
      const first = await c.store.appendTrailEvents([trailEvent(0), trailEvent(1)])
      const second = await c.store.appendTrailEvents([trailEvent(2)])
      const third = await c.store.appendTrailEvents([trailEvent(3), trailEvent(4)])
      assert.deepEqual(
        [...first, ...second, ...third].map((event) => event.sequence),
        [1, 2, 3, 4, 5],
      )
      assertChain(await readWholeTrail(c.store))
    })

    test('appends nothing for an empty batch', async (c) => {
      assert.deepEqual(await c.store.appendTrailEvents([]), [])
      await appendNumbered(c.store, 1)
      assert.deepEqual(await c.store.appendTrailEvents([]), [])
      const trail = await readWholeTrail(c.store)
      assert.equal(trail.length, 1)
      assertChain(trail)
    })

    test('keeps the order of appending, whatever the events times', async (c) => {
      const late = trailEvent(9)
      const early = trailEvent(1)
      await c.store.appendTrailEvents([late, early])
      const trail = await readWholeTrail(c.store)
      assert.deepEqual(
        trail.map((event) => event.eventId),
        [late.eventId, early.eventId],
      )
      assertChain(trail)
    })

    test('chains every account into one trail', async (c) => {
      await c.store.appendTrailEvents([
        trailEvent(0),
        trailEvent(1, { accountId: OTHER_TRAIL_ACCOUNT }),
        trailEvent(2, { accountId: null }),
        trailEvent(3),
      ])
      const trail = await readWholeTrail(c.store)
      assert.equal(trail.length, 4)
      assertChain(trail)
    })

    test('writes none of an append whose events cannot all be stored', async (c) => {
      await appendNumbered(c.store, 2)
      // An event time that is not a time: whatever a backend makes of it, not half a batch.
      await assert.rejects(
        c.store.appendTrailEvents([
          trailEvent(2),
          trailEvent(3, { eventTime: new Date(NaN), record: '{"eventID":"3"}' }),
        ]),
      )
      const after = await c.store.appendTrailEvents([trailEvent(4)])
      assert.equal(after[0]?.sequence, 3)
      const trail = await readWholeTrail(c.store)
      assert.deepEqual(
        trail.map((event) => event.eventTime.getTime() - TRAIL_START.getTime()),
        [0, 1000, 4000],
      )
      assertChain(trail)
    })

    test('reads after a sequence, in order of sequence, at most the limit', async (c) => {
      await appendNumbered(c.store, 5)
      const seq = async (after: number, limit: number): Promise<number[]> =>
        (await c.store.readTrailEvents(after, limit)).map((event) => event.sequence)
      assert.deepEqual(await seq(0, 2), [1, 2])
      assert.deepEqual(await seq(2, 10), [3, 4, 5])
      assert.deepEqual(await seq(4, 1), [5])
      assert.deepEqual(await seq(5, 10), [])
      assert.deepEqual(await seq(99, 10), [])
      assert.deepEqual(await seq(0, 0), [])
    })

    test('reads a long trail whole, page by page', async (c) => {
      for (let batch = 0; batch < 5; batch++) {
        await appendNumbered(c.store, 200, (n) => ({ eventName: `Op${batch}-${n}` }))
      }
      const trail = await readWholeTrail(c.store, 333)
      assert.equal(trail.length, 1000)
      assertChain(trail)
    })

    test('refuses appends and reads once closed, and closes twice without harm', async (c) => {
      await appendNumbered(c.store, 1)
      await c.store.close()
      await c.store.close()
      await assert.rejects(c.store.appendTrailEvents([trailEvent(1)]))
      await assert.rejects(c.store.readTrailEvents(0, 10))
      await assert.rejects(c.store.lookupTrailEvents({ accountId: '111122223333' }))
    })
  },
}
