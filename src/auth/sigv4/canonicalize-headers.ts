/** The CanonicalHeaders block of a SigV4 canonical request. */
import type { HeaderEntry } from './signed-request.js'

/** The canonical header lines, or the first signed header the request does not carry. */
export type CanonicalHeadersResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: string }

// A value whose whitespace SigV4 rewrites: a whitespace character other than a space, or two in
// a row. Any other value (nearly every one) is already its own canonical form once trimmed.
const REWRITTEN_SPACE = /[^\S ]|\s\s/

/** A header value as SigV4 signs it: trimmed, each run of whitespace one space. */
function canonicalValue(value: string): string {
  const trimmed = value.trim()
  return REWRITTEN_SPACE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed
}

/**
 * One `name:value\n` line per signed header, in the order SignedHeaders lists them, the name
 * lower-cased. Each value is trimmed and its runs of whitespace (folded lines included) collapse
 * to one space, as both major SDKs sign them; repeated headers join with `,` in the order
 * received, with no space. Only the signed headers' values are rewritten.
 */
export function canonicalizeHeaders(
  headers: readonly HeaderEntry[],
  signedHeaders: readonly string[],
): CanonicalHeadersResult {
  // Each signed name's values so far, joined with `,` (undefined: none yet).
  const wanted = new Map<string, string | undefined>()
  for (const name of signedHeaders) wanted.set(name.toLowerCase(), undefined)
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    if (!wanted.has(lower)) continue
    const previous = wanted.get(lower)
    const canonical = canonicalValue(value)
    wanted.set(lower, previous === undefined ? canonical : `${previous},${canonical}`)
  }
  let text = ''
  for (const name of signedHeaders) {
    const lower = name.toLowerCase()
    const values = wanted.get(lower)
    // SECURITY: a header named as signed but absent fails outright rather than being signed as
    // empty, so that removing a signed header can never go unnoticed.
    if (values === undefined) return { ok: false, missing: lower }
    text += `${lower}:${values}\n`
  }
  return { ok: true, text }
}
