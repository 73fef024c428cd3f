/**
 * The identifiers of SAML providers: the SAMLProviderUUID and the ids of private keys.
 * Randomness is an argument, as in ./ids.ts, so tests can make every id deterministic.
 */
import type { RandomBytes } from './ids.js'

/** The prefix of AWS's SAMLProviderUUIDs (AWS answers e.g. `SAMLSP...`). */
export const SAML_PROVIDER_UUID_PREFIX = 'SAMLSP'

// RFC 4648 base32: 32 symbols, so `byte % 32` draws each with the same probability, and all of
// them are in the model's privateKeyIdType pattern `[A-Z0-9]+`.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(random: RandomBytes, length: number): string {
  const bytes = random(length)
  if (bytes.length !== length) {
    throw new Error(`random source returned ${bytes.length} bytes where ${length} were asked for`)
  }
  let out = ''
  for (const byte of bytes) out += BASE32.charAt(byte % 32)
  return out
}

/**
 * A new SAMLProviderUUID: `SAMLSP` and 20 characters of `[A-Z2-7]`, 26 in all (the model's
 * privateKeyIdType: 22 to 64 of `[A-Z0-9]`).
 */
export function newSamlProviderUuid(random: RandomBytes): string {
  return SAML_PROVIDER_UUID_PREFIX + base32(random, 20)
}

/** A new private key id: 26 characters of `[A-Z2-7]` (privateKeyIdType). */
export function newSamlPrivateKeyId(random: RandomBytes): string {
  return base32(random, 26)
}
