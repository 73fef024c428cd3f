/**
 * String interning. Comparing two distinct string objects with equal text costs a scan of both,
 * which dominates evaluation when sets and maps hold strings sliced from policies and requests.
 * Using a string once as a property name makes V8 keep one canonical copy, after which equal
 * strings compare by identity; policy strings are interned at compile time and request strings
 * when the request is built.
 */

/** Returns the canonical copy of a string (same text). */
export function intern(text: string): string {
  const holder: Record<string, 0> = { [text]: 0 }
  for (const key in holder) return key
  return text
}
