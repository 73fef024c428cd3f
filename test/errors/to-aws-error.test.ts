/**
 * toAwsError, the one mapper to the wire, as a table: each kind of thrown value and the AWS error
 * it becomes. An unforeseen error never shows its own text to the client.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AwsError } from '../../src/errors/aws-error.js'
import type { AwsErrorCode } from '../../src/errors/catalog.js'
import { SERVICE_FAILURE_MESSAGE, toAwsError } from '../../src/errors/to-aws-error.js'
import { PolicyParseError, parsePolicy } from '../../src/policy/index.js'

function parseErrorOf(text: string): PolicyParseError {
  try {
    parsePolicy(text, 'identity')
  } catch (err) {
    if (err instanceof PolicyParseError) return err
    throw err
  }
  throw new Error(`expected ${text} to be refused`)
}

const passThrough = new AwsError('NoSuchEntity', 'The user with name bob cannot be found.')
const withPrincipal = parseErrorOf(
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}',
)
const twoFaults = new PolicyParseError([
  { message: 'Policy document should not specify a principal.', path: 'Statement[0].Principal' },
  { message: 'Missing required field Effect', path: 'Statement[1]' },
])

interface Case {
  readonly name: string
  readonly thrown: unknown
  readonly code: AwsErrorCode
  readonly status: number
  readonly fault: 'client' | 'server'
  readonly message: string
}

const CASES: readonly Case[] = [
  {
    name: 'an AwsError passes through unchanged',
    thrown: passThrough,
    code: 'NoSuchEntity',
    status: 404,
    fault: 'client',
    message: 'The user with name bob cannot be found.',
  },
  {
    name: "a policy parse error becomes MalformedPolicyDocument with the parser's AWS message",
    thrown: withPrincipal,
    code: 'MalformedPolicyDocument',
    status: 400,
    fault: 'client',
    message: 'Policy document should not specify a principal.',
  },
  {
    name: 'a policy parse error with several faults carries the first one, as AWS does',
    thrown: twoFaults,
    code: 'MalformedPolicyDocument',
    status: 400,
    fault: 'client',
    message: 'Policy document should not specify a principal.',
  },
  {
    name: 'a plain Error becomes ServiceFailure',
    thrown: new Error('SQLITE_BUSY: database is locked at /var/lib/gatehouse/data.db'),
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'a TypeError becomes ServiceFailure',
    thrown: new TypeError("Cannot read properties of undefined (reading 'secretAccessKey')"),
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'a lookalike carrying an AWS code is not trusted',
    thrown: Object.assign(new Error('wJalrXUtnFEMI/K7MDENG'), {
      code: 'AccessDenied',
      status: 403,
    }),
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'a lookalike carrying the parse error code is not trusted',
    thrown: { name: 'PolicyParseError', code: 'MalformedPolicyDocument', message: 'internal' },
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'a thrown string becomes ServiceFailure',
    thrown: 'password=hunter2',
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'undefined becomes ServiceFailure',
    thrown: undefined,
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
  {
    name: 'null becomes ServiceFailure',
    thrown: null,
    code: 'ServiceFailure',
    status: 500,
    fault: 'server',
    message: SERVICE_FAILURE_MESSAGE,
  },
]

describe('toAwsError', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const mapped = toAwsError(c.thrown)
      assert.ok(mapped instanceof AwsError)
      assert.equal(mapped.code, c.code)
      assert.equal(mapped.status, c.status)
      assert.equal(mapped.fault, c.fault)
      assert.equal(mapped.message, c.message)
      if (c.thrown instanceof AwsError) {
        assert.equal(mapped, c.thrown)
      } else {
        // The original goes to the log and the audit record through `cause`, never to the client.
        assert.equal(mapped.cause, c.thrown)
      }
    })
  }

  it('never lets an unforeseen error say what it was', () => {
    const mapped = toAwsError(new Error('secret text'))
    assert.equal(mapped.message.includes('secret'), false)
    assert.equal(
      mapped.message,
      'The request processing has failed because of an unknown error, exception or failure.',
    )
  })
})
