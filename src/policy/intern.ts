/**
 * String interning. Comparing two distinct string objects with equal text costs a scan of both,
 * which dominates evaluation when sets and maps hold strings sliced from policies and requests.
 * Strings from policies are interned when they are compiled: each text gets one canonical copy.
 * A request's strings are only looked up (`canonical`): a value that some policy names becomes
 * that policy's copy, so the two compare by identity, and a value no policy names (a timestamp,
 * a user agent) costs one lookup and is never kept.
 */

// Bounded so that a stream of distinct policies cannot grow it for ever; past the bound new
// strings are simply not interned, which costs speed, never correctness.
const MAX_INTERNED = 1_000_000
const CANONICAL = new Map<string, string>()

/** Returns the canonical copy of a string (same text), making this one canonical if new. */
export function intern(text: string): string {
  const known = CANONICAL.get(text)
  if (known !== undefined) return known
  if (CANONICAL.size < MAX_INTERNED) CANONICAL.set(text, text)
  return text
}

/** Returns the canonical copy of a string if one was interned, else the string itself. */
export function canonical(text: string): string {
  return CANONICAL.get(text) ?? text
}
