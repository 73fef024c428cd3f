/**
 * Base32 (RFC 4648 §6): the alphabet `A-Z2-7`, five bits a character, `=` padding to a multiple
 * of eight characters. A virtual MFA device's seed travels in it (CreateVirtualMFADevice's
 * Base32StringSeed, the `secret` of an otpauth:// URI). Pure: no I/O.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

// The value of each character of the alphabet, lower case as well (authenticator apps and people
// write seeds in either case).
const VALUES: ReadonlyMap<string, number> = new Map(
  [...ALPHABET].flatMap((ch, value) => [
    [ch, value],
    [ch.toLowerCase(), value],
  ]),
)

// Characters a final quantum can have (RFC 4648 §6): 8 bits in 2, 16 in 4, 24 in 5, 32 in 7.
// One, three or six characters cannot end an encoding.
const FINAL_QUANTUM_CHARS = new Set([0, 2, 4, 5, 7])

/** Text that is not Base32. */
export class Base32Error extends Error {
  override readonly name = 'Base32Error'
}

/** `bytes` in Base32, padded with `=` to a multiple of 8 characters unless `pad` is false. */
export function encodeBase32(bytes: Uint8Array, pad = true): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET.charAt((buffer >> bits) & 31)
    }
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31)
  if (pad) while (out.length % 8 !== 0) out += '='
  return out
}

/**
 * The bytes `text` encodes, in either case, padded or not. Base32Error for any other character,
 * misplaced or wrong padding, an impossible length, or bits past the last byte that are not zero
 * (RFC 4648 §3.5 lets a decoder refuse them: one value then has one spelling only).
 */
export function decodeBase32(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '')
  const padding = text.length - unpadded.length
  if (padding > 0 && text.length % 8 !== 0) {
    throw new Base32Error('Base32 padding must fill the last group of 8 characters')
  }
  if (padding > 6 || !FINAL_QUANTUM_CHARS.has(unpadded.length % 8)) {
    throw new Base32Error(`${unpadded.length} characters are not a whole number of bytes`)
  }
  const out = new Uint8Array(Math.floor((unpadded.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let index = 0
  for (const ch of unpadded) {
    const value = VALUES.get(ch)
    if (value === undefined) throw new Base32Error(`not a Base32 character: ${JSON.stringify(ch)}`)
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[index++] = (buffer >> bits) & 0xff
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new Base32Error('the bits after the last byte are not zero')
  }
  return out
}
