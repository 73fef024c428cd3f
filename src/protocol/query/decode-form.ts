/**
 * The first step of an awsQuery request: its `application/x-www-form-urlencoded` body and its
 * query string, decoded into the action, the version and the flat parameters.
 */
import { Buffer } from 'node:buffer'
import { AwsError } from '../../errors/aws-error.js'
import { FORM_LIMITS } from './form-limits.js'
import type { QueryRequest } from './query-request.js'

// A `%` that does not start two hex digits.
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/
// A UTF-16 surrogate without its partner: a string input that is not text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// fatal: invalid UTF-8 throws rather than becoming U+FFFD; ignoreBOM: a byte order mark is kept.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function syntaxError(detail: string): AwsError {
  return new AwsError(
    'MalformedQueryString',
    `The query string contains a syntax error: ${detail}.`,
  )
}

/**
 * The text of UTF-8 bytes, or undefined when they are not UTF-8: one pass that checks and decodes,
 * where isUtf8 and toString('utf8') would take two. A leading byte order mark is kept, as
 * toString keeps it.
 */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return undefined
    throw err
  }
}

/** What an error message calls a name (`of` undefined) or the value of the name `of`. */
function where(of: string | undefined): string {
  return of === undefined ? 'a parameter name' : `the value of ${of}`
}

/** The byte of the escape `%XY` at `at` (BAD_ESCAPE has made sure X and Y are hex digits). */
function escapedByte(text: string, at: number): number {
  return (hexValue(text.charCodeAt(at + 1)) << 4) | hexValue(text.charCodeAt(at + 2))
}

function hexValue(code: number): number {
  // '0'-'9' are 48-57; 'A'-'F' (65-70) and 'a'-'f' (97-102) differ only in the bit 0x20.
  return code <= 57 ? code - 48 : (code | 0x20) - 87
}

/** The text of the run of escapes from `start` to `end`, whose bytes are UTF-8 or an error. */
function decodeRun(text: string, start: number, end: number, of: string | undefined): string {
  const bytes = new Uint8Array((end - start) / 3)
  for (let i = 0; i < bytes.length; i++) bytes[i] = escapedByte(text, start + 3 * i)
  // SECURITY: invalid UTF-8 is refused rather than replaced with U+FFFD, so that two different
  // byte strings never decode to the same name or value.
  const decoded = utf8(bytes)
  if (decoded === undefined) {
    throw syntaxError(`the percent-encoded bytes of ${where(of)} are not UTF-8`)
  }
  return decoded
}

/**
 * Decodes one name or value: `+` is a space (HTML forms: botocore sends it), `%XY` a byte. `of`
 * is the name whose value it is, for the error message; undefined for a name.
 */
function decodeComponent(raw: string, of: string | undefined): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw
  let at = spaced.indexOf('%')
  if (at < 0) return spaced
  const bad = BAD_ESCAPE.exec(spaced)
  if (bad) {
    const escape = spaced.slice(bad.index, bad.index + 3)
    throw syntaxError(`'${escape}' in ${where(of)} is not a percent-encoded byte`)
  }
  let decoded = ''
  let copied = 0
  while (at >= 0) {
    // A run of escapes is decoded together, so that the bytes of one multi-byte character are
    // never split; a run of ASCII bytes is its characters, with no UTF-8 to check.
    let end = at
    let ascii = true
    let chars = ''
    for (; spaced.charCodeAt(end) === 0x25; end += 3) {
      const byte = escapedByte(spaced, end)
      if (byte >= 0x80) ascii = false
      else if (ascii) chars += String.fromCharCode(byte)
    }
    decoded += spaced.slice(copied, at) + (ascii ? chars : decodeRun(spaced, at, end, of))
    copied = end
    at = spaced.indexOf('%', end)
  }
  return decoded + spaced.slice(copied)
}

function sourceText(source: string | Uint8Array, label: string): string {
  if (typeof source !== 'string') {
    const text = utf8(source)
    if (text === undefined) throw syntaxError(`the ${label} is not UTF-8`)
    return text
  }
  if (LONE_SURROGATE.test(source)) throw syntaxError(`the ${label} is not UTF-8`)
  return source
}

/** Adds the `name=value` pairs of one text to `params`; returns the count of pairs so far. */
function readPairs(
  text: string,
  params: Map<string, string>,
  counted: number,
  limits: typeof FORM_LIMITS,
): number {
  let count = counted
  // Most bodies have nothing to decode: their names and values are their text.
  const encoded = text.includes('%') || text.includes('+')
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('&', start)
    if (end < 0) end = text.length
    const pair = text.slice(start, end)
    start = end + 1
    // `a=1&&b=2` and a trailing `&` carry nothing, as in every form decoder.
    if (pair === '') continue
    if (++count > limits.maxParameters) {
      throw new AwsError(
        'InvalidQueryParameter',
        `The request has more than ${limits.maxParameters} parameters.`,
      )
    }
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1)
    const name = encoded ? decodeComponent(rawName, undefined) : rawName
    if (name === '') throw syntaxError('a parameter has an empty name')
    if (name.length > limits.maxNameLength) {
      throw new AwsError(
        'InvalidQueryParameter',
        `A parameter name is longer than ${limits.maxNameLength} characters.`,
      )
    }
    // SECURITY: a repeated name is refused, not resolved: if the signature check, the policy
    // engine and the handler each picked a different copy, they would judge different requests.
    if (params.has(name)) {
      throw new AwsError(
        'InvalidParameterValue',
        `The parameter ${name} appears more than once in the request.`,
      )
    }
    params.set(name, encoded ? decodeComponent(rawValue, name) : rawValue)
  }
  return count
}

/**
 * Decodes an awsQuery request's query string (without its `?`) and form body into its action,
 * version and parameters; throws an AwsError for a malformed, ambiguous or oversized request.
 */
export function decodeForm(
  input: { readonly query?: string; readonly body?: string | Uint8Array },
  limits: typeof FORM_LIMITS = FORM_LIMITS,
): QueryRequest {
  const query = input.query ?? ''
  const body = input.body ?? ''
  const size =
    Buffer.byteLength(query, 'utf8') +
    (typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength)
  if (size > limits.maxBytes) {
    throw new AwsError(
      'InvalidQueryParameter',
      `The request's parameters are larger than ${limits.maxBytes} bytes.`,
    )
  }

  // Presigned and GET requests carry the parameters in the query string, POSTs in the body;
  // AWS reads both as one set (reference §1.1). Both are checked for UTF-8 before either is read.
  const queryText = sourceText(query, 'query string')
  const bodyText = sourceText(body, 'request body')
  const params = new Map<string, string>()
  readPairs(bodyText, params, readPairs(queryText, params, 0, limits), limits)

  const action = params.get('Action')
  if (action === undefined || action === '') {
    throw new AwsError('MissingAction', 'The request must contain the parameter Action.')
  }
  const version = params.get('Version')
  params.delete('Action')
  params.delete('Version')
  return { action, version, params }
}
