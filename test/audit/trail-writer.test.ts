/**
 * The trail writer on the real SQLite trail store: group commit (one append for every event
 * recorded in a turn of the event loop), a record resolving only after its commit, the order of
 * the trail, the hash chain, and a failed commit rejecting every event it held.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { TrailWriter } from '../../src/audit/trail-writer.js'
import {
  assertChain,
  eventIdOf,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { SqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import type { StoredTrailEvent, TrailEvent, TrailStore } from '../../src/store/trail-store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-trail-writer-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function openTrail(): SqliteTrailStore {
  files += 1
  return openSqliteTrailStore({ filename: join(dir, `trail-${files}.db`) })
}

/** Runs `fn` with a writer on a new trail file, then closes both. */
async function withWriter(
  fn: (writer: TrailWriter, store: SqliteTrailStore) => Promise<void>,
  options: ConstructorParameters<typeof TrailWriter>[1] = {},
): Promise<void> {
  const store = openTrail()
  const writer = new TrailWriter(store, options)
  try {
    await fn(writer, store)
  } finally {
    await writer.close()
    await store.close()
  }
}

async function trailIds(store: TrailStore): Promise<string[]> {
  const trail = await readWholeTrail(store)
  assertChain(trail)
  return trail.map((event) => event.eventId)
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i)
}

/** The settled outcome of each promise: 'ok' or the rejection's message. */
async function outcomes(promises: readonly Promise<void>[]): Promise<string[]> {
  const settled = await Promise.allSettled(promises)
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : String((s.reason as Error).message)))
}

