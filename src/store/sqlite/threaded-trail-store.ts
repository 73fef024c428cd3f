/**
 * The SQLite trail on a worker thread of its own: the same store (openSqliteTrailStore) behind a
 * message port, so that an append's hashing, inserts and commit run on another core while the
 * request path only hands the events over. This is what keeps recording every request cheap for
 * the API: better-sqlite3 is synchronous, and on the main thread each commit would stop every
 * request for its whole duration. The worker commits before it answers, so a resolved append is
 * as durable as with the store used directly.
 */
import { Worker } from 'node:worker_threads'
import type {
  AccessJob,
  LastAccess,
  LastAccessOptions,
  NewAccessJob,
  StoredTrailEvent,
  TrailEvent,
  TrailPage,
  TrailQuery,
  TrailStore,
} from '../trail-store.js'
import type { SqliteTrailStoreOptions } from './sqlite-trail-store.js'
import type { WrittenBatch } from './trail-journal.js'
import { fromWireError } from './trail-thread-protocol.js'
import type { TrailReply, TrailRequest } from './trail-thread-protocol.js'

/**
 * How long journaled batches wait to go to the worker together. A batch is durable once the
 * journal has it, so the wait delays no answer; a message per batch (with the worker's reply,
 * each waking the other thread) had become one of the largest costs per request under load, and
 * at 5 ms the messages still took about 2% of the request thread at 5,000 calls a second. Every
 * other call first sends what waits, so a lookup still sees every answered call.
 */
export const HANDOFF_MS = 20

/** What the worker is sent of a journaled batch: where it lies in its file, and its bytes. */
type BatchBytes = Pick<WrittenBatch, 'journal' | 'start' | 'end' | 'bytes'>

/** Journaled batches waiting to go to the worker, and the promise their callers hold. */
interface Handoff {
  readonly batches: BatchBytes[]
  readonly done: Promise<void>
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
  readonly timer: NodeJS.Timeout
}

/** Consecutive batches of one journal file as one: the file's range and the bytes, in order. */
function joinBatches(batches: readonly BatchBytes[]): BatchBytes {
  const first = batches[0]
  const last = batches[batches.length - 1]
  if (first === undefined || last === undefined) throw new Error('no batches to join')
  if (batches.length === 1) return first
  let size = 0
  for (const batch of batches) size += batch.bytes.byteLength
  // Memory of its own (not Buffer.concat's shared pool), since it is transferred.
  const bytes = new Uint8Array(size)
  let at = 0
  for (const batch of batches) {
    bytes.set(batch.bytes, at)
    at += batch.bytes.byteLength
  }
  return { journal: first.journal, start: first.start, end: last.end, bytes }
}

type Call = TrailRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never

interface PendingCall {
  readonly resolve: (value: unknown) => void
  readonly reject: (err: unknown) => void
}

/** Starts the worker, from the TypeScript sources or from the build. */
function startWorker(options: SqliteTrailStoreOptions): Worker {
  const workerData = {
    filename: options.filename,
    busyTimeoutMs: options.busyTimeoutMs,
    journalDir: options.journalDir,
  }
  if (import.meta.url.endsWith('.ts')) {
    // Run from the sources (bin/gatehouse.js and the tests load them through tsx): a worker
    // starts without its parent's module loader, so it registers tsx before its entry.
    const tsx = import.meta.resolve('tsx/esm/api')
    const entry = new URL('./trail-worker.ts', import.meta.url).href
    const source = `import(${JSON.stringify(tsx)}).then(({ register }) => {
      register()
      return import(${JSON.stringify(entry)})
    })`
    return new Worker(source, { eval: true, workerData })
  }
  return new Worker(new URL('./trail-worker.js', import.meta.url), { workerData })
}

/**
 * Opens the SQLite trail on a worker thread; resolves once the worker has opened (and migrated)
 * the database, or rejects with the reason it could not.
 */
