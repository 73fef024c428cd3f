/**
 * The pooled CSPRNG: each byte handed out once, in memory of the caller's own, across the
 * pool's refills; larger draws straight from the CSPRNG; sizes that are not sizes refused.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pooledRandomBytes } from '../../src/store/random-pool.js'

describe('pooledRandomBytes', () => {
  it('returns as many bytes as asked for, from zero to past the pooled sizes', () => {
    for (const size of [0, 1, 12, 16, 30, 255, 256, 257, 5000]) {
      assert.equal(pooledRandomBytes(size).length, size)
    }
  })

  it('never hands out the same bytes twice, across several refills of the pool', () => {
    // 16-byte draws: a repeat by chance is out of the question (2^-128 a pair).
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const hex = pooledRandomBytes(16).toString('hex')
      assert.ok(!seen.has(hex), `draw ${i} repeated an earlier one`)
      seen.add(hex)
    }
  })

  it('gives each caller a copy: changing one draw changes no other', () => {
    const first = pooledRandomBytes(32)
    const kept = Buffer.from(first)
    const second = pooledRandomBytes(32)
    first.fill(0)
    assert.notEqual(second.toString('hex'), kept.toString('hex'))
    assert.notEqual(second.toString('hex'), '00'.repeat(32))
  })

  it('draws bytes that look uniform: every value appears over many draws', () => {
    const counts = new Array<number>(256).fill(0)
    for (let i = 0; i < 1000; i++) for (const byte of pooledRandomBytes(64)) counts[byte]! += 1
    // 64,000 bytes: each value expected 250 times; none absent and none wildly off.
    for (const [value, count] of counts.entries()) {
      assert.ok(count > 150 && count < 350, `byte ${value} drawn ${count} times`)
    }
  })

  it('refuses a size that is not a non-negative integer', () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => pooledRandomBytes(size), RangeError)
    }
  })
})
