/** Comparing a computed signature with the one a request carries. */
import { timingSafeEqual } from 'node:crypto'

/**
 * Whether the provided signature equals the expected one, in time that does not depend on where
 * they differ. SECURITY: timingSafeEqual needs buffers of equal length; the expected signature is
 * always 64 hex characters, so refusing another length early reveals nothing an attacker does not
 * already know. Both sides are compared as their UTF-8 bytes, so no two different strings compare
 * equal.
 */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(provided, 'utf8')
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}
