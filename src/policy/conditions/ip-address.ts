/**
 * IPv4 and IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress (S13). An address without
 * a prefix length is a /32 (IPv4, documented) or a /128 (IPv6, by the same logic).
 */

/** An address as 32-bit words: one for IPv4, four for IPv6. */
export interface IpValue {
  readonly family: 4 | 6
  readonly words: readonly number[]
}

/** A CIDR block. */
export interface CidrBlock {
  readonly family: 4 | 6
  readonly words: readonly number[]
  readonly prefix: number
}

/** Dotted-quad IPv4 to a 32-bit word; null unless exactly four decimal octets without leading zeros. */
function parseIpv4(text: string): number | null {
  const length = text.length
  if (length < 7 || length > 15) return null
  let word = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) {
      // A leading zero makes the octet ambiguous (octal in some parsers): refuse it.
      if (digits === 1 && octet === 0) return null
      octet = octet * 10 + (c - 0x30)
      if (++digits > 3 || octet > 255) return null
    } else if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return null
      word = word * 256 + octet
      octet = 0
      digits = 0
    } else return null
  }
  if (dots !== 3 || digits === 0) return null
  return (word * 256 + octet) >>> 0
}

function parseIpv6(text: string): number[] | null {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null
  let head = text
  let tail4: number | null = null
  // An embedded IPv4 address fills the last two groups (e.g. ::ffff:192.0.2.1).
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.', lastColon)) {
    tail4 = parseIpv4(text.slice(lastColon + 1))
    if (tail4 === null) return null
    head = `${text.slice(0, lastColon + 1)}0:0`
  }
  const halves = head.split('::')
  if (halves.length > 2) return null
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return []
    const groups = part.split(':')
    const out: number[] = []
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null
      out.push(parseInt(g, 16))
    }
    return out
  }
  const left = parseGroups(halves[0] ?? '')
  const right = halves.length === 2 ? parseGroups(halves[1] ?? '') : []
  if (left === null || right === null) return null
  let groups: number[]
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length
    if (missing < 1) return null
    groups = [...left, ...new Array<number>(missing).fill(0), ...right]
  } else groups = left
  if (groups.length !== 8) return null
  const words: number[] = []
  for (let i = 0; i < 8; i += 2) words.push((((groups[i] ?? 0) << 16) | (groups[i + 1] ?? 0)) >>> 0)
  if (tail4 !== null) words[3] = tail4
  return words
}

/** Parses an address (no prefix); null when it is not one. */
export function parseIpValue(text: string): IpValue | null {
  const v4 = parseIpv4(text)
  if (v4 !== null) return { family: 4, words: [v4] }
  const v6 = parseIpv6(text)
  return v6 === null ? null : { family: 6, words: v6 }
}

/** Parses `address[/prefix]`; null when it is not a valid block. */
export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf('/')
  const address = parseIpValue((slash === -1 ? text : text.slice(0, slash)).trim())
  if (address === null) return null
  const max = address.family === 4 ? 32 : 128
  let prefix = max
  if (slash !== -1) {
    const p = text.slice(slash + 1).trim()
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null
    prefix = Number(p)
  }
  return { family: address.family, words: address.words, prefix }
}

/** Whether an address lies in a block. */
export function cidrContains(block: CidrBlock, ip: IpValue): boolean {
  if (block.family !== ip.family) return false
  let remaining = block.prefix
  for (let i = 0; i < block.words.length && remaining > 0; i++) {
    const bits = Math.min(32, remaining)
    const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0
    if (((block.words[i] ?? 0) & mask) >>> 0 !== ((ip.words[i] ?? 0) & mask) >>> 0) return false
    remaining -= bits
  }
  return true
}
