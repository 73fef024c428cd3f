/**
 * JSON.stringify of a string, cheaper for the strings a trail record is mostly made of (ids,
 * names, ARNs, sources) which have nothing to escape: testing for that costs half of what the
 * general call does. One implementation for the trail record's builder (src/audit) and the
 * trail journal's encoder (src/store/sqlite), here because the store imports no other layer.
 */

// What JSON.stringify escapes in a string: quotes, backslashes, control characters and (lone)
// surrogates. A string without any is written as it is, between quotes.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON.stringify of a string. */
export function jsonString(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`
}

// The JSON of strings that recur from call to call (sources, actions, regions, addresses, users,
// keys, accounts), up to a bound past which the table starts again: a request may name anything.
const recurring = new Map<string, string>()
const RECURRING_LIMIT = 4096

// Longer strings are not kept: each could be a request's own.
const RECURRING_LENGTH = 128

/** jsonString, kept for a string that many records hold. */
export function recurringJsonString(text: string): string {
  if (text.length > RECURRING_LENGTH) return jsonString(text)
  let json = recurring.get(text)
  if (json === undefined) {
    json = jsonString(text)
    if (recurring.size >= RECURRING_LIMIT) recurring.clear()
    recurring.set(text, json)
  }
  return json
}
