/**
 * The worker thread behind ThreadedTrailStore: it opens the SQLite trail named in workerData
 * and answers the store's calls one at a time, so that hashing, inserting and committing take
 * another core's time rather than the request path's.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openSqliteTrailStore } from './sqlite-trail-store.js'
import type { SqliteTrailStore, SqliteTrailStoreOptions } from './sqlite-trail-store.js'
import { decodeJournalLines } from './trail-journal.js'
import { toWireError } from './trail-thread-protocol.js'
import type { TrailReply, TrailRequest } from './trail-thread-protocol.js'

const port = parentPort
if (port === null) throw new Error('trail-worker.ts runs only as a worker thread')

let store: SqliteTrailStore | undefined
try {
  store = openSqliteTrailStore(workerData as SqliteTrailStoreOptions)
  port.postMessage({ kind: 'ready' } satisfies TrailReply)
} catch (err) {
  port.postMessage({ kind: 'failed', error: toWireError(err) } satisfies TrailReply)
}

async function answer(open: SqliteTrailStore, request: TrailRequest): Promise<unknown> {
  switch (request.method) {
    case 'append': {
      // Only what the caller does not have: the events it sent stay on its side.
      const stored = await open.appendTrailEvents(request.events)
      return stored.map((event) => [event.sequence, event.hash])
    }
    case 'lookup':
      return open.lookupTrailEvents(request.query)
    case 'read':
      return open.readTrailEvents(request.after, request.limit)
    case 'lastAccess':
      return open.lastAccess(request.accountId, request.entityIds, request.options)
    case 'createAccessJob':
      return open.createAccessJob(request.job)
    case 'finishAccessJob':
      return open.finishAccessJob(request.jobId, request.outcome)
    case 'getAccessJob':
      return open.getAccessJob(request.accountId, request.jobId)
    case 'appendJournaled': {
      const { journal, start, end, bytes } = request.batch
      return open.appendJournaled({ journal, start, end, events: decodeJournalLines(bytes) })
    }
    case 'finishJournals':
      return open.finishJournals(request.names)
    case 'close':
      await open.close()
      return undefined
  }
}

port.on('message', (request: TrailRequest) => {
  const reply = (message: TrailReply): void => port.postMessage(message)
  if (store === undefined) {
    reply({ kind: 'result', id: request.id, ok: false, error: toWireError(new Error('no store')) })
    return
  }
  answer(store, request).then(
    (value) => reply({ kind: 'result', id: request.id, ok: true, value }),
    (err: unknown) => reply({ kind: 'result', id: request.id, ok: false, error: toWireError(err) }),
  )
})
