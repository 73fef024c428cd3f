import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cidrContains, parseCidr, parseIpValue } from './ip-address.js'

function contains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr)
  const value = parseIpValue(ip)
  assert.ok(block !== null && value !== null, `${cidr} / ${ip} should parse`)
  return cidrContains(block, value)
}

describe('IP addresses and CIDR blocks', () => {
  it('matches IPv4 blocks by prefix', () => {
    assert.equal(contains('203.0.113.0/24', '203.0.113.77'), true)
    assert.equal(contains('203.0.113.0/24', '203.0.114.1'), false)
    assert.equal(contains('0.0.0.0/0', '8.8.8.8'), true)
    assert.equal(contains('10.0.0.0/8', '10.255.255.255'), true)
  })
  it('reads an address without prefix as /32 and /128', () => {
    assert.equal(contains('192.0.2.1', '192.0.2.1'), true)
    assert.equal(contains('192.0.2.1', '192.0.2.2'), false)
    assert.equal(contains('2001:db8::1', '2001:DB8::1'), true)
    assert.equal(contains('2001:db8::1', '2001:db8::2'), false)
  })
  it('matches IPv6 blocks, compressed or not', () => {
    assert.equal(contains('2001:DB8:1234:5678::/64', '2001:db8:1234:5678:abcd::1'), true)
    assert.equal(contains('2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1'), false)
    assert.equal(contains('::/0', '::1'), true)
    assert.equal(contains('::ffff:192.0.2.0/120', '::ffff:192.0.2.9'), true)
  })
  it('keeps the families apart', () => {
    assert.equal(contains('0.0.0.0/0', '::1'), false)
  })
  it('refuses what is not an address', () => {
    for (const bad of [
      '256.1.1.1',
      '1.2.3',
      '01.2.3.4',
      '1.2.3.4.5',
      'abc',
      '1::2::3',
      '',
      '1.2.3.4 ',
    ]) {
      assert.equal(parseIpValue(bad), null, bad)
    }
    assert.equal(parseCidr('10.0.0.0/33'), null)
    assert.equal(parseCidr('::/129'), null)
  })
})
