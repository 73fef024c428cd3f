import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parsePolicy } from './parse-policy.js'
import type { PolicyKind } from './policy-kind.js'
import type { SimulationDocument, SimulationInput } from './prepare-simulation.js'
import { prepareSimulation } from './prepare-simulation.js'
import type { RequestPrincipal } from './request-context.js'

const ACCOUNT = '111122223333'
const MATEO: RequestPrincipal = {
  type: 'User',
  arn: `arn:aws:iam::${ACCOUNT}:user/mateo`,
  account: ACCOUNT,
  uniqueId: 'AIDAMATEO',
}

function doc(id: string, kind: PolicyKind, value: unknown, indent?: number): SimulationDocument {
  const text = JSON.stringify(value, null, indent)
  return { id, text, document: parsePolicy(text, kind) }
}

function statement(effect: 'Allow' | 'Deny', action: string | string[], extra = {}) {
  return { Effect: effect, Action: action, Resource: '*', ...extra }
}

function simulation(input: Partial<SimulationInput>) {
  return prepareSimulation({
    identity: [],
    boundary: null,
    resourcePolicy: null,
    caller: MATEO,
    account: ACCOUNT,
    resourceOwner: null,
    context: {},
    ...input,
  })
}

describe('prepareSimulation', () => {
  const identity = doc(
    'PolicyInputList.1',
    'identity',
    {
      Version: '2012-10-17',
      Statement: [
        statement('Allow', ['s3:*', 'iam:Get*']),
        statement('Deny', 's3:DeleteBucket', { Sid: 'NoDelete' }),
      ],
    },
    2,
  )

  it('allows with the allowing statement and its position', () => {
    const result = simulation({ identity: [identity] }).run('s3:GetObject', '*')
    assert.equal(result.decision, 'allowed')
    assert.deepEqual(result.matched, [
      {
        sourcePolicyId: 'PolicyInputList.1',
        sourcePolicyType: 'IAM Policy',
        start: { line: 3, column: 17 },
        end: { line: 11, column: 6 },
      },
    ])
    assert.equal(result.allowedByBoundary, null)
    assert.equal(result.decisionDetails, null)
  })

  it('names the denying statement alone for an explicit deny', () => {
    const result = simulation({ identity: [identity] }).run('s3:DeleteBucket', 'arn:aws:s3:::b')
    assert.equal(result.decision, 'explicitDeny')
    assert.deepEqual(result.matched, [
      {
        sourcePolicyId: 'PolicyInputList.1',
        sourcePolicyType: 'IAM Policy',
        start: { line: 11, column: 6 },
        end: { line: 17, column: 6 },
      },
    ])
    // A named resource in the caller's account: the details are there, empty.
    assert.deepEqual(result.decisionDetails, new Map())
  })

  it('matches nothing for an implicit deny', () => {
    const result = simulation({ identity: [identity] }).run('ec2:RunInstances', '*')
    assert.equal(result.decision, 'implicitDeny')
    assert.deepEqual(result.matched, [])
  })

  it('reports the boundary, and leaves its statements out of an allow', () => {
    const boundary = doc('PermissionsBoundaryPolicyInputList.1', 'boundary', {
      Version: '2012-10-17',
      Statement: [statement('Allow', 'iam:*'), statement('Deny', 'iam:GetRole')],
    })
    const run = simulation({ identity: [identity], boundary })
    const allowed = run.run('iam:GetUser', '*')
    assert.equal(allowed.decision, 'allowed')
    assert.equal(allowed.allowedByBoundary, true)
    assert.deepEqual(
      allowed.matched.map((m) => m.sourcePolicyId),
      ['PolicyInputList.1'],
    )
    const capped = run.run('s3:GetObject', '*')
    assert.equal(capped.decision, 'implicitDeny')
    assert.equal(capped.allowedByBoundary, false)
    const denied = run.run('iam:GetRole', '*')
    assert.equal(denied.decision, 'explicitDeny')
    assert.equal(denied.allowedByBoundary, false)
    assert.deepEqual(
      denied.matched.map((m) => [m.sourcePolicyId, m.sourcePolicyType]),
      [['PermissionsBoundaryPolicyInputList.1', 'Permissions Boundary Policy']],
    )
  })

  it("reproduces the API reference's same-account example: the resource policy grants", () => {
    const iamOnly = { Version: '2012-10-17', Statement: statement('Allow', 'iam:*') }
    const result = simulation({
      identity: [doc('PolicyInputList.1', 'identity', iamOnly)],
      boundary: doc('PermissionsBoundaryPolicyInputList.1', 'boundary', iamOnly),
      resourcePolicy: doc('ResourcePolicy', 'resource', {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: MATEO.arn },
          Action: ['s3:List*', 's3:Put*'],
          Resource: ['arn:aws:s3:::production/*'],
        },
      }),
    }).run('s3:PutObject', 'arn:aws:s3:::production/Test')
    assert.equal(result.decision, 'allowed')
    assert.equal(result.allowedByBoundary, false)
    assert.deepEqual(
      result.matched.map((m) => [m.sourcePolicyId, m.sourcePolicyType]),
      [['ResourcePolicy', 'Resource Policy']],
    )
    assert.deepEqual(result.decisionDetails, new Map())
  })

  it("reproduces the cross-account example: each policy type's own verdict", () => {
    const arnav: RequestPrincipal = {
      type: 'User',
      arn: 'arn:aws:iam::444455556666:user/arnav',
      account: '444455556666',
    }
    const result = simulation({
      caller: arnav,
      account: '444455556666',
      resourceOwner: '123456789012',
      boundary: doc('PermissionsBoundaryPolicyInputList.1', 'boundary', {
        Version: '2012-10-17',
        Statement: statement('Allow', 'iam:*'),
      }),
      resourcePolicy: doc('ResourcePolicy', 'resource', {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: arnav.arn },
          Action: ['s3:List*', 's3:Put*'],
          Resource: ['arn:aws:s3:::mary/*'],
        },
      }),
    }).run('s3:PutObject', 'arn:aws:s3:::mary/Test')
    assert.equal(result.decision, 'implicitDeny')
    assert.deepEqual(
      result.decisionDetails,
      new Map([
        ['IAM Policy', 'implicitDeny'],
        ['Resource Policy', 'allowed'],
        ['Permissions Boundary Policy', 'implicitDeny'],
      ]),
    )
    assert.equal(result.allowedByBoundary, false)
  })

  it('takes the owner from the ARN before ResourceOwner, and the caller account last', () => {
    const run = simulation({ identity: [identity], resourceOwner: '999999999999' })
    assert.equal(run.run('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/x`).decisionDetails?.size, 0)
    assert.equal(run.run('s3:GetObject', 'arn:aws:s3:::b').decisionDetails?.size, 1)
    assert.equal(run.run('s3:GetObject', '*').decisionDetails?.get('IAM Policy'), 'allowed')
  })

  it('lists the keys any policy references that the request lacks, as the policies spell them', () => {
    const conditional = doc('PolicyInputList.1', 'identity', {
      Version: '2012-10-17',
      Statement: [
        statement('Allow', 's3:ListBucket', {
          Condition: { StringLike: { 'aws:PrincipalTag/allowed_service': 's3' } },
        }),
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::example-bucket/${aws:username}',
        },
        statement('Allow', 's3:GetObject', {
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
        }),
      ],
    })
    // As AWS answers (boto3 issue 3111): keys of statements for other actions are listed too.
    const anonymous = simulation({ identity: [conditional], caller: null }).run(
      's3:ListBucket',
      '*',
    )
    assert.deepEqual(anonymous.missingContextValues, [
      'aws:PrincipalTag/allowed_service',
      'aws:username',
      'aws:CurrentTime',
    ])
    assert.equal(anonymous.decision, 'implicitDeny')
    // A known caller's principal keys are derived as enforcement derives them; given keys count.
    const known = simulation({
      identity: [conditional],
      context: { 'AWS:PRINCIPALTAG/ALLOWED_SERVICE': 's3' },
    }).run('s3:ListBucket', '*')
    assert.deepEqual(known.missingContextValues, ['aws:CurrentTime'])
    assert.equal(known.decision, 'allowed')
  })

  it('reads policy variables from the caller, or from nothing without one', () => {
    const own = doc('PolicyInputList.1', 'identity', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'iam:GetUser',
        Resource: 'arn:aws:iam::*:user/${aws:username}',
      },
    })
    const target = `arn:aws:iam::${ACCOUNT}:user/mateo`
    assert.equal(simulation({ identity: [own] }).run('iam:GetUser', target).decision, 'allowed')
    assert.equal(
      simulation({ identity: [own], caller: null }).run('iam:GetUser', target).decision,
      'implicitDeny',
    )
    const given = simulation({
      identity: [own],
      caller: null,
      context: { 'aws:username': 'mateo' },
    }).run('iam:GetUser', target)
    assert.equal(given.decision, 'allowed')
    assert.deepEqual(given.missingContextValues, [])
  })

  it('refuses a resource-based policy without a caller to match its Principal against', () => {
    assert.throws(
      () =>
        simulation({
          caller: null,
          resourcePolicy: doc('ResourcePolicy', 'resource', {
            Version: '2012-10-17',
            Statement: statement('Allow', 's3:*', { Principal: '*' }),
          }),
        }),
      /needs a caller/,
    )
  })

  it('tells apart statements whose labels coincide (a Sid of "1" and the second statement)', () => {
    const clash = doc('PolicyInputList.1', 'identity', {
      Version: '2012-10-17',
      Statement: [statement('Allow', 's3:GetObject', { Sid: '1' }), statement('Allow', 'ec2:*')],
    })
    const result = simulation({ identity: [clash] }).run('ec2:RunInstances', '*')
    assert.equal(result.decision, 'allowed')
    assert.equal(result.matched.length, 1)
    // The second statement's span: it starts where the first (`Sid: "1"`) ends.
    assert.equal(result.matched[0]?.start?.column, 105)
  })
})
