/**
 * The one failure of a LookupEvents query that only the store can see: a NextToken that is not
 * one it handed out for these same query parameters. The caller answers it with CloudTrail's
 * InvalidNextTokenException. (Next to the port rather than in a backend, so that callers and the
 * conformance suite can name it without knowing any backend.)
 */
export class TrailQueryError extends Error {
  override readonly name = 'TrailQueryError'
}
