/** IpAddress / NotIpAddress (S13): the request address lies in one of the policy's blocks. */
import type { ValueMatcher } from './value-matcher.js'
import { cidrContains, parseCidr, parseIpValue } from './ip-address.js'
import type { CidrBlock } from './ip-address.js'

/** Compiles the positive matcher; blocks that do not parse match nothing. */
export function compileIpMatcher(policyValues: readonly string[]): ValueMatcher {
  const blocks = policyValues.map(parseCidr).filter((b): b is CidrBlock => b !== null)
  return (value, request) => {
    const known = request.addresses.get(value)
    const ip = known === undefined ? parseIpValue(value) : known
    if (ip === null) return false
    for (const block of blocks) if (cidrContains(block, ip)) return true
    return false
  }
}
