/** Base32 (RFC 4648 §6) against the RFC's own test vectors (§10), and what a decoder refuses. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Base32Error, decodeBase32, encodeBase32 } from '../../src/auth/base32.js'

// RFC 4648 §10.
const VECTORS: readonly (readonly [string, string])[] = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
]

describe('Base32', () => {
  for (const [plain, encoded] of VECTORS) {
    it(`encodes and decodes ${JSON.stringify(plain)} as RFC 4648 §10 says`, () => {
      assert.equal(encodeBase32(Buffer.from(plain, 'ascii')), encoded)
      assert.equal(Buffer.from(decodeBase32(encoded)).toString('ascii'), plain)
      const unpadded = encoded.replace(/=+$/, '')
      assert.equal(encodeBase32(Buffer.from(plain, 'ascii'), false), unpadded)
      assert.equal(Buffer.from(decodeBase32(unpadded)).toString('ascii'), plain)
      assert.equal(Buffer.from(decodeBase32(encoded.toLowerCase())).toString('ascii'), plain)
    })
  }

  it('round-trips every byte value and a 40-byte seed in 64 characters', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    assert.deepEqual(decodeBase32(encodeBase32(all)), all)
    const seed = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff)
    const text = encodeBase32(seed)
    assert.match(text, /^[A-Z2-7]{64}$/)
    assert.deepEqual(decodeBase32(text), seed)
  })

  it('refuses characters outside the alphabet', () => {
    for (const bad of ['MZXW6YT1', 'MZXW6YT8', 'MZXW 6YTB', 'MZ=XW6YT', 'MZXW6YTB!']) {
      assert.throws(() => decodeBase32(bad), Base32Error, bad)
    }
  })

  it('refuses impossible lengths and wrong padding', () => {
    for (const bad of ['M', 'MZX', 'MZXW6Y', 'MY=====', 'MY=', 'MZXW6YTB========']) {
      assert.throws(() => decodeBase32(bad), Base32Error, bad)
    }
  })

  it('refuses non-zero bits after the last byte', () => {
    // "MY" is 0x66 with two zero bits after it; "MZ" sets the last of them.
    assert.throws(() => decodeBase32('MZ'), Base32Error)
    assert.deepEqual([...decodeBase32('MY')], [0x66])
  })
})
