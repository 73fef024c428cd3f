import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { actionFault } from './action-fault.js'
import { MALFORMED_POLICY_MESSAGES as M } from './malformed-policy-messages.js'

describe('actionFault', () => {
  const table: [action: string, assumeRoleActionsOnly: boolean, expected: string | null][] = [
    ['*', false, null],
    ['s3:GetObject', false, null],
    ['s3:Get Object', false, null],
    ['execute-api:Invoke', false, null],
    ['s3GetObject', false, M.actionVendor],
    ['s3:Get:Object', false, M.actionColons],
    ['s*:GetObject', false, M.actionVendorWildcard],
    ['s?:GetObject', false, M.actionVendorWildcard],
    ['s_3:GetObject', false, M.actionVendorInvalid('s_3')],
    ['sts:AssumeRole', true, null],
    ['STS:assumerolewithsaml', true, null],
    ['sts:AssumeRole*', true, null],
    ['*', true, null],
    ['sts:GetCallerIdentity', true, M.trustActions],
    ['s3:GetObject', true, M.trustActions],
  ]
  for (const [action, assumeRoleActionsOnly, expected] of table) {
    it(`${JSON.stringify(action)}${assumeRoleActionsOnly ? ' in a trust policy' : ''}`, () => {
      assert.equal(actionFault(action, assumeRoleActionsOnly), expected)
    })
  }
})
