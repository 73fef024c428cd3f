/**
 * A bounded map from action to what a policy (or policy set) has for it. Entries depend only on
 * the action, so this is an index filled in on demand, never a cache of decisions. It is
 * bounded three ways so that callers inventing action names cannot make it grow without limit:
 * by entries, by the statement references the entries hold, and by key length.
 */

import type { AuthorizationRequest } from './request-context.js'

/** At most this many actions (AWS defines roughly 17,000). */
const MAX_ENTRIES = 32_768
/** At most this many statement references across all entries. */
const MAX_WEIGHT = 1_000_000
/** Longer names are not real actions: they are answered but not kept. */
const MAX_KEY_LENGTH = 256

/** The index: `lookup` returns the entry for the request's action, building it when absent. */
export class ActionIndex<T> {
  readonly #entries = new Map<string, T>()
  #weight = 0

  constructor(
    private readonly build: (request: AuthorizationRequest) => T,
    private readonly weigh: (entry: T) => number,
  ) {}

  /** The entry for the request's (lower-case) action. */
  lookup(request: AuthorizationRequest): T {
    const actionKey = request.actionKey
    const known = this.#entries.get(actionKey)
    if (known !== undefined) return known
    const entry = this.build(request)
    if (actionKey.length > MAX_KEY_LENGTH) return entry
    const weight = this.weigh(entry) + 1
    if (this.#entries.size >= MAX_ENTRIES || this.#weight + weight > MAX_WEIGHT) {
      this.#entries.clear()
      this.#weight = 0
    }
    this.#entries.set(actionKey, entry)
    this.#weight += weight
    return entry
  }

  /** How many actions are indexed (for tests of the bounds). */
  get size(): number {
    return this.#entries.size
  }
}
