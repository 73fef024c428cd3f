/** CloudTrail's registry: the awsJson 1.1 service and the operations Gatehouse answers. */
import type { JsonOperation, JsonService } from './json-operation.js'
import { LOOKUP_EVENTS } from './lookup-events.js'

/** CloudTrail's API version. */
export const CLOUDTRAIL_VERSION = '2013-11-01'

/**
 * The X-Amz-Target prefixes clients send: SDK v3 names the Smithy service shape
 * (`CloudTrail_20131101.LookupEvents`: @aws-sdk/client-cloudtrail's protocolSettings.serviceTarget),
 * botocore and the AWS CLI the model's targetPrefix
 * (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`).
 */
export const CLOUDTRAIL_TARGET_PREFIXES = [
  'CloudTrail_20131101',
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
] as const

function byName(operations: readonly JsonOperation[]): ReadonlyMap<string, JsonOperation> {
  const map = new Map<string, JsonOperation>()
  for (const operation of operations) {
    if (map.has(operation.name)) throw new Error(`operation ${operation.name} is listed twice`)
    map.set(operation.name, operation)
  }
  return map
}

/** CloudTrail, signed as `cloudtrail`. */
export const CLOUDTRAIL: JsonService = {
  name: 'cloudtrail',
  version: CLOUDTRAIL_VERSION,
  targetPrefixes: CLOUDTRAIL_TARGET_PREFIXES,
  operations: byName([LOOKUP_EVENTS]),
}
