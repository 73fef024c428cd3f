import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parsePolicy } from './parse-policy.js'
import { statementPositions } from './statement-positions.js'

describe('statementPositions', () => {
  it("gives the AWS CLI example's positions for a one-line single statement", () => {
    // aws iam simulate-custom-policy's documented output: Start 1:38, End 1:167.
    const text =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
    assert.deepEqual(statementPositions(text), [
      { start: { line: 1, column: 38 }, end: { line: 1, column: 167 } },
    ])
  })

  it("starts a listed statement past the '[' and ends it past its '}' (AmazonS3ReadOnlyAccess)", () => {
    // The API reference's SimulatePrincipalPolicy example: Start 3:17, End 11:6.
    const text = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    {',
      '      "Effect": "Allow",',
      '      "Action": [',
      '        "s3:Get*",',
      '        "s3:List*"',
      '      ],',
      '      "Resource": "*"',
      '    }',
      '  ]',
      '}',
    ].join('\n')
    assert.deepEqual(statementPositions(text), [
      { start: { line: 3, column: 17 }, end: { line: 11, column: 6 } },
    ])
  })

  it('starts each later statement where the one before it ended', () => {
    const text =
      '{"Statement": [ {"Effect":"Deny"} ,\r\n  {"Sid":"a}\\"{", "Effect":"Allow"}],"Version":"2012-10-17"}'
    assert.deepEqual(statementPositions(text), [
      { start: { line: 1, column: 16 }, end: { line: 1, column: 34 } },
      { start: { line: 1, column: 34 }, end: { line: 2, column: 36 } },
    ])
  })

  it('skips the members before Statement, nested values and strings with braces included', () => {
    const text = `{"Id": "x{[", "Version": "2012-10-17",\r"Statement": {"Effect": "Allow", "Action": ["a:b"], "Resource": "*", "Condition": {"NumericLessThan": {"k:n": [1, 2.5e3]}, "Bool": {"k:b": true}}}}`
    const [span] = statementPositions(text)
    assert.deepEqual(span?.start, { line: 2, column: 15 })
    // The statement's `}` is the line's last character but one (the document's closes it).
    assert.deepEqual(span?.end, { line: 2, column: text.split('\r')[1]?.length })
  })

  it('has one span per statement the parser reads, in its order', () => {
    const text = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'One', Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'Two', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
          { Sid: 'Three', Effect: 'Allow', Action: 'iam:Get*', Resource: '*' },
        ],
      },
      null,
      2,
    )
    const spans = statementPositions(text)
    const lines = text.split('\n')
    assert.equal(spans.length, parsePolicy(text, 'identity').statements.length)
    for (const span of spans) {
      // Each ends just past a statement's closing brace.
      assert.equal(lines[span.end.line - 1]?.[span.end.column - 2], '}')
    }
  })

  it('gives nothing for a document without statements', () => {
    assert.deepEqual(statementPositions('{"Version":"2012-10-17","Statement":[]}'), [])
    assert.deepEqual(statementPositions('{}'), [])
  })
})
