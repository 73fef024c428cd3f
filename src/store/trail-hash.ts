/**
 * The audit trail's hash chain: each event's hash is the hex SHA-256 of the previous event's
 * hash (hex), a newline, and the event's record text; the first event's previous hash is 64
 * zeros. Every backend computes it with this function, and verification recomputes it.
 */
import { hash } from 'node:crypto'

/** The "previous hash" of the trail's first event. */
export const GENESIS_HASH = '0'.repeat(64)

/** The hash of an event whose record is `record`, after an event whose hash is `previous`. */
export function chainHash(previous: string, record: string): string {
  // One-shot: the same UTF-8 bytes as three updates of a Hash, without the Hash object.
  return hash('sha256', `${previous}\n${record}`, 'hex')
}
