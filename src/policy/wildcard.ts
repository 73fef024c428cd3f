/**
 * Wildcard patterns as IAM uses them: `*` matches any run of characters (including none) and
 * `?` exactly one. Matching is greedy chunk by chunk, never backtracking past the last `*`, so
 * it costs at most O(pattern x value) and cannot be made catastrophic by hostile input.
 */

/** Marks a `?` inside a chunk. */
const ANY_ONE = 0

/** A run between two `*`: literal text with `?` holes. `plain` is set when there is no `?`. */
interface Chunk {
  readonly items: readonly (string | typeof ANY_ONE)[]
  readonly length: number
  readonly plain: string | null
}

/** A wildcard pattern split on its stars: chunks.length = number of `*` + 1. */
export interface Glob {
  readonly chunks: readonly Chunk[]
  readonly minLength: number
}

/** A piece of pattern text: `literal` text has no wildcards (substituted variables, `${*}` escapes). */
export interface GlobSegment {
  readonly text: string
  readonly literal: boolean
}

/** Builds a glob from segments, wildcards active only in non-literal ones. */
export function buildGlob(segments: readonly GlobSegment[]): Glob {
  const chunks: Chunk[] = []
  let items: (string | typeof ANY_ONE)[] = []
  let run = ''
  const flushRun = (): void => {
    if (run !== '') items.push(run)
    run = ''
  }
  const closeChunk = (): void => {
    flushRun()
    chunks.push(makeChunk(items))
    items = []
  }
  for (const segment of segments) {
    if (segment.literal) {
      run += segment.text
      continue
    }
    for (const ch of segment.text) {
      if (ch === '*') closeChunk()
      else if (ch === '?') {
        flushRun()
        items.push(ANY_ONE)
      } else run += ch
    }
  }
  closeChunk()
  let minLength = 0
  for (const chunk of chunks) minLength += chunk.length
  return { chunks, minLength }
}

function makeChunk(items: readonly (string | typeof ANY_ONE)[]): Chunk {
  let length = 0
  let plain: string | null = ''
  for (const item of items) {
    if (item === ANY_ONE) {
      length += 1
      plain = null
    } else {
      length += item.length
      if (plain !== null) plain += item
    }
  }
  return { items, length, plain }
}

function chunkMatchesAt(chunk: Chunk, value: string, at: number): boolean {
  if (chunk.plain !== null) return value.startsWith(chunk.plain, at)
  let i = at
  for (const item of chunk.items) {
    if (item === ANY_ONE) i += 1
    else {
      if (!value.startsWith(item, i)) return false
      i += item.length
    }
  }
  return i <= value.length
}

/** Leftmost position >= from where the chunk matches and ends by `end`, or -1. */
function findChunk(chunk: Chunk, value: string, from: number, end: number): number {
  if (chunk.plain !== null) {
    const at = value.indexOf(chunk.plain, from)
    return at !== -1 && at + chunk.length <= end ? at : -1
  }
  for (let at = from; at + chunk.length <= end; at++) {
    if (chunkMatchesAt(chunk, value, at)) return at
  }
  return -1
}

/** Whether the whole of `value` matches the glob. */
export function matchGlob(glob: Glob, value: string): boolean {
  const { chunks } = glob
  if (value.length < glob.minLength) return false
  const first = chunks[0]
  if (first === undefined) return false
  if (chunks.length === 1) return value.length === first.length && chunkMatchesAt(first, value, 0)
  const last = chunks[chunks.length - 1] ?? first
  if (!chunkMatchesAt(first, value, 0)) return false
  const end = value.length - last.length
  if (!chunkMatchesAt(last, value, end)) return false
  // INVARIANT: leftmost placement of each middle chunk leaves the most room for the rest, so
  // one forward pass decides the match.
  let pos = first.length
  for (let i = 1; i < chunks.length - 1; i++) {
    const chunk = chunks[i]
    if (chunk === undefined) return false
    const at = findChunk(chunk, value, pos, end)
    if (at === -1) return false
    pos = at + chunk.length
  }
  return pos <= end
}

/** A compiled matcher for a fixed pattern, with fast paths for the common shapes. */
export type WildcardMatcher = (value: string) => boolean

/** Compiles a pattern with `*` and `?` into a matcher of whole strings. */
export function compileWildcard(pattern: string): WildcardMatcher {
  if (pattern === '*') return () => true
  const star = pattern.indexOf('*')
  const hasQuestion = pattern.includes('?')
  if (!hasQuestion) {
    if (star === -1) return (value) => value === pattern
    if (star === pattern.length - 1 && pattern.indexOf('*') === pattern.lastIndexOf('*')) {
      const prefix = pattern.slice(0, -1)
      return (value) => value.startsWith(prefix)
    }
    if (star === 0 && pattern.lastIndexOf('*') === 0) {
      const suffix = pattern.slice(1)
      return (value) => value.endsWith(suffix)
    }
  }
  const glob = buildGlob([{ text: pattern, literal: false }])
  return (value) => matchGlob(glob, value)
}

/** Whether a pattern holds a wildcard character. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}
