/**
 * Last use of long-term access keys (GetAccessKeyLastUsed), written off the request's path and
 * in batches: every use is noted in memory, and the latest use of each key is written once per
 * interval in one transaction. With several worker processes every commit to the database makes
 * the others drop their caches, so one write per interval, not one per key, keeps those caches
 * useful; AWS itself reports last use with a delay.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AccessKeyUse, Store } from '../store/store.js'

/** How long uses are gathered before they are written, unless told otherwise. */
export const DEFAULT_KEY_USE_FLUSH_MS = 60_000

/** Gathers key uses and writes them. */
export class KeyUseRecorder {
  readonly #store: Store
  readonly #intervalMs: number
  readonly #log: FastifyBaseLogger
  #pending = new Map<string, AccessKeyUse>()
  #timer: NodeJS.Timeout | undefined
  #closed = false

  /** `intervalMs` 0 writes each use at once (tests that read the stamp right away). */
  constructor(store: Store, intervalMs: number, log: FastifyBaseLogger) {
    this.#store = store
    this.#intervalMs = intervalMs
    this.#log = log
  }

  /** Notes a use of `accessKeyId`; it is written within the interval. */
  record(accessKeyId: string, use: AccessKeyUse): void {
    if (this.#closed) return
    this.#pending.set(accessKeyId, use)
    if (this.#intervalMs === 0) {
      void this.flush()
      return
    }
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        void this.flush()
      }, this.#intervalMs)
      // A pending stamp must not keep a stopping process alive: close() writes it.
      this.#timer.unref()
    }
  }

  /** Writes every use noted so far, in one transaction; failures are logged, never thrown. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return
    const uses = this.#pending
    this.#pending = new Map()
    try {
      await this.#store.transaction(async (tx) => {
        for (const [accessKeyId, use] of uses) {
          // A key deleted since its use has no last use to keep: its call fails alone.
          await tx.recordAccessKeyUse(accessKeyId, use).catch(() => undefined)
        }
      })
    } catch (err) {
      this.#log.warn({ err, keys: uses.size }, 'access key last use not recorded')
    }
  }

  /** Writes what is pending and stops. */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.flush()
  }
}
