/** Policy documents in IAM's responses are percent-encoded JSON (reference §1.6). */

// RFC 3986 §2.2 sub-delimiters that encodeURIComponent leaves as they are.
const SUB_DELIMS = /[!'()*]/g
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Percent-encodes a policy document for a response, as IAM does: every byte of its UTF-8 but
 * the RFC 3986 unreserved characters becomes `%XY`, so a space is `%20` and a `+` is `%2B`.
 */
export function encodePolicyDocument(document: string): string {
  // Every client decodes this and compares it with what it sent: botocore's unquote keeps a `+`
  // as it is but Go's QueryUnescape makes it a space, so nothing ambiguous may be left unencoded.
  // A lone surrogate has no UTF-8 form (encodeURIComponent would throw): it becomes U+FFFD.
  return encodeURIComponent(document.replace(LONE_SURROGATE, '\uFFFD')).replace(
    SUB_DELIMS,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}
