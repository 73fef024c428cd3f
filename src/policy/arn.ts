import { intern } from './intern.js'

/**
 * ARNs split into their six parts: arn:partition:service:region:account-id:resource. The
 * resource part runs to the end and may itself hold `:` and `/` (S26).
 */

/** The six parts of an ARN. */
export type ArnParts = readonly [string, string, string, string, string, string]

/** Splits on the first five colons; null when there are fewer than six parts. */
export function splitArn(arn: string): ArnParts | null {
  const c1 = arn.indexOf(':')
  if (c1 === -1) return null
  const c2 = arn.indexOf(':', c1 + 1)
  if (c2 === -1) return null
  const c3 = arn.indexOf(':', c2 + 1)
  if (c3 === -1) return null
  const c4 = arn.indexOf(':', c3 + 1)
  if (c4 === -1) return null
  const c5 = arn.indexOf(':', c4 + 1)
  if (c5 === -1) return null
  return [
    intern(arn.slice(0, c1)),
    intern(arn.slice(c1 + 1, c2)),
    intern(arn.slice(c2 + 1, c3)),
    intern(arn.slice(c3 + 1, c4)),
    intern(arn.slice(c4 + 1, c5)),
    intern(arn.slice(c5 + 1)),
  ]
}

/**
 * Splits a policy's ARN pattern. A pattern with fewer than six parts whose last character is
 * `*` is padded with `*` parts, because a trailing `*` "can expand to match beyond the colon
 * boundaries" (S11). Null when the pattern cannot name any ARN.
 */
export function splitArnPattern(pattern: string): ArnParts | null {
  const full = splitArn(pattern)
  if (full !== null) return full
  if (!pattern.endsWith('*')) return null
  const parts = pattern.split(':')
  while (parts.length < 6) parts.push('*')
  const [a = '', b = '', c = '', d = '', e = '', f = ''] = parts
  return [a, b, c, d, e, f]
}
