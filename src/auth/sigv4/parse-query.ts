/** The parameters of a raw query string, both as sent and in SigV4's canonical encoding. */
import { percentDecode } from './percent-decode.js'
import { uriEncode } from './uri-encode.js'

/** One `name=value` pair of a query string. */
export interface QueryParameter {
  /** The name decoded to text (invalid UTF-8 replaced), for finding the X-Amz-* parameters. */
  readonly name: string
  /** The value decoded to text (invalid UTF-8 replaced). */
  readonly value: string
  /** The name as SigV4 canonicalizes it: the decoded bytes, encoded again the one RFC 3986 way. */
  readonly canonicalName: string
  /** The value as SigV4 canonicalizes it. */
  readonly canonicalValue: string
}

/**
 * Splits a raw query string at `&` and each pair at its first `=` (a pair without one has an
 * empty value); empty pairs (`a=1&&b=2`) carry nothing and are dropped. Order is kept.
 */
export function parseQuery(query: string): QueryParameter[] {
  const params: QueryParameter[] = []
  if (query === '') return params
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1)
    const nameBytes = percentDecode(rawName)
    const valueBytes = percentDecode(rawValue)
    params.push({
      name: nameBytes.toString('utf8'),
      value: valueBytes.toString('utf8'),
      canonicalName: uriEncode(nameBytes, false),
      canonicalValue: uriEncode(valueBytes, false),
    })
  }
  return params
}
