/** PolicyCompiler: each stored document is parsed and compiled once, within a bounded cache. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PolicyCompiler } from '../../src/auth/policy-compiler.js'
import { PolicyParseError } from '../../src/policy/index.js'

const doc = (action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  })

describe('PolicyCompiler', () => {
  it('returns the same compiled policy for the same document, kind and label', () => {
    const compiler = new PolicyCompiler()
    const first = compiler.compile(doc('iam:GetUser'), 'identity', 'user/a:inline/p')
    assert.equal(compiler.compile(doc('iam:GetUser'), 'identity', 'user/a:inline/p'), first)
    assert.notEqual(compiler.compile(doc('iam:GetUser'), 'identity', 'user/b:inline/p'), first)
    assert.notEqual(compiler.compile(doc('iam:GetUser'), 'boundary', 'user/a:inline/p'), first)
    assert.equal(first.statements[0]?.label, 'user/a:inline/p#0')
  })

  it('keeps at most its capacity, dropping the least recently used', () => {
    const compiler = new PolicyCompiler(2)
    const a = compiler.compile(doc('iam:A'), 'identity', 'a')
    compiler.compile(doc('iam:B'), 'identity', 'b')
    compiler.compile(doc('iam:A'), 'identity', 'a')
    compiler.compile(doc('iam:C'), 'identity', 'c')
    assert.equal(compiler.size, 2)
    assert.equal(compiler.compile(doc('iam:A'), 'identity', 'a'), a, 'a was used last: kept')
  })

  it('throws the parse error of a document IAM would refuse', () => {
    assert.throws(
      () => new PolicyCompiler().compile('{"Statement": "x"}', 'identity', 'bad'),
      PolicyParseError,
    )
  })
})
