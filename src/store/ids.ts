/**
 * AWS-shaped identifiers: the unique ids of IAM entities (AIDA users, AGPA groups, AROA roles,
 * ANPA policies, AIPA instance profiles), access key ids (AKIA), secret access keys and 12-digit
 * account ids. Randomness is an argument, so tests can make every id deterministic.
 */

/** A source of random bytes: `crypto.randomBytes` in production, a seeded sequence in tests. */
export type RandomBytes = (size: number) => Uint8Array

/** The kinds of IAM entity that carry a unique id. */
export type UniqueIdKind = 'user' | 'group' | 'role' | 'policy' | 'instanceProfile'

/** The four-letter prefix AWS gives each kind's unique id (IAM User Guide, unique ID prefixes). */
export const UNIQUE_ID_PREFIXES = {
  user: 'AIDA',
  group: 'AGPA',
  role: 'AROA',
  policy: 'ANPA',
  instanceProfile: 'AIPA',
} as const satisfies Record<UniqueIdKind, string>

/** The prefix of a long-term access key id. */
export const ACCESS_KEY_ID_PREFIX = 'AKIA'

/** Characters after the prefix of a unique id: 21 characters in all, like `AIDACKCEVSQ6C2EXAMPLE`. */
export const UNIQUE_ID_SUFFIX_LENGTH = 17

/** Characters after the prefix of an access key id: 20 in all, like `AKIAIOSFODNN7EXAMPLE`. */
export const ACCESS_KEY_ID_SUFFIX_LENGTH = 16

/** Length of a secret access key (40 base64 characters, like AWS's). */
export const SECRET_ACCESS_KEY_LENGTH = 40

// RFC 4648 base32: 32 symbols, so `byte % 32` draws each with the same probability.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(random: RandomBytes, length: number): string {
  const bytes = takeBytes(random, length)
  let out = ''
  for (const byte of bytes) out += BASE32.charAt(byte % 32)
  return out
}

function takeBytes(random: RandomBytes, size: number): Uint8Array {
  const bytes = random(size)
  if (bytes.length !== size) {
    throw new Error(`random source returned ${bytes.length} bytes where ${size} were asked for`)
  }
  return bytes
}

/** A new unique id for an entity of `kind`: its prefix and 17 characters of `[A-Z2-7]`. */
export function newUniqueId(kind: UniqueIdKind, random: RandomBytes): string {
  return UNIQUE_ID_PREFIXES[kind] + base32(random, UNIQUE_ID_SUFFIX_LENGTH)
}

/** A new long-term access key id: `AKIA` and 16 characters of `[A-Z2-7]`. */
export function newAccessKeyId(random: RandomBytes): string {
  return ACCESS_KEY_ID_PREFIX + base32(random, ACCESS_KEY_ID_SUFFIX_LENGTH)
}

/** A new secret access key: 30 random bytes as 40 base64 characters. */
export function newSecretAccessKey(random: RandomBytes): string {
  return Buffer.from(takeBytes(random, 30)).toString('base64')
}

/** A new 12-digit account id, each digit uniform (bytes of 250 and above are drawn again). */
export function newAccountId(random: RandomBytes): string {
  let out = ''
  while (out.length < 12) {
    for (const byte of takeBytes(random, 12 - out.length)) {
      if (byte < 250) out += String(byte % 10)
    }
  }
  return out
}

/** Whether `text` is a 12-digit account id. */
export function isAccountId(text: string): boolean {
  return /^[0-9]{12}$/.test(text)
}
