/**
 * The ids of SSH public keys (APKA...) and signing certificates. Randomness is an argument, so
 * tests can make every id deterministic.
 */
import type { RandomBytes } from './ids.js'

/** The prefix IAM gives a public key's id (IAM User Guide, unique ID prefixes: APKA). */
export const SSH_PUBLIC_KEY_ID_PREFIX = 'APKA'

/** Characters after the prefix: 20 in all, like `APKAEIVFHP46CEXAMPLE` in AWS's examples. */
const SSH_PUBLIC_KEY_ID_SUFFIX_LENGTH = 16

/**
 * A certificate id's length. The model allows 24 to 128 word characters and AWS's examples are
 * 24 and 28 characters (`ID123456789012345EXAMPLE`, `TA7SMP42TDN5Z26OBPJE7EXAMPLE`); 32
 * characters of base32 carry 160 random bits.
 */
const CERTIFICATE_ID_LENGTH = 32

// RFC 4648 base32: 32 symbols, so `byte % 32` draws each with the same probability.
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

/** A new SSH public key id: `APKA` and 16 characters of `[A-Z2-7]`. */
export function newSshPublicKeyId(random: RandomBytes): string {
  return SSH_PUBLIC_KEY_ID_PREFIX + base32(random, SSH_PUBLIC_KEY_ID_SUFFIX_LENGTH)
}

/** A new signing certificate id: 32 characters of `[A-Z2-7]`. */
export function newSigningCertificateId(random: RandomBytes): string {
  return base32(random, CERTIFICATE_ID_LENGTH)
}
