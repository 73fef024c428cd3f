/**
 * The SQLite trail on a worker thread: the trail conformance suite on files, then what only the
 * thread can show: a failure to open comes back to the opener, a resolved append is committed
 * (another connection reads it), and its appends chain with those of a connection used directly.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runTrailConformance } from '../../src/store/conformance/trail/run-trail-conformance.js'
import {
  TRAIL_ACCOUNT,
  assertChain,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import { journalDirOf, openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { openThreadedSqliteTrailStore } from '../../src/store/sqlite/threaded-trail-store.js'
import { TrailJournalFile } from '../../src/store/sqlite/trail-journal.js'
import type { TrailEvent } from '../../src/store/trail-store.js'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-threaded-trail-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function newFile(): string {
  files += 1
  return join(dir, `trail-${files}.db`)
}

runTrailConformance({
  name: 'sqlite on a worker thread',
  create: () => openThreadedSqliteTrailStore({ filename: newFile() }),
})

describe('threaded sqlite trail store', () => {
  it('rejects the open with the reason the worker could not open the file', async () => {
    await assert.rejects(
      openThreadedSqliteTrailStore({ filename: join(dir, 'no-such-dir', 'trail.db') }),
      (err: Error) => {
        assert.match(err.message, /unable to open database file|directory does not exist/)
        return true
      },
    )
  })

  it('resolves an append once it is committed, for every connection to see', async () => {
    const filename = newFile()
    const threaded = await openThreadedSqliteTrailStore({ filename })
    const direct = openSqliteTrailStore({ filename })
    try {
      const stored = await threaded.appendTrailEvents([trailEvent(0), trailEvent(1)])
      assert.deepEqual(await direct.readTrailEvents(0, 10), stored)
    } finally {
      await threaded.close()
      await direct.close()
    }
  })

  it("appends a journal's batches, sent to the thread as their bytes, records unchanged", async () => {
    const filename = newFile()
    const journalDir = journalDirOf(filename)
    const threaded = await openThreadedSqliteTrailStore({ filename, journalDir })
    const file = new TrailJournalFile(journalDir)
    try {
      const access = { entityId: 'AIDAX', service: 'iam', action: 'GetUser', region: 'us-east-1' }
      const events = [
        trailEvent(0, { access, resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }),
        trailEvent(1, { record: '{"c":"ünïcödé ✓ 𝄞\\t"}' }),
        // Written in the older form: a newline cannot follow the tab.
        trailEvent(2, { record: 'line\nbreak' }),
      ]
      const first = file.write(events.slice(0, 2))
      await threaded.appendJournaled(first)
      // Transferred to the thread, not copied.
      assert.equal(first.bytes.byteLength, 0)
      await threaded.appendJournaled(file.write(events.slice(2)))
      const trail = await readWholeTrail(threaded)
      const members = (e: TrailEvent): unknown[] => [
        e.eventId,
        e.eventTime,
        e.username,
        e.resources,
        e.accountId,
        e.record,
      ]
      assert.deepEqual(trail.map(members), events.map(members))
      assertChain(trail)
      assert.deepEqual(await threaded.lastAccess(TRAIL_ACCOUNT, ['AIDAX']), [
        { ...access, time: events[0]?.eventTime },
      ])
    } finally {
      file.close()
      await threaded.finishJournals(file.finished)
      await threaded.close()
    }
  })

  it('sends batches journaled close together in one message; a read sent after them sees them', async () => {
    const filename = newFile()
    const journalDir = journalDirOf(filename)
    const threaded = await openThreadedSqliteTrailStore({ filename, journalDir })
    const file = new TrailJournalFile(journalDir)
    try {
      const events = [0, 1, 2, 3, 4].map((i) => trailEvent(i))
      const appended = events.map((event) => threaded.appendJournaled(file.write([event])))
      // Not waited for: the read goes after the batches, which it first sends.
      const trail = await readWholeTrail(threaded)
      assert.deepEqual(
        trail.map((e) => e.eventId),
        events.map((e) => e.eventId),
      )
      assertChain(trail)
      await Promise.all(appended)
      assert.equal(threaded.handoffs, 1)
      // Once the wait is over, a batch goes on its own.
      await threaded.appendJournaled(file.write([trailEvent(5)]))
      assert.equal(threaded.handoffs, 2)
      assert.equal((await readWholeTrail(threaded)).length, 6)
    } finally {
      file.close()
      await threaded.finishJournals(file.finished)
      await threaded.close()
    }
  })

  it('chains its appends with those of a connection used directly', async () => {
    const filename = newFile()
    const threaded = await openThreadedSqliteTrailStore({ filename })
    const direct = openSqliteTrailStore({ filename })
    try {
      for (let n = 0; n < 20; n += 2) {
        await Promise.all([
          threaded.appendTrailEvents([trailEvent(n)]),
          direct.appendTrailEvents([trailEvent(n + 1)]),
        ])
      }
      const trail = await readWholeTrail(threaded)
      assert.equal(trail.length, 20)
      assertChain(trail)
    } finally {
      await threaded.close()
      await direct.close()
    }
  })
})
