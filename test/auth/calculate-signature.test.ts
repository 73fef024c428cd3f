/**
 * calculateSignature against node:crypto's createHmac: the one-shot HMAC (ASCII strings to sign,
 * keys up to a block) and the fallback (anything else) both give HMAC-SHA256 exactly.
 */
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { calculateSignature } from '../../src/auth/sigv4/calculate-signature.js'

function reference(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex')
}

/** `length` characters drawn from `alphabet`. */
function textOf(alphabet: string, length: number): string {
  const chars = [...alphabet]
  let out = ''
  for (let i = 0; i < length; i++) out += chars[randomBytes(1)[0]! % chars.length]
  return out
}

const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('')

describe('calculateSignature', () => {
  it('is HMAC-SHA256 for ASCII strings to sign under 32-byte keys, a key used many times', () => {
    const keys = Array.from({ length: 20 }, () => new Uint8Array(randomBytes(32)))
    for (let i = 0; i < 2000; i++) {
      const key = keys[i % keys.length]!
      const text = textOf(ASCII, i % 300)
      assert.equal(calculateSignature(key, text), reference(key, text), JSON.stringify(text))
    }
  })

  it('is HMAC-SHA256 for a SigV4 string to sign', () => {
    const key = new Uint8Array(randomBytes(32))
    const text =
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n' +
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59'
    assert.equal(calculateSignature(key, text), reference(key, text))
  })

  it('is HMAC-SHA256 for text beyond ASCII (signed as UTF-8)', () => {
    const key = new Uint8Array(randomBytes(32))
    for (const text of ['é', 'scope/ünïcödé/iam', '𝄞 clef', 'a\u0080b', '\u00ff', '\ud800']) {
      assert.equal(calculateSignature(key, text), reference(key, text), JSON.stringify(text))
    }
    for (let i = 0; i < 300; i++) {
      const text = textOf(`${ASCII}éü€𝄞\u0080\u00ff`, i)
      assert.equal(calculateSignature(key, text), reference(key, text), JSON.stringify(text))
    }
  })

  it('is HMAC-SHA256 under keys of any length, longer than a block included', () => {
    for (const length of [0, 1, 31, 33, 63, 64, 65, 100, 200]) {
      const key = new Uint8Array(randomBytes(length))
      const text = textOf(ASCII, 80)
      assert.equal(calculateSignature(key, text), reference(key, text), `key of ${length} bytes`)
    }
  })

  it('tells keys apart that differ in one bit', () => {
    const key = new Uint8Array(randomBytes(32))
    const other = new Uint8Array(key)
    other[31] = (other[31] as number) ^ 1
    const text = 'AWS4-HMAC-SHA256\n20150830T123600Z\nscope\nhash'
    assert.notEqual(calculateSignature(key, text), calculateSignature(other, text))
    assert.equal(calculateSignature(other, text), reference(other, text))
  })
})
