/**
 * A small SigV4 signer for tests: it builds requests the way a client signs them, from the same
 * canonical forms the official suite checks, so tests can sign at any time, with any date header
 * or expiry, and then break one thing on purpose.
 */
import {
  buildCanonicalRequest,
  buildStringToSign,
  calculateSignature,
  canonicalizeHeaders,
  deriveSigningKey,
  parseQuery,
  sha256Hex,
} from '../../src/auth/sigv4/index.js'
import type { HeaderEntry, SignedRequest } from '../../src/auth/sigv4/index.js'

/** The example credentials of AWS's documentation and test suite. */
export const EXAMPLE_ACCESS_KEY_ID = 'AKIDEXAMPLE'
export const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'

/** What to sign. */
export interface SignOptions {
  readonly form: 'header' | 'query'
  /** The request time, `YYYYMMDDTHHMMSSZ`. */
  readonly time: string
  readonly method?: string
  readonly path?: string
  /** The query string before any authentication parameter is added. */
  readonly query?: string
  /** Headers besides the date, token and authorization ones this signer adds; all are signed. */
  readonly headers?: readonly HeaderEntry[]
  readonly body?: string
  readonly region?: string
  readonly service?: string
  readonly accessKeyId?: string
  readonly secret?: string
  /** X-Amz-Expires for the query form. */
  readonly expires?: number
  readonly sessionToken?: string
  /** Header form: give the time in a signed Date header (this IMF-fixdate) instead of X-Amz-Date. */
  readonly httpDate?: string
}

/** Signs a request as a client would and returns it as the server receives it. */
export function signRequest(options: SignOptions): SignedRequest {
  const method = options.method ?? 'POST'
  const path = options.path ?? '/'
  const body = Buffer.from(options.body ?? '', 'utf8')
  const region = options.region ?? 'us-east-1'
  const service = options.service ?? 'iam'
  const accessKeyId = options.accessKeyId ?? EXAMPLE_ACCESS_KEY_ID
  const secret = options.secret ?? EXAMPLE_SECRET
  const date = options.time.slice(0, 8)
  const scope = `${date}/${region}/${service}/aws4_request`

  const headers: HeaderEntry[] = [['Host', 'iam.example.test'], ...(options.headers ?? [])]
  let query = options.query ?? ''
  if (options.form === 'header') {
    headers.push(
      options.httpDate === undefined ? ['X-Amz-Date', options.time] : ['Date', options.httpDate],
    )
    if (options.sessionToken !== undefined) {
      headers.push(['X-Amz-Security-Token', options.sessionToken])
    }
  }
  const signedHeaders = [...new Set(headers.map(([name]) => name.toLowerCase()))].sort()
  if (options.form === 'query') {
    const auth: [string, string][] = [
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', `${accessKeyId}/${scope}`],
      ['X-Amz-Date', options.time],
      ['X-Amz-SignedHeaders', signedHeaders.join(';')],
    ]
    if (options.expires !== undefined) auth.push(['X-Amz-Expires', String(options.expires)])
    if (options.sessionToken !== undefined) {
      auth.push(['X-Amz-Security-Token', options.sessionToken])
    }
    const encoded = auth.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
    query = query === '' ? encoded : `${query}&${encoded}`
  }

  const canonicalHeaders = canonicalizeHeaders(headers, signedHeaders)
  if (!canonicalHeaders.ok) throw new Error(`unsigned header ${canonicalHeaders.missing}`)
  const canonicalRequest = buildCanonicalRequest({
    method,
    path,
    normalizePath: true,
    query: parseQuery(query),
    excludedQueryParameters: new Set(),
    canonicalHeaders: canonicalHeaders.text,
    signedHeaders: signedHeaders.join(';'),
    payloadHash: sha256Hex(body),
  })
  const stringToSign = buildStringToSign(options.time, scope, canonicalRequest)
  const signature = calculateSignature(
    deriveSigningKey(secret, date, region, service),
    stringToSign,
  )

  if (options.form === 'query') {
    query = `${query}&X-Amz-Signature=${signature}`
  } else {
    headers.push([
      'Authorization',
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    ])
  }
  return { method, path, query, headers, body }
}

/** The epoch milliseconds of a `YYYYMMDDTHHMMSSZ` time. */
export function epoch(time: string): number {
  return Date.parse(
    `${time.slice(0, 4)}-${time.slice(4, 6)}-${time.slice(6, 8)}T${time.slice(9, 11)}:${time.slice(11, 13)}:${time.slice(13, 15)}Z`,
  )
}
