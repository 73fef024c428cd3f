/** The CanonicalQueryString line of a SigV4 canonical request. */
import type { QueryParameter } from './parse-query.js'

/**
 * Every parameter except those named in `excluded` (by decoded name, case-sensitively: a
 * presigned request leaves out its own X-Amz-Signature), as `name=value` in canonical encoding,
 * sorted by name and then by value, joined with `&`. Sorting compares the encoded forms, which are
 * ASCII, so code-unit order is byte order.
 */
export function canonicalizeQuery(
  params: readonly QueryParameter[],
  excluded: ReadonlySet<string>,
): string {
  const pairs: (readonly [string, string])[] = []
  for (const p of params) {
    if (!excluded.has(p.name)) pairs.push([p.canonicalName, p.canonicalValue])
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
