/**
 * The unique ids of server certificates (ASCA...) and what their sealed private keys are bound
 * to. Randomness is an argument, so tests can make every id deterministic.
 */
import type { RandomBytes } from './ids.js'

/** The prefix IAM gives a server certificate's id (IAM User Guide, unique ID prefixes: ASCA). */
export const SERVER_CERTIFICATE_ID_PREFIX = 'ASCA'

/** Characters after the prefix: 21 in all, like the other unique ids (`ASCACKCEVSQ6C2EXAMPLE`). */
const SUFFIX_LENGTH = 17

// RFC 4648 base32: 32 symbols, so `byte % 32` draws each with the same probability.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A new server certificate id: `ASCA` and 17 characters of `[A-Z2-7]`. */
export function newServerCertificateId(random: RandomBytes): string {
  const bytes = random(SUFFIX_LENGTH)
  if (bytes.length !== SUFFIX_LENGTH) {
    throw new Error(
      `random source returned ${bytes.length} bytes where ${SUFFIX_LENGTH} were asked for`,
    )
  }
  let out = SERVER_CERTIFICATE_ID_PREFIX
  for (const byte of bytes) out += BASE32.charAt(byte % 32)
  return out
}

/**
 * What a sealed private key is bound to: its certificate's id, which neither a rename nor a move
 * changes, so a sealed key copied to another certificate's row does not open.
 */
export function privateKeySealContext(serverCertificateId: string): string {
  return `server certificate private key ${serverCertificateId}`
}