export function openThreadedSqliteTrailStore(
  options: SqliteTrailStoreOptions,
): Promise<ThreadedTrailStore> {
  const worker = startWorker(options)
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    const onMessage = (reply: TrailReply): void => {
      settle()
      if (reply.kind === 'ready') {
        resolve(new ThreadedTrailStore(worker))
      } else {
        void worker.terminate()
        reject(reply.kind === 'failed' ? fromWireError(reply.error) : new Error('no ready'))
      }
    }
    const onError = (err: Error): void => {
      settle()
      reject(err)
    }
    const onExit = (code: number): void => {
      settle()
      reject(new Error(`the trail worker exited before it was ready (code ${code})`))
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
}

/** The trail port, served by a worker thread. */
export class ThreadedTrailStore implements TrailStore {
  readonly #worker: Worker
  readonly #pending = new Map<number, PendingCall>()
  #nextId = 1
  #handoff: Handoff | undefined
  #handoffs = 0
  #closed = false
  #failure: Error | undefined

  /** @internal Use openThreadedSqliteTrailStore. */
  constructor(worker: Worker) {
    this.#worker = worker
    worker.on('message', (reply: TrailReply) => this.#settle(reply))
    worker.on('error', (err) => this.#fail(err))
    worker.on('exit', (code) => this.#fail(new Error(`the trail worker exited (code ${code})`)))
    // An idle worker keeps no process alive; one with calls in flight does (see #send).
    worker.unref()
  }

  #settle(reply: TrailReply): void {
    if (reply.kind !== 'result') return
    const call = this.#pending.get(reply.id)
    if (call === undefined) return
    this.#pending.delete(reply.id)
    if (this.#pending.size === 0) this.#worker.unref()
    if (reply.ok) call.resolve(reply.value)
    else call.reject(fromWireError(reply.error))
  }

  /** The worker is gone: every call in flight fails, and every later one. */
  #fail(err: Error): void {
    this.#failure ??= err
    const calls = [...this.#pending.values()]
    this.#pending.clear()
    for (const call of calls) call.reject(err)
  }

  /** `transfer`: memory the call's members hold that moves to the worker rather than copied. */
  #send(call: Call, transfer: readonly ArrayBuffer[] = []): Promise<unknown> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      this.#worker.postMessage({ ...call, id }, transfer)
    })
  }

  #call(call: Call, transfer?: readonly ArrayBuffer[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the trail store is closed'))
    // What was journaled before this call reaches the worker before it.
    this.#handOff()
    return this.#send(call, transfer)
  }

  /** Messages that carried journaled batches to the worker (for tests). */
  get handoffs(): number {
    return this.#handoffs
  }

  /** Sends the waiting batches: one message per run of consecutive batches of one file. */
  #handOff(): void {
    const handoff = this.#handoff
    if (handoff === undefined) return
    this.#handoff = undefined
    clearTimeout(handoff.timer)
    const sends: Promise<unknown>[] = []
    let run: BatchBytes[] = []
    const sendRun = (): void => {
      if (run.length === 0) return
      const { journal, start, end, bytes } = joinBatches(run)
      run = []
      this.#handoffs += 1
      sends.push(
        this.#send({ method: 'appendJournaled', batch: { journal, start, end, bytes } }, [
          bytes.buffer,
        ]),
      )
    }
    for (const batch of handoff.batches) {
      const previous = run[run.length - 1]
      if (
        previous !== undefined &&
        (previous.journal !== batch.journal || previous.end !== batch.start)
      ) {
        sendRun()
      }
      run.push(batch)
    }
    sendRun()
    Promise.all(sends).then(() => handoff.resolve(), handoff.reject)
  }

  async appendTrailEvents(events: readonly TrailEvent[]): Promise<readonly StoredTrailEvent[]> {
    if (events.length === 0 && !this.#closed) return []
    const chained = (await this.#call({ method: 'append', events })) as [number, string][]
    return events.map((event, i) => {
      const [sequence, hash] = chained[i] ?? [0, '']
      return { ...event, sequence, hash }
    })
  }

  async lookupTrailEvents(query: TrailQuery): Promise<TrailPage> {
    return (await this.#call({ method: 'lookup', query })) as TrailPage
  }

  async readTrailEvents(after: number, limit: number): Promise<readonly StoredTrailEvent[]> {
    return (await this.#call({ method: 'read', after, limit })) as StoredTrailEvent[]
  }

  async lastAccess(
    accountId: string,
    entityIds: readonly string[],
    options: LastAccessOptions = {},
  ): Promise<readonly LastAccess[]> {
    return (await this.#call({
      method: 'lastAccess',
      accountId,
      entityIds,
      options,
    })) as LastAccess[]
  }

  async createAccessJob(job: NewAccessJob): Promise<void> {
    await this.#call({ method: 'createAccessJob', job })
  }

  async finishAccessJob(
    jobId: string,
    outcome: { status: 'COMPLETED' | 'FAILED'; result: string; completedAt: Date },
  ): Promise<boolean> {
    return (await this.#call({ method: 'finishAccessJob', jobId, outcome })) as boolean
  }

  async getAccessJob(accountId: string, jobId: string): Promise<AccessJob | null> {
    return (await this.#call({ method: 'getAccessJob', accountId, jobId })) as AccessJob | null
  }

  /**
   * See SqliteTrailStore.appendJournaled. The batch waits up to HANDOFF_MS for others, then the
   * worker is sent their bytes (not their events) in one message; the bytes move there and are
   * left empty here. Resolves once the worker has appended every batch sent with it.
   */
  appendJournaled(batch: WrittenBatch): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the trail store is closed'))
    let handoff = this.#handoff
    if (handoff === undefined) {
      let resolve: () => void = () => undefined
      let reject: (err: unknown) => void = () => undefined
      const done = new Promise<void>((yes, no) => {
        resolve = yes
        reject = no
      })
      const timer = setTimeout(() => this.#handOff(), HANDOFF_MS)
      handoff = { batches: [], done, resolve, reject, timer }
      this.#handoff = handoff
    }
    // Not the batch's events: kept until the worker has appended them (20 ms and more), every
    // record would outlive V8's young generation and be copied by each of its collections.
    handoff.batches.push({
      journal: batch.journal,
      start: batch.start,
      end: batch.end,
      bytes: batch.bytes,
    })
    return handoff.done
  }

  /** See SqliteTrailStore.finishJournals. */
  async finishJournals(names: readonly string[]): Promise<void> {
    await this.#call({ method: 'finishJournals', names })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#handOff()
    this.#closed = true
    if (this.#failure !== undefined) {
      await this.#worker.terminate()
      return
    }
    try {
      await this.#send({ method: 'close' })
    } finally {
      await this.#worker.terminate()
    }
  }
}
