/**
 * requestParametersJson, the text of requestParameters written as the parameters are walked:
 * exactly the JSON of the redacted object (null for none or for one that redaction emptied), with
 * the same secrets gathered in the same order, or undefined (the caller's long way) where it
 * cannot be sure of that.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { HIDDEN, redact } from '../../src/audit/redact.js'
import { requestParameters, requestParametersJson } from '../../src/audit/request-parameters.js'
import { fieldJsonLongWay, parameters } from './audit-arbitraries.js'

describe('requestParametersJson', () => {
  it('writes what redacting and stringifying the object writes, gathering the same secrets', () => {
    let written = 0
    fc.assert(
      fc.property(
        parameters,
        fc.constantFrom('iam', 'sts', 'cloudtrail'),
        fc.boolean(),
        (given, service, gather) => {
          const expectedSecrets = gather ? new Set(['already']) : undefined
          const expected = fieldJsonLongWay(
            redact(requestParameters(given, service), expectedSecrets),
          )
          const secrets = gather ? new Set(['already']) : undefined
          const json = requestParametersJson(given, service, secrets)
          if (json === undefined) {
            assert.deepEqual(secrets, gather ? new Set(['already']) : undefined)
            return
          }
          written += 1
          assert.equal(json, expected)
          assert.deepEqual([...(secrets ?? [])], [...(expectedSecrets ?? [])])
        },
      ),
      { numRuns: 2000 },
    )
    // Many of these requests, and most real ones, take the short way.
    assert.ok(written > 400, `${written} written`)
  })

  it('writes GetUser and CreateUser as their objects would be', () => {
    assert.equal(
      requestParametersJson({ Action: 'GetUser', Version: '2010-05-08', UserName: 'bob' }, 'iam'),
      '{"userName":"bob"}',
    )
    assert.equal(
      requestParametersJson(
        {
          UserName: 'bob',
          'Tags.member.2.Key': 'b',
          'Tags.member.1.Key': 'a',
          MaxItems: '10',
          Password: 'p-secret',
          TokenCode: '123456',
        },
        'iam',
      ),
      `{"userName":"bob","tags":[{"key":"a"},{"key":"b"}],"maxItems":10,"tokenCode":"${HIDDEN}"}`,
    )
    assert.equal(requestParametersJson({ Action: 'GetCallerIdentity' }, 'sts'), 'null')
    assert.equal(requestParametersJson({ OldPassword: 'a', NewPassword: 'b' }, 'iam'), 'null')
    assert.equal(requestParametersJson(undefined, 'iam'), 'null')
  })

  it('takes the long way for names it cannot be sure of', () => {
    // Two names that become one, an index (written first by JSON.stringify), a prototype's name.
    const names = [
      { UserName: 'a', userName: 'b' },
      { B: 'x', 0: 'y' },
      Object.fromEntries([['__proto__', 'p']]),
    ]
    for (const given of names) {
      assert.equal(requestParametersJson(given, 'iam'), undefined)
    }
  })
})
