/**
 * Lists a handler hands out again and again unchanged, such as a page of users the auth cache
 * keeps: encode-xml works out their members' markup once and keeps it with the list. A repeated
 * ListUsers of 100 users then neither walks the users again nor flattens their markup (both
 * together had cost more than the rest of the response).
 */
import type { XmlValue } from './xml-value.js'

// Marked lists, each with its members' markup once encoded (null until then). Weak: the markup
// goes when the list does.
const MARKED = new WeakMap<readonly XmlValue[], string | null>()

function freeze(value: XmlValue): void {
  if (typeof value !== 'object' || value instanceof Date || value instanceof Map) return
  if (Object.isFrozen(value)) return
  Object.freeze(value)
  for (const item of Object.values(value) as (XmlValue | undefined)[]) {
    if (item !== undefined) freeze(item)
  }
}

/**
 * Marks `list` to be encoded once: every response that sends it afterwards sends the markup of
 * its first. The list and the arrays and structures in it are frozen, so that changing them
 * throws rather than going unsent; Dates and Maps cannot be frozen, and the caller must leave
 * those in it alone.
 */
export function encodeOnce<T extends readonly XmlValue[]>(list: T): T {
  freeze(list)
  if (!MARKED.has(list)) MARKED.set(list, null)
  return list
}

/**
 * A list's kept markup: a string once a marked list has been encoded, null for a marked list not
 * yet encoded, undefined for any other list.
 */
export function keptMarkup(list: readonly XmlValue[]): string | null | undefined {
  return MARKED.get(list)
}

/** Keeps the markup of a marked list's members (nothing for a list encodeOnce did not mark). */
export function keepMarkup(list: readonly XmlValue[], markup: string): void {
  if (!MARKED.has(list)) return
  // A string built by appending is a tree of its pieces, which every response's
  // Buffer.byteLength and socket write would walk again; reading a character makes V8 flatten
  // it into one piece, once.
  markup.charCodeAt(0)
  MARKED.set(list, markup)
}
