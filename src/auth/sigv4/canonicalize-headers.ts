/** The CanonicalHeaders block of a SigV4 canonical request. */
import type { HeaderEntry } from './signed-request.js'

/** The canonical header lines, or the first signed header the request does not carry. */
export type CanonicalHeadersResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: string }

/**
 * One `name:value\n` line per signed header, in the order SignedHeaders lists them, the name
 * lower-cased. Each value is trimmed and its runs of whitespace (folded lines included) collapse
 * to one space, as both major SDKs sign them; repeated headers join with `,` in the order
 * received, with no space.
 */
export function canonicalizeHeaders(
  headers: readonly HeaderEntry[],
  signedHeaders: readonly string[],
): CanonicalHeadersResult {
  const wanted = new Map<string, string[]>()
  for (const name of signedHeaders) wanted.set(name.toLowerCase(), [])
  for (const [name, value] of headers) {
    wanted.get(name.toLowerCase())?.push(value.trim().replace(/\s+/g, ' '))
  }
  let text = ''
  for (const name of signedHeaders) {
    const lower = name.toLowerCase()
    const values = wanted.get(lower) ?? []
    // SECURITY: a header named as signed but absent fails outright rather than being signed as
    // empty, so that removing a signed header can never go unnoticed.
    if (values.length === 0) return { ok: false, missing: lower }
    text += `${lower}:${values.join(',')}\n`
  }
  return { ok: true, text }
}
