/** SHA-256 as SigV4 writes it. */
import { createHash } from 'node:crypto'

/** The lower-case hex SHA-256 of the bytes (UTF-8 for text). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}
