/**
 * The audit trail's hash chain: each event's hash is the hex SHA-256 of the previous event's
 * hash (hex), a newline, and the event's record text; the first event's previous hash is 64
 * zeros. Every backend computes it with this function, and verification recomputes it.
 */
import { createHash } from 'node:crypto'

/** The "previous hash" of the trail's first event. */
export const GENESIS_HASH = '0'.repeat(64)

/** The hash of an event whose record is `record`, after an event whose hash is `previous`. */
export function chainHash(previous: string, record: string): string {
  return createHash('sha256').update(previous).update('\n').update(record).digest('hex')
}
