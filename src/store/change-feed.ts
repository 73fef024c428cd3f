/**
 * The change feed every backend keeps the same way (Store.generation and Store.onChange): a
 * generation that rises with each reported change, and the listeners told of it.
 */
import type { StoreChange, StoreChangeKind, StoreChangeListener } from './store.js'

/** A store's change feed. */
export class ChangeFeed {
  readonly #listeners = new Set<StoreChangeListener>()
  #generation = 0

  /** The generation of the last change reported. */
  get generation(): number {
    return this.#generation
  }

  /** Adds a listener; returns the function that removes it. */
  onChange(listener: StoreChangeListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /**
   * Reports a change: the generation rises, then every listener hears it. `only` when every
   * write of the change was of that kind (StoreChange.only); anything may have changed without.
   */
  report(only?: StoreChangeKind): void {
    this.#generation += 1
    const change: StoreChange =
      only === undefined ? { generation: this.#generation } : { generation: this.#generation, only }
    for (const listener of this.#listeners) {
      // A failing listener must not turn a committed transaction into a failed one.
      try {
        listener(change)
      } catch {
        // The generation has moved all the same: caches that compare it stay correct.
      }
    }
  }
}
