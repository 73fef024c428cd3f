/**
 * The first step of an awsQuery request: its `application/x-www-form-urlencoded` body and its
 * query string, decoded into the action, the version and the flat parameters.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import { AwsError } from '../../errors/aws-error.js'
import { FORM_LIMITS } from './form-limits.js'
import type { QueryRequest } from './query-request.js'

// A `%` that does not start two hex digits; and a run of escapes, decoded together so that the
// bytes of one multi-byte character are never split.
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g
// A UTF-16 surrogate without its partner: a string input that is not text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function syntaxError(detail: string): AwsError {
  return new AwsError(
    'MalformedQueryString',
    `The query string contains a syntax error: ${detail}.`,
  )
}

/** Decodes one name or value: `+` is a space (HTML forms: botocore sends it), `%XY` a byte. */
function decodeComponent(raw: string, where: () => string): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw
  if (!spaced.includes('%')) return spaced
  const bad = BAD_ESCAPE.exec(spaced)
  if (bad) {
    const escape = spaced.slice(bad.index, bad.index + 3)
    throw syntaxError(`'${escape}' in ${where()} is not a percent-encoded byte`)
  }
  return spaced.replace(ESCAPE_RUN, (run) => {
    const bytes = Buffer.from(run.replaceAll('%', ''), 'hex')
    // SECURITY: invalid UTF-8 is refused rather than replaced with U+FFFD, so that two different
    // byte strings never decode to the same name or value.
    if (!isUtf8(bytes)) throw syntaxError(`the percent-encoded bytes of ${where()} are not UTF-8`)
    return bytes.toString('utf8')
  })
}

function sourceText(source: string | Uint8Array, label: string): string {
  if (typeof source !== 'string') {
    if (!isUtf8(source)) throw syntaxError(`the ${label} is not UTF-8`)
    return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8')
  }
  if (LONE_SURROGATE.test(source)) throw syntaxError(`the ${label} is not UTF-8`)
  return source
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

  const params = new Map<string, string>()
  let count = 0
  // Presigned and GET requests carry the parameters in the query string, POSTs in the body;
  // AWS reads both as one set (reference §1.1).
  for (const text of [sourceText(query, 'query string'), sourceText(body, 'request body')]) {
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
      const name = decodeComponent(rawName, () => 'a parameter name')
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
      params.set(
        name,
        decodeComponent(rawValue, () => `the value of ${name}`),
      )
    }
  }

  const action = params.get('Action')
  if (action === undefined || action === '') {
    throw new AwsError('MissingAction', 'The request must contain the parameter Action.')
  }
  const version = params.get('Version')
  params.delete('Action')
  params.delete('Version')
  return { action, version, params }
}
