/**
 * Compiles stored policy documents for evaluation, once per document: a bounded cache keyed by
 * the document's text, kind and label (the label names the policy in explanations, so it is part
 * of what was compiled). Each app owns its compiler, so tests and accounts never share one.
 */
import { compilePolicy, parsePolicy } from '../policy/index.js'
import type { CompiledPolicy, PolicyKind } from '../policy/index.js'

/** How many compiled policies a compiler keeps unless told otherwise. */
export const DEFAULT_POLICY_CACHE_SIZE = 4096

/** A compiler with a cache of what it compiled, least recently used first out. */
export class PolicyCompiler {
  readonly #cache = new Map<string, CompiledPolicy>()

  constructor(private readonly capacity: number = DEFAULT_POLICY_CACHE_SIZE) {}

  /**
   * The compiled form of `document`, a policy of `kind` named `label`. Throws PolicyParseError
   * for a document the parser refuses (stored documents were checked when they were written).
   */
  compile(document: string, kind: PolicyKind, label: string): CompiledPolicy {
    const key = `${kind}\u0000${label}\u0000${document}`
    const cached = this.#cache.get(key)
    if (cached !== undefined) {
      // Re-inserted, it becomes the most recently used (a Map keeps insertion order).
      this.#cache.delete(key)
      this.#cache.set(key, cached)
      return cached
    }
    const compiled = compilePolicy(parsePolicy(document, kind), label)
    if (this.#cache.size >= this.capacity) {
      const oldest = this.#cache.keys().next()
      if (oldest.done !== true) this.#cache.delete(oldest.value)
    }
    this.#cache.set(key, compiled)
    return compiled
  }

  /** How many compiled policies are kept (for tests of the bound). */
  get size(): number {
    return this.#cache.size
  }
}
