/** Percent-decoding of query components into the bytes they stand for. */

const PERCENT = 0x25

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  return -1
}

/**
 * Decodes `%XY` escapes to bytes and keeps every other character as its UTF-8 bytes. A `%` not
 * followed by two hex digits stays a literal `%`, and `+` stays a `+` (RFC 3986, not HTML forms:
 * the SDKs encode a space as `%20` when they sign), so decoding never fails and never guesses.
 */
export function percentDecode(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  if (!bytes.includes(PERCENT)) return bytes
  const out = Buffer.allocUnsafe(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (b === PERCENT) {
      const hi = hexValue(bytes[i + 1])
      const lo = hexValue(bytes[i + 2])
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo
        i += 2
        continue
      }
    }
    out[n++] = b
  }
  return out.subarray(0, n)
}
