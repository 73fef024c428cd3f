/**
 * PackedPolicySize: raw deflate (level 9) of the minified session policies and the tags against
 * 4,096 bytes, in whole percent rounded up; a session with neither (worked out once) the same as
 * the packing of nothing.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/errors/aws-error.js'
import {
  PACKED_POLICY_LIMIT_BYTES,
  packedPolicySize,
} from '../../src/services/sts/packed-policy-size.js'

/** The percent, packed here independently of the module. */
function expected(
  documents: readonly string[],
  tags: readonly (readonly [string, string])[],
): number {
  const packed = deflateRawSync(Buffer.from(JSON.stringify([documents, tags]), 'utf8'), {
    level: 9,
  })
  return Math.ceil((packed.length * 100) / PACKED_POLICY_LIMIT_BYTES)
}

const POLICY =
  '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ] }'

describe('packedPolicySize', () => {
  it('sizes a session without policies or tags as the packing of nothing, every time', () => {
    const none = expected([], [])
    assert.equal(none, 1)
    for (let i = 0; i < 3; i++) {
      assert.equal(packedPolicySize(null, []), none)
      assert.equal(packedPolicySize([], []), none)
    }
  })

  it('packs the policies minified, and the tags', () => {
    const minified = JSON.stringify(JSON.parse(POLICY))
    assert.equal(
      packedPolicySize([{ document: POLICY, label: 'inline' }], [{ key: 'team', value: 'blue' }]),
      expected([minified], [['team', 'blue']]),
    )
    // The empty case's number is not taken for a session that has tags only.
    const manyTags = Array.from({ length: 50 }, (_, i) => ({
      key: `k${i}`,
      value: `v${i}-${'x'.repeat(40)}`,
    }))
    const size = packedPolicySize(null, manyTags)
    assert.equal(
      size,
      expected(
        [],
        manyTags.map((t) => [t.key, t.value] as const),
      ),
    )
    assert.ok(size > expected([], []))
  })

  it('refuses past 100% with PackedPolicyTooLarge', () => {
    // Random values do not compress: 200 of 80 characters pack far past 4,096 bytes.
    const random = Array.from({ length: 200 }, (_, i) => ({
      key: `key-${i}`,
      value: randomBytes(60).toString('base64'),
    }))
    assert.throws(
      () => packedPolicySize(null, random),
      (err: unknown) => err instanceof AwsError && err.code === 'PackedPolicyTooLarge',
    )
  })
})
