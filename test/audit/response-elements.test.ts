/**
 * responseElementsJson, the text of responseElements written as the result is walked: exactly the
 * JSON of the redacted object (null for none, for a read, a failure, or an object that redaction
 * emptied), or undefined (the caller's long way) where it cannot be sure of that.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { HIDDEN, redact } from '../../src/audit/redact.js'
import type { AnsweredCall } from '../../src/audit/response-elements.js'
import { responseElements, responseElementsJson } from '../../src/audit/response-elements.js'
import { fieldJsonLongWay, result } from './audit-arbitraries.js'

/** The record's responseElements the long way: the redacted object's JSON, null if empty. */
function longWay(call: AnsweredCall): string {
  return fieldJsonLongWay(redact(responseElements(call)))
}

describe('responseElementsJson', () => {
  it('writes what redacting and stringifying the object writes', () => {
    let written = 0
    fc.assert(
      fc.property(
        result,
        fc.constantFrom('iam', 'sts', 'cloudtrail'),
        fc.constantFrom('AssumeRole', 'GetSessionToken', 'CreateUser', undefined),
        fc.boolean(),
        fc.boolean(),
        (given, service, action, readOnly, failed) => {
          const call: AnsweredCall = { service, action, readOnly, result: given, failed }
          const json = responseElementsJson(call)
          if (json === undefined) return
          if (json !== 'null') written += 1
          assert.equal(json, longWay(call))
        },
      ),
      { numRuns: 2000 },
    )
    assert.ok(written > 120, `${written} written`)
  })

  it("writes AssumeRole's credentials without their secrets", () => {
    const call: AnsweredCall = {
      service: 'sts',
      action: 'AssumeRole',
      readOnly: true,
      failed: false,
      result: {
        Credentials: {
          AccessKeyId: 'ASIAISSUEDKEY0000001',
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date('2026-03-15T13:00:00Z'),
        },
        PackedPolicySize: undefined,
      },
    }
    assert.equal(
      responseElementsJson(call),
      `{"credentials":{"accessKeyId":"ASIAISSUEDKEY0000001","sessionToken":"${HIDDEN}",` +
        `"expiration":"Mar 15, 2026, 1:00:00 PM"}}`,
    )
    assert.equal(responseElementsJson({ ...call, action: 'GetCallerIdentity' }), 'null')
    assert.equal(responseElementsJson({ ...call, failed: true }), 'null')
  })

  it('takes the long way for names and keys it cannot be sure of', () => {
    const call = (given: Record<string, unknown>): AnsweredCall => ({
      service: 'iam',
      action: 'CreateUser',
      readOnly: false,
      failed: false,
      result: given,
    })
    assert.equal(responseElementsJson(call({ User: { userName: 'x' } })), undefined)
    assert.equal(responseElementsJson(call({ Map: new Map([['2', 1]]) })), undefined)
    assert.equal(responseElementsJson(call({ Map: new Map([[2, 1]]) })), undefined)
  })
})
