/**
 * A cache of values read from the store, kept only while the store has not changed since they
 * were read: the hot path's way to read no database (access keys, principals, compiled policy
 * sets), with the store's change feed as the only invalidation. Any committed write empties it,
 * so a policy attached, a key deactivated or a user removed from a group applies to the very
 * next request; except a change of a kind the cache is made to survive (StoreChange.only),
 * which its owner has shown cannot touch what it holds.
 */
import type { Store, StoreChangeKind } from '../store/store.js'

/** What the cache needs of the store: its generation and its feed. */
export type ChangeSource = Pick<Store, 'generation' | 'onChange'>

/** A bounded map of values, each valid for the store generation it was read at. */
export class GenerationCache<K, V> {
  readonly #entries = new Map<K, V>()
  readonly #source: ChangeSource
  readonly #capacity: number
  readonly #unsubscribe: () => void

  /** `survives`: the kinds of change that leave every entry as it is. */
  constructor(
    source: ChangeSource,
    capacity: number,
    survives: ReadonlySet<StoreChangeKind> = new Set(),
  ) {
    this.#source = source
    this.#capacity = capacity
    this.#unsubscribe = source.onChange((change) => {
      if (change.only !== undefined && survives.has(change.only)) return
      this.#entries.clear()
    })
  }

  /**
   * The value for `key`: from the cache, or read by `load` and kept if the store did not change
   * while it was being read (a value read across a commit may be older than that commit).
   */
  async get(key: K, load: () => Promise<V>): Promise<V> {
    const entries = this.#entries
    if (entries.has(key)) return entries.get(key) as V
    const generation = this.#source.generation
    const value = await load()
    if (this.#source.generation === generation) {
      // Past capacity the oldest entry goes: a flood of distinct keys (made-up access key ids)
      // cannot grow memory without bound.
      if (entries.size >= this.#capacity) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      entries.set(key, value)
    }
    return value
  }

  /**
   * The value kept for `key`, or undefined when none is: for callers that can then skip the
   * asynchronous `get` (values must never be undefined themselves).
   */
  peek(key: K): V | undefined {
    return this.#entries.get(key)
  }

  /** How many values are kept (for tests). */
  get size(): number {
    return this.#entries.size
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.#unsubscribe()
    this.#entries.clear()
  }
}
