/**
 * The trail's chain hash: the hex SHA-256 of the previous hash, a newline and the record's UTF-8
 * bytes, whatever the record holds (a lone surrogate goes in as U+FFFD's bytes, as a Hash's
 * update() encodes it).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { GENESIS_HASH, chainHash } from '../../src/store/trail-hash.js'

describe('trail hash', () => {
  it('starts from 64 zeros', () => {
    assert.equal(GENESIS_HASH, '0'.repeat(64))
  })

  it('hashes the previous hash, a newline and the record, as three updates would', () => {
    const records = ['{}', '{"userName":"é😀"}', 'tab\there', 'lone \ud800 surrogate', '']
    let previous = GENESIS_HASH
    for (const record of records) {
      const expected = createHash('sha256')
        .update(previous)
        .update('\n')
        .update(record)
        .digest('hex')
      assert.equal(chainHash(previous, record), expected, JSON.stringify(record))
      previous = expected
    }
    // A fixed value, so that no change to both sides at once goes unseen.
    assert.equal(
      chainHash(GENESIS_HASH, '{}'),
      '5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e',
    )
  })
})
