/**
 * The parser against AWS's recorded MalformedPolicyDocument responses
 * (test/cases/parse-errors/malformed-policies.json): one test per recorded case, asserting that
 * the first fault is AWS's exact message and says where it is, and one per document AWS accepts.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { checkPolicy, isPolicyKind } from '../../src/policy/index.js'
import type { PolicyKind } from '../../src/policy/index.js'
import type { ParsePolicyOptions } from '../../src/policy/parse-policy.js'

interface RecordedCase {
  readonly id: string
  readonly kind: string
  readonly operation: string
  readonly document: string
  readonly code: string
  readonly message: string
  /** Set where AWS's answer depends on the account's partition (PE-043). */
  readonly account_partition?: string
}

interface AcceptedDocument {
  readonly operation: string
  readonly document: string
  readonly why: string
}

const TABLE = join(import.meta.dirname, '..', 'cases', 'parse-errors', 'malformed-policies.json')
const table = JSON.parse(readFileSync(TABLE, 'utf8')) as {
  readonly cases: readonly RecordedCase[]
  readonly must_accept: readonly AcceptedDocument[]
}

// Cases that the document alone cannot decide, or that another validator than IAM's answers.
const SKIPPED: Readonly<Record<string, string>> = {
  'PE-075': 'needs an entity lookup: the principal is a role that does not exist',
  'PE-087': "S3's own validator: it checks actions against S3's action list",
  'PE-088': "S3's own validator: resources must be the bucket or its objects",
  'PE-089': "S3's own validator: actions must apply to the resource types listed",
  'PE-090': "AWS Organizations' generic SCP message, which Gatehouse does not emulate",
  'PE-091': "STS's Java JSON parser text for session policies, with a per-call object hash",
  'PE-092': 'LimitExceeded size quota: the store enforces it, not the parser',
  'PE-093': 'LimitExceeded size quota: the store enforces it, not the parser',
  'PE-094': 'LimitExceeded size quota: the store enforces it, not the parser',
  'PE-095': 'LimitExceeded size quota: the store enforces it, not the parser',
  'PE-096': 'LimitExceeded size quota: the store enforces it, not the parser',
}

// CreatePolicy and CreatePolicyVersion write managed policies, which must say 2012-10-17.
const MANAGED_POLICY_OPERATIONS = new Set(['CreatePolicy', 'CreatePolicyVersion'])

function optionsFor(operation: string, partition?: string): ParsePolicyOptions {
  return {
    ...(MANAGED_POLICY_OPERATIONS.has(operation) ? { requireCurrentVersion: true } : {}),
    ...(partition === undefined ? {} : { partition }),
  }
}

function kindOf(c: RecordedCase): PolicyKind {
  assert.ok(isPolicyKind(c.kind), `${c.id}: unknown kind ${c.kind}`)
  return c.kind
}

function testName(c: RecordedCase): string {
  const message = c.message.length > 90 ? `${c.message.slice(0, 87)}...` : c.message
  return `${c.id}: ${c.operation} answers ${JSON.stringify(message)}`
}

describe('malformed policy documents, as AWS reports them', () => {
  it('skips only cases the table holds', () => {
    const ids = new Set(table.cases.map((c) => c.id))
    for (const id of Object.keys(SKIPPED)) assert.ok(ids.has(id), `no case ${id} to skip`)
  })

  for (const c of table.cases) {
    const skip = SKIPPED[c.id]
    it(testName(c), skip === undefined ? {} : { skip }, () => {
      const result = checkPolicy(
        c.document,
        kindOf(c),
        optionsFor(c.operation, c.account_partition),
      )
      assert.equal(result.ok, false, `${c.id} was accepted`)
      if (result.ok) return
      const [first] = result.faults
      assert.equal(first.message, c.message)
      assert.equal(typeof first.path, 'string')
      assert.ok(first.pos !== undefined, `${c.id}: the fault has no line and column`)
      assert.ok(first.pos.line >= 1 && first.pos.column >= 1, JSON.stringify(first.pos))
    })
  }
})

describe('documents AWS accepts', () => {
  table.must_accept.forEach((a, i) => {
    it(`accepted #${i + 1}: ${a.why}`, () => {
      const result = checkPolicy(a.document, 'identity', optionsFor(a.operation))
      assert.deepEqual(result.ok ? [] : result.faults, [])
    })
  })

  it('accepts Version 2008-10-17 or none when the operation does not insist on 2012-10-17', () => {
    for (const version of ['"Version": "2008-10-17", ', '']) {
      const text = `{${version}"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}}`
      const result = checkPolicy(text, 'identity')
      assert.deepEqual(result.ok ? [] : result.faults, [])
    }
  })

  it('accepts a resource in the partition the caller names', () => {
    const text = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:AttachVolume", "Resource": "arn:aws-us-gov:ec2:*:*:volume/*"}}`
    const result = checkPolicy(text, 'identity', { partition: 'aws-us-gov' })
    assert.deepEqual(result.ok ? [] : result.faults, [])
  })
})

describe('hostile policy text', () => {
  it('reports nesting deeper than any policy as a syntax error instead of overflowing', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const result = checkPolicy(text, 'identity')
    assert.equal(result.ok ? null : result.faults[0].message, 'Syntax errors in policy.')
  })
})
