/** The SigV4 signature. */
import { createHmac } from 'node:crypto'

/** The lower-case hex HMAC-SHA256 of the string to sign under the signing key. */
export function calculateSignature(signingKey: Uint8Array, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
}
