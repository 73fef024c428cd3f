/**
 * The AWS-shaped id generators, driven by an injected random source so every expected id is
 * known in advance.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  UNIQUE_ID_PREFIXES,
  isAccountId,
  newAccessKeyId,
  newAccountId,
  newSecretAccessKey,
  newUniqueId,
} from '../../src/store/ids.js'
import type { RandomBytes, UniqueIdKind } from '../../src/store/ids.js'

/** Returns bytes 0, 1, 2, ... in order, wrapping at 256. */
function counting(start = 0): RandomBytes {
  let next = start
  return (size) => {
    const out = new Uint8Array(size)
    for (let i = 0; i < size; i++) out[i] = next++ % 256
    return out
  }
}

/** Returns the given bytes, then fails: a test that asks for more than it expects is wrong. */
function fixed(...chunks: number[][]): RandomBytes {
  const queue = chunks.map((chunk) => Uint8Array.from(chunk))
  return (size) => {
    const chunk = queue.shift()
    if (chunk === undefined) throw new Error(`unexpected request for ${size} random bytes`)
    return chunk.subarray(0, size)
  }
}

describe('newUniqueId', () => {
  it('draws 17 base32 characters after the prefix', () => {
    assert.equal(newUniqueId('user', counting()), 'AIDAABCDEFGHIJKLMNOPQ')
    assert.equal(newUniqueId('role', counting(26)), 'AROA234567ABCDEFGHIJK')
  })

  it('maps each byte to the alphabet modulo 32', () => {
    assert.equal(
      newUniqueId('group', () => new Uint8Array(17).fill(255)),
      'AGPA77777777777777777',
    )
    assert.equal(
      newUniqueId('policy', () => new Uint8Array(17).fill(32)),
      'ANPAAAAAAAAAAAAAAAAAA',
    )
  })

  for (const [kind, prefix] of Object.entries(UNIQUE_ID_PREFIXES)) {
    it(`gives a ${kind} the ${prefix} prefix and 21 characters of [A-Z2-7]`, () => {
      const id = newUniqueId(kind as UniqueIdKind, randomBytes)
      assert.match(id, new RegExp(`^${prefix}[A-Z2-7]{17}$`))
    })
  }

  it('refuses a random source that returns too few bytes', () => {
    assert.throws(() => newUniqueId('user', () => new Uint8Array(3)), /returned 3 bytes/)
  })
})

describe('newAccessKeyId', () => {
  it('is AKIA and 16 base32 characters', () => {
    assert.equal(newAccessKeyId(counting(1)), 'AKIABCDEFGHIJKLMNOPQ')
    assert.match(newAccessKeyId(randomBytes), /^AKIA[A-Z2-7]{16}$/)
  })
})

describe('newSecretAccessKey', () => {
  it('is 30 random bytes in base64, 40 characters', () => {
    const secret = newSecretAccessKey(() => new Uint8Array(30).fill(0xfb))
    assert.equal(secret, '+/v7'.repeat(10))
    assert.match(newSecretAccessKey(randomBytes), /^[A-Za-z0-9+/]{40}$/)
  })
})

describe('newAccountId', () => {
  it('turns bytes into digits modulo 10', () => {
    assert.equal(newAccountId(counting(10)), '012345678901')
  })

  it('draws again for bytes of 250 and above, so each digit is uniform', () => {
    const random = fixed([250, 1, 255, 2, 3, 4, 5, 6, 7, 8, 9, 0], [251, 11], [17])
    assert.equal(newAccountId(random), '123456789017')
  })

  it('always gives 12 digits', () => {
    for (let i = 0; i < 50; i++) assert.ok(isAccountId(newAccountId(randomBytes)))
  })
})

describe('isAccountId', () => {
  it('accepts exactly 12 digits', () => {
    assert.equal(isAccountId('111122223333'), true)
    assert.equal(isAccountId('11112222333'), false)
    assert.equal(isAccountId('1111222233334'), false)
    assert.equal(isAccountId('11112222333a'), false)
  })
})
