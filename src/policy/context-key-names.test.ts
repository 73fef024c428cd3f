import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { contextKeyNames, variableNames } from './context-key-names.js'
import { parsePolicy } from './parse-policy.js'
import { parseTemplate } from './policy-template.js'

function keys(document: unknown): string[] {
  return contextKeyNames(parsePolicy(JSON.stringify(document), 'identity'))
}

describe('contextKeyNames', () => {
  it("lists the API reference example's keys: the Resource variable, then the condition key", () => {
    const names = keys({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'dynamodb:*',
        Resource: 'arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2015-08-16T12:00:00Z' } },
      },
    })
    assert.deepEqual(names, ['aws:username', 'aws:CurrentTime'])
  })

  it('keeps the first spelling of a key once, across statements and operators', () => {
    const names = keys({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: '*',
          Condition: {
            StringLike: { 's3:prefix': ['home/${aws:userName}/*'] },
            Null: { 'aws:MultiFactorAuthAge': 'false' },
          },
        },
        {
          Effect: 'Deny',
          Action: 's3:*',
          NotResource: "arn:aws:s3:::b/${AWS:USERNAME}/${aws:PrincipalTag/team, 'none'}",
          Condition: { StringEquals: { 'S3:Prefix': 'x' } },
        },
      ],
    })
    assert.deepEqual(names, [
      's3:prefix',
      'aws:userName',
      'aws:MultiFactorAuthAge',
      'aws:PrincipalTag/team',
    ])
  })

  it('reads variables only where the engine substitutes them', () => {
    const names = keys({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: '*',
        Resource: 'arn:aws:s3:::${*}${?}${$}',
        // Numeric and date values take no variables: this is literal text to the engine.
        Condition: { NumericLessThan: { 'aws:EpochTime': '${aws:TokenIssueTime}' } },
      },
    })
    assert.deepEqual(names, ['aws:EpochTime'])
    const legacy = keys({
      Version: '2008-10-17',
      Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::${aws:username}' },
    })
    assert.deepEqual(legacy, [])
  })

  it('reads the variables parseTemplate reads, keeping their case', () => {
    const sources = [
      '${aws:username}',
      "a/${aws:PrincipalTag/Team, 'x y'}/b/${aws:SourceIp}",
      '${${aws:userid}}',
      '${ not a variable }${aws:a}',
      '${aws:x,}${unclosed',
      'plain',
    ]
    for (const source of sources) {
      const engine = parseTemplate(source, '2012-10-17').parts.flatMap((p) =>
        p.kind === 'variable' ? [p.key] : [],
      )
      assert.deepEqual(
        variableNames(source, '2012-10-17').map((n) => n.toLowerCase()),
        engine,
        source,
      )
    }
  })
})
