/** SHA-256 as SigV4 writes it. */
import { hash } from 'node:crypto'

/** The lower-case hex SHA-256 of the bytes (UTF-8 for text). */
export function sha256Hex(data: Uint8Array | string): string {
  // One-shot: no Hash object per call, which costs more than hashing a request's few bytes.
  return hash('sha256', data, 'hex')
}
