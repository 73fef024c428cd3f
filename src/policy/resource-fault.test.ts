import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'
import { isLegacyArn, resourceFault } from './resource-fault.js'

describe('resourceFault', () => {
  const table: [resource: string, partition: string | undefined, expected: string | null][] = [
    ['*', undefined, null],
    ['arn:aws:s3:::bucket/*', undefined, null],
    ['arn:aws-cn:s3:::bucket', undefined, null],
    ['arn:aws-cn:s3:::bucket', 'aws', M.resourcePartition('aws-cn', 'arn:aws-cn:s3:::bucket')],
    ['arn:a*:s3:::bucket', 'aws', null],
    ['bucket', undefined, M.resourceFormat('bucket')],
    ['aws:s3:::b', undefined, M.resourcePartition('s3', 'arn:s3:::b:*')],
    ['arn:nope', undefined, M.resourcePartition('nope', 'arn:nope:*:*:*:*')],
    ['arn:aws', undefined, M.resourceVendor],
    ['arn:aws:iam::123456789012:user/alice', undefined, null],
    ['arn:aws:iam::123456789012:root', undefined, null],
    ['arn:aws:iam::123456789012:widget/x', undefined, M.iamResourcePath],
    [
      'arn:aws:iam:us-east-1:123456789012:role/r',
      undefined,
      M.iamResourceRegion('arn:aws:iam:us-east-1:123456789012:role/r'),
    ],
    ['arn:aws:s3:us-east-1::bucket', undefined, M.s3ResourceRegion('arn:aws:s3:us-east-1::bucket')],
    ['arn:aws:s3:us-east-1:123456789012:accesspoint/ap', undefined, null],
  ]
  for (const [resource, partition, expected] of table) {
    it(`${JSON.stringify(resource)} in partition ${partition ?? 'any'}`, () => {
      assert.equal(resourceFault(resource, partition), expected)
    })
  }
})

describe('isLegacyArn', () => {
  const table: [resource: string, expected: boolean][] = [
    ['*', true],
    ['arn:aws:s3:::bucket', true],
    ['arn:aws:s3::b', false],
    ['arn:aws::us-east-1:123456789012:thing', false],
    ['arn:aws:s3', true],
    ['arn:aws', false],
  ]
  for (const [resource, expected] of table) {
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(resource)}`, () => {
      assert.equal(isLegacyArn(resource), expected)
    })
  }
})