describe('trail writer', () => {
  it('commits every event recorded in one turn of the event loop in one append', async () => {
    await withWriter(async (writer, store) => {
      await Promise.all(range(0, 200).map((n) => writer.record(trailEvent(n))))
      assert.deepEqual(writer.stats, {
        commits: 1,
        events: 200,
        failedCommits: 0,
        largestBatch: 200,
      })
      assert.deepEqual(await trailIds(store), range(0, 200).map(eventIdOf))
    })
  })

  it('batches concurrent callers that each record, await, and record again', async () => {
    await withWriter(async (writer, store) => {
      // 16 callers, 50 events each, as 16 connections to the API would.
      const callers = range(0, 16).map(async (caller) => {
        for (let i = 0; i < 50; i++) await writer.record(trailEvent(caller * 1000 + i))
      })
      await Promise.all(callers)
      // One commit per round: the 16 records of a round share it.
      assert.deepEqual(writer.stats, {
        commits: 50,
        events: 800,
        failedCommits: 0,
        largestBatch: 16,
      })
      const ids = await trailIds(store)
      assert.equal(ids.length, 800)
      // Each caller's events are in the trail in the order that caller recorded them.
      for (const caller of range(0, 16)) {
        const own = ids.filter((id) => Math.floor(Number(id.slice(-12)) / 1000) === caller)
        assert.deepEqual(own, range(caller * 1000, caller * 1000 + 50).map(eventIdOf))
      }
    })
  })

  it('resolves a record only once its event is committed', async () => {
    await withWriter(async (writer, store) => {
      const recorded = writer.record(trailEvent(0))
      assert.deepEqual(await store.readTrailEvents(0, 10), [], 'committed before the turn ended')
      let seen: readonly StoredTrailEvent[] = []
      await recorded.then(async () => {
        seen = await store.readTrailEvents(0, 10)
      })
      assert.deepEqual(
        seen.map((event) => event.eventId),
        [eventIdOf(0)],
      )
    })
  })

  it('keeps the order of record calls from one batch to the next', async () => {
    await withWriter(async (writer, store) => {
      const pending: Promise<void>[] = []
      for (let n = 0; n < 60; n++) {
        pending.push(writer.record(trailEvent(n)))
        if (n % 7 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      await Promise.all(pending)
      assert.ok(writer.stats.commits > 1, 'several batches')
      assert.deepEqual(await trailIds(store), range(0, 60).map(eventIdOf))
    })
  })

  it('splits a burst larger than the largest batch, in order', async () => {
    await withWriter(
      async (writer, store) => {
        await Promise.all(range(0, 35).map((n) => writer.record(trailEvent(n))))
        assert.deepEqual(writer.stats, {
          commits: 4,
          events: 35,
          failedCommits: 0,
          largestBatch: 10,
        })
        assert.deepEqual(await trailIds(store), range(0, 35).map(eventIdOf))
      },
      { maxBatch: 10 },
    )
  })

  it('waits the window for more events before committing', async () => {
    await withWriter(
      async (writer, store) => {
        const first = writer.record(trailEvent(0))
        await sleep(20)
        assert.deepEqual(await store.readTrailEvents(0, 10), [], 'committed before the window')
        const second = writer.record(trailEvent(1))
        await Promise.all([first, second])
        assert.equal(writer.stats.commits, 1)
        assert.deepEqual(await trailIds(store), [eventIdOf(0), eventIdOf(1)])
      },
      { windowMs: 300 },
    )
  })

  it('gathers what arrives during a slow commit into the next commit', async () => {
    // A store whose commit takes a while, as a network database's would: the real SQLite store
    // behind a delay.
    const sqlite = openTrail()
    const slow: TrailStore = {
      appendTrailEvents: async (events: readonly TrailEvent[]) => {
        await sleep(50)
        return sqlite.appendTrailEvents(events)
      },
      lookupTrailEvents: (query) => sqlite.lookupTrailEvents(query),
      readTrailEvents: (afterSequence, limit) => sqlite.readTrailEvents(afterSequence, limit),
      lastAccess: (accountId, entityIds) => sqlite.lastAccess(accountId, entityIds),
      createAccessJob: (job) => sqlite.createAccessJob(job),
      finishAccessJob: (jobId, outcome) => sqlite.finishAccessJob(jobId, outcome),
      getAccessJob: (accountId, jobId) => sqlite.getAccessJob(accountId, jobId),
      close: () => sqlite.close(),
    }
    const writer = new TrailWriter(slow)
    try {
      const first = writer.record(trailEvent(0))
      await sleep(10) // the first commit is under way
      const during = range(1, 21).map((n) => writer.record(trailEvent(n)))
      await Promise.all([first, ...during])
      assert.deepEqual(writer.stats, { commits: 2, events: 21, failedCommits: 0, largestBatch: 20 })
      assert.deepEqual(await trailIds(sqlite), range(0, 21).map(eventIdOf))
    } finally {
      await writer.close()
      await sqlite.close()
    }
  })

  it('rejects every event of a failed commit, writes none of them, and goes on', async () => {
    await withWriter(async (writer, store) => {
      await writer.record(trailEvent(0))
      // SQLite itself refuses one event of the next batch.
      store.database.exec(`CREATE TRIGGER refuse BEFORE INSERT ON trail_events
        WHEN NEW.event_name = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
      const batch = [
        writer.record(trailEvent(1)),
        writer.record(trailEvent(2, { eventName: 'Refused' })),
        writer.record(trailEvent(3)),
      ]
      assert.deepEqual(await outcomes(batch), Array(3).fill('refused by the test'))
      assert.deepEqual(await trailIds(store), [eventIdOf(0)])
      await Promise.all([writer.record(trailEvent(4)), writer.record(trailEvent(5))])
      assert.deepEqual(await trailIds(store), [eventIdOf(0), eventIdOf(4), eventIdOf(5)])
      assert.deepEqual(writer.stats, { commits: 2, events: 3, failedCommits: 1, largestBatch: 2 })
    })
  })

  it('rejects the events of a batch whose store has gone', async () => {
    const store = openTrail()
    const writer = new TrailWriter(store)
    const recorded = writer.record(trailEvent(0))
    await store.close()
    assert.deepEqual(await outcomes([recorded]), ['the trail store is closed'])
    await writer.close()
  })

  it('commits what was recorded when closed, then refuses more', async () => {
    const store = openTrail()
    const writer = new TrailWriter(store)
    const recorded = range(0, 10).map((n) => writer.record(trailEvent(n)))
    await writer.close()
    assert.deepEqual(await outcomes(recorded), Array(10).fill('ok'))
    assert.deepEqual(await outcomes([writer.record(trailEvent(10))]), [
      'the trail writer is closed',
    ])
    await writer.close()
    assert.deepEqual(await trailIds(store), range(0, 10).map(eventIdOf))
    await store.close()
  })
})
