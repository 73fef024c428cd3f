/**
 * Group commit for the audit trail: the request path calls record(event) and answers only once
 * it resolves, that is once the event is committed; every event recorded while the event loop
 * does one turn of work (or, with a window, within that window) goes into one appendTrailEvents
 * call, one transaction, so N concurrent requests cost one commit rather than N. At most one
 * append is in flight; what arrives meanwhile waits for the next.
 */
import type { TrailEvent, TrailStore } from '../store/trail-store.js'

/**
 * A journal in front of the trail store (src/store/sqlite/trail-journal.ts): it makes a batch
 * durable before it returns, and the store appends it afterwards.
 */
export interface DurableJournal {
  /**
   * Makes the events durable before it returns (throws if it cannot) and resolves once the
   * store has appended them.
   */
  write(events: readonly TrailEvent[]): Promise<void>
}

/** How the writer batches. */
export interface TrailWriterOptions {
  /**
   * Write each batch to this journal instead of waiting for the store's commit: a call is
   * answered once its record is in the journal, and the store appends it off the request path.
   */
  readonly journal?: DurableJournal
  /** Told of a journaled batch the store failed to append (the journal still holds it). */
  readonly onStoreError?: (err: unknown) => void
  /**
   * How long a batch waits after its first event for more, in ms. 0 (the default) waits only
   * for the end of the event loop's current turn: the requests read in that turn share a
   * commit, and an idle server adds no latency.
   */
  readonly windowMs?: number
  /** At most this many events per commit, so one transaction stays short (1000). */
  readonly maxBatch?: number
}

/** Journaled batches the store may be behind by before new ones wait for it. */
export const MAX_BATCHES_APPENDING = 256

/** What the writer has done so far. */
export interface TrailWriterStats {
  /** appendTrailEvents calls that committed. */
  readonly commits: number
  /** Events they committed. */
  readonly events: number
  /** appendTrailEvents calls that failed (every event of each was rejected). */
  readonly failedCommits: number
  /** The most events one commit held. */
  readonly largestBatch: number
}

interface Waiter {
  readonly event: TrailEvent
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
}

/** Records audit-trail events through a TrailStore, many to a commit. */
export class TrailWriter {
  readonly #store: TrailStore
  readonly #windowMs: number
  readonly #maxBatch: number
  readonly #journal: DurableJournal | undefined
  readonly #onStoreError: (err: unknown) => void
  /** Journaled batches the store has not appended yet (close() waits for them). */
  readonly #appending = new Set<Promise<void>>()
  #pending: Waiter[] = []
  #scheduled = false
  #committing = false
  #closed = false
  #idleWaiters: (() => void)[] = []
  #stats: TrailWriterStats = { commits: 0, events: 0, failedCommits: 0, largestBatch: 0 }

  /** The writer does not own `store`: close the writer, then the store. */
  constructor(store: TrailStore, options: TrailWriterOptions = {}) {
    const windowMs = options.windowMs ?? 0
    const maxBatch = options.maxBatch ?? 1000
    if (!(windowMs >= 0)) throw new RangeError(`windowMs must be 0 or more, not ${windowMs}`)
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, not ${maxBatch}`)
    }
    this.#store = store
    this.#journal = options.journal
    this.#onStoreError = options.onStoreError ?? (() => undefined)
    this.#windowMs = windowMs
    this.#maxBatch = maxBatch
  }

  get stats(): TrailWriterStats {
    return this.#stats
  }

  /**
   * Resolves once `event` is committed, after every event recorded before it; rejects with the
   * store's error if the commit holding it failed, in which case none of that commit's events
   * were written.
   */
  record(event: TrailEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the trail writer is closed'))
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ event, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled || this.#committing) return
    this.#scheduled = true
    const run = (): void => void this.#commitNext()
    // setImmediate, not a microtask: the rest of this turn's I/O (other requests) lands in the
    // same batch, and between batches the event loop gets its turn.
    if (this.#windowMs > 0) setTimeout(run, this.#windowMs)
    else setImmediate(run)
  }

  async #commitNext(): Promise<void> {
    this.#scheduled = false
    this.#committing = true
    let batch: Waiter[]
    if (this.#pending.length <= this.#maxBatch) {
      batch = this.#pending
      this.#pending = []
    } else {
      batch = this.#pending.splice(0, this.#maxBatch)
    }
    let failure: { error: unknown } | undefined
    const events = batch.map((waiter) => waiter.event)
    if (this.#journal !== undefined) {
      // The store is far behind (a slow disk, another process's lock): new batches wait for it,
      // so that what is waiting in memory stays bounded.
      while (this.#appending.size >= MAX_BATCHES_APPENDING) {
        await Promise.race(this.#appending)
      }
      // Durable once write() returns: the callers are answered now, not after the store's commit,
      // and the next batch need not wait for it either.
      try {
        const appending: Promise<void> = this.#journal
          .write(events)
          .catch((err: unknown) => this.#onStoreError(err))
          .finally(() => this.#appending.delete(appending))
        this.#appending.add(appending)
      } catch (err) {
        failure = { error: err }
      }
    } else {
      try {
        await this.#store.appendTrailEvents(events)
      } catch (err) {
        failure = { error: err }
      }
    }
    const stats = this.#stats
    this.#stats =
      failure === undefined
        ? {
            ...stats,
            commits: stats.commits + 1,
            events: stats.events + batch.length,
            largestBatch: Math.max(stats.largestBatch, batch.length),
          }
        : { ...stats, failedCommits: stats.failedCommits + 1 }
    for (const waiter of batch) {
      if (failure === undefined) waiter.resolve()
      else waiter.reject(failure.error)
    }
    this.#committing = false
    if (this.#pending.length > 0) this.#schedule()
    else this.#wakeIdle()
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const wake of waiters) wake()
  }

  /**
   * Refuses further events, then waits until every event recorded so far is committed (or its
   * commit failed). Does not close the store.
   */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#pending.length > 0 || this.#committing) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve))
    }
    // Journaled batches are durable already; the store's appends of them finish too.
    await Promise.all([...this.#appending])
  }
}
