/** The SigV4 canonical request: what the string to sign hashes. */
import { canonicalizeQuery } from './canonicalize-query.js'
import { canonicalizeUri } from './canonicalize-uri.js'
import type { QueryParameter } from './parse-query.js'

/** The parts of a canonical request, each already canonical except the path. */
export interface CanonicalRequestParts {
  readonly method: string
  /** The path as received; normalized (unless `normalizePath` is false) and encoded here. */
  readonly path: string
  readonly normalizePath: boolean
  readonly query: readonly QueryParameter[]
  /** Query parameters left out by decoded name (a presigned request's own X-Amz-Signature). */
  readonly excludedQueryParameters: ReadonlySet<string>
  /** The CanonicalHeaders block, each line ending in `\n`. */
  readonly canonicalHeaders: string
  /** The SignedHeaders value exactly as the request carried it. */
  readonly signedHeaders: string
  /** Lower-case hex SHA-256 of the body. */
  readonly payloadHash: string
}

/**
 * Method, canonical URI, canonical query string, canonical headers, signed headers and payload
 * hash, one per line. The canonical headers end in their own newline, which is why a blank line
 * precedes the signed headers.
 */
export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const uri = canonicalizeUri(parts.path, parts.normalizePath)
  const query = canonicalizeQuery(parts.query, parts.excludedQueryParameters)
  return `${parts.method}\n${uri}\n${query}\n${parts.canonicalHeaders}\n${parts.signedHeaders}\n${parts.payloadHash}`
}
