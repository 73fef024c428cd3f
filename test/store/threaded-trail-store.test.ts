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
  assertChain,
  readWholeTrail,
  trailEvent,
} from '../../src/store/conformance/trail/trail-harness.js'
import { openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import { openThreadedSqliteTrailStore } from '../../src/store/sqlite/threaded-trail-store.js'

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
