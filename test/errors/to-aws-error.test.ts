/**
 * toAwsError, the one mapper to the wire, as a table: each kind of thrown value and the AWS error
 * it becomes. An unforeseen error never shows its own text to the client.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { errorCodes } from 'fastify'
import { AwsError } from '../../src/errors/aws-error.js'
import type { AwsErrorCode } from '../../src/errors/catalog.js'
import { SERVICE_FAILURE_MESSAGE, toAwsError } from '../../src/errors/to-aws-error.js'
import { PolicyParseError, parsePolicy } from '../../src/policy/index.js'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../src/store/errors.js'
import type { DeleteConflictReason } from '../../src/store/errors.js'

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
    name: "a missing user becomes NoSuchEntity (404) in IAM's wording",
    thrown: new NotFoundError('user', 'foobar'),
    code: 'NoSuchEntity',
    status: 404,
    fault: 'client',
    message: 'The user with name foobar cannot be found.',
  },
  {
    name: 'a missing access key becomes NoSuchEntity naming the key',
    thrown: new NotFoundError('accessKey', 'AKIAIOSFODNN7EXAMPLE'),
    code: 'NoSuchEntity',
    status: 404,
    fault: 'client',
    message: 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
  },
  {
    name: 'a taken user name becomes EntityAlreadyExists (409)',
    thrown: new AlreadyExistsError('user', 'Bob'),
    code: 'EntityAlreadyExists',
    status: 409,
    fault: 'client',
    message: 'User with name Bob already exists.',
  },
  {
    name: "an exceeded quota becomes LimitExceeded (409) with IAM's quota name",
    thrown: new LimitExceededError('accessKeysPerUser', 2),
    code: 'LimitExceeded',
    status: 409,
    fault: 'client',
    message: 'Cannot exceed quota for AccessKeysPerUser: 2',
  },
  {
    name: 'the inline policy size quota of a user is UserPolicySize',
    thrown: new LimitExceededError('inlinePolicySizePerUser', 2048),
    code: 'LimitExceeded',
    status: 409,
    fault: 'client',
    message: 'Cannot exceed quota for UserPolicySize: 2048',
  },
  {
    name: 'the attachment quota of a role is PoliciesPerRole',
    thrown: new LimitExceededError('attachedPoliciesPerRole', 10),
    code: 'LimitExceeded',
    status: 409,
    fault: 'client',
    message: 'Cannot exceed quota for PoliciesPerRole: 10',
  },
  {
    name: 'a user that still has access keys becomes DeleteConflict (409)',
    thrown: new DeleteConflictError('user', 'Bob', 'accessKeys'),
    code: 'DeleteConflict',
    status: 409,
    fault: 'client',
    message: 'Cannot delete entity, must delete access keys first.',
  },
  {
    name: 'a user that still has inline policies becomes DeleteConflict',
    thrown: new DeleteConflictError('user', 'Bob', 'inlinePolicies'),
    code: 'DeleteConflict',
    status: 409,
    fault: 'client',
    message: 'Cannot delete entity, must delete policies first.',
  },
  {
    name: 'a body over the HTTP limit becomes InvalidQueryParameter (400)',
    thrown: new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
    code: 'InvalidQueryParameter',
    status: 400,
    fault: 'client',
    message: 'The request body is too large.',
  },
  {
    name: 'a URL that is not validly percent-encoded becomes MalformedQueryString',
    thrown: new errorCodes.FST_ERR_BAD_URL('/%zz'),
    code: 'MalformedQueryString',
    status: 404,
    fault: 'client',
    message:
      'The query string contains a syntax error: the request URL is not validly percent-encoded.',
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

  it('words a missing inline policy after the operation that looked for it', () => {
    const err = new NotFoundError('inlinePolicy', 'ReadOnly')
    assert.equal(
      toAwsError(err, { action: 'GetUserPolicy' }).message,
      'The user policy with name ReadOnly cannot be found.',
    )
    assert.equal(
      toAwsError(err, { action: 'DeleteRolePolicy' }).message,
      'The role policy with name ReadOnly cannot be found.',
    )
    assert.equal(toAwsError(err).message, 'The policy with name ReadOnly cannot be found.')
  })

  it('has a DeleteConflict message for every reason the store gives', () => {
    const reasons: readonly DeleteConflictReason[] = [
      'accessKeys',
      'inlinePolicies',
      'attachedPolicies',
      'groupMemberships',
      'groupMembers',
      'instanceProfiles',
      'policyAttachments',
      'permissionsBoundaryUsage',
      'policyVersions',
      'defaultVersion',
      'instanceProfileRoles',
    ]
    for (const reason of reasons) {
      const mapped = toAwsError(new DeleteConflictError('user', 'x', reason))
      assert.equal(mapped.code, 'DeleteConflict')
      assert.ok(mapped.message.length > 0, reason)
      assert.equal(mapped.message.includes('undefined'), false, reason)
    }
  })
})
