/** RFC 3986 percent-encoding as SigV4 specifies it for paths and query components. */

const HEX = '0123456789ABCDEF'

// RFC 3986 §2.3 unreserved characters: the only bytes SigV4 leaves as they are.
const UNRESERVED = new Uint8Array(256)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  UNRESERVED[c.charCodeAt(0)] = 1
}
const SLASH = 0x2f

/**
 * Encodes every byte except the unreserved characters (and `/` when `keepSlash`) as `%XY` with
 * upper-case hex digits, as the SigV4 canonical forms require.
 */
export function uriEncode(bytes: Uint8Array, keepSlash: boolean): string {
  let out = ''
  for (const b of bytes) {
    if (UNRESERVED[b] === 1 || (keepSlash && b === SLASH)) out += String.fromCharCode(b)
    else out += '%' + HEX.charAt(b >> 4) + HEX.charAt(b & 0x0f)
  }
  return out
}
