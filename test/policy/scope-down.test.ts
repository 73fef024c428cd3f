/**
 * The engine's scope-down policies (GetScopedCredentials): every level must allow, whatever else
 * grants the request (a resource policy's direct grant, the root user's own access), an explicit
 * deny in any level denies, GetCallerIdentity needs nothing, and a set without them decides as
 * before.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  buildPolicySet,
  buildRequest,
  compilePolicy,
  evaluate,
  parsePolicy,
} from '../../src/policy/index.js'
import type {
  CompiledPolicy,
  PolicyKind,
  PolicySetInput,
  RequestPrincipal,
} from '../../src/policy/index.js'

const ACCOUNT = '123456789012'
const SESSION: RequestPrincipal = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job`,
  account: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Worker`,
  uniqueId: 'AROAEXAMPLEEXAMPLE123',
}
const ROOT: RequestPrincipal = {
  type: 'Account',
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  account: ACCOUNT,
}
const BUCKET = 'arn:aws:s3:::reports/q1.csv'

function compiled(
  kind: PolicyKind,
  label: string,
  ...statements: Record<string, unknown>[]
): CompiledPolicy {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements })
  return compilePolicy(parsePolicy(text, kind), label)
}

const allow = (action: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: action,
  Resource: '*',
  ...extra,
})
const deny = (action: string) => ({ Effect: 'Deny', Action: action, Resource: '*' })

const NONE: PolicySetInput = {
  identity: [],
  resource: null,
  resourcePolicyKind: 'generic',
  permissionsBoundary: null,
  session: null,
  scps: null,
  rcps: null,
}

function decide(
  input: Partial<PolicySetInput>,
  action: string,
  principal: RequestPrincipal = SESSION,
  resource = '*',
) {
  const set = buildPolicySet({ ...NONE, ...input })
  return evaluate(buildRequest({ principal, action, resource, context: {} }), set)
}

const identity = [compiled('identity', 'role/Worker:work', allow(['s3:*', 'iam:*']))]
const layer = (label: string, ...statements: Record<string, unknown>[]) => [
  compiled('session', label, ...statements),
]

describe('scope-down policies', () => {
  it('must each allow: the decision is the intersection of every level', () => {
    const scopeDown = [
      layer('scope/1', allow(['s3:GetObject', 's3:PutObject', 'iam:GetUser'])),
      layer('scope/2', allow(['s3:GetObject', 'iam:ListUsers'])),
    ]
    const allowed = decide({ identity, scopeDown }, 's3:GetObject')
    assert.equal(allowed.decision, 'allow')
    assert.deepEqual(allowed.matched, ['role/Worker:work#0', 'scope/1#0', 'scope/2#0'])
    for (const action of ['s3:PutObject', 'iam:ListUsers', 'iam:GetUser', 's3:DeleteObject']) {
      const decision = decide({ identity, scopeDown }, action)
      assert.equal(decision.decision, 'implicit_deny', action)
      assert.equal(
        decision.message,
        `User: ${SESSION.arn} is not authorized to perform: ${action} because no session policy allows the ${action} action`,
      )
    }
    // Nothing that no identity policy allows, whatever the levels say.
    const ungranted = decide(
      { identity, scopeDown: [layer('s', allow('ec2:*'))] },
      'ec2:RunInstances',
    )
    assert.equal(ungranted.deniedBy, 'identity')
  })

  it('deny explicitly from any level, over every Allow', () => {
    const scopeDown = [
      layer('scope/1', allow('*'), deny('s3:DeleteObject')),
      layer('scope/2', allow('*')),
    ]
    const decision = decide({ identity, scopeDown }, 's3:DeleteObject')
    assert.equal(decision.decision, 'explicit_deny')
    assert.equal(decision.deniedBy, 'session')
    assert.equal(
      decision.message,
      `User: ${SESSION.arn} is not authorized to perform: s3:DeleteObject with an explicit deny in a session policy`,
    )
    assert.equal(decide({ identity, scopeDown }, 's3:GetObject').decision, 'allow')
  })

  it("cut a resource policy's direct grant to the session, and the root user's own access", () => {
    const resource = compiled('resource', 'bucket', {
      Effect: 'Allow',
      Principal: { AWS: SESSION.arn },
      Action: 's3:GetObject',
      Resource: BUCKET,
    })
    // The grant alone allows, with no identity policy at all.
    assert.equal(decide({ resource }, 's3:GetObject', SESSION, BUCKET).decision, 'allow')
    const cut = decide(
      { resource, scopeDown: [layer('s', allow('s3:ListBucket'))] },
      's3:GetObject',
      SESSION,
      BUCKET,
    )
    assert.equal(cut.decision, 'implicit_deny')
    assert.equal(cut.deniedBy, 'session')

    assert.equal(decide({}, 'iam:CreateUser', ROOT).decision, 'allow')
    const root = decide({ scopeDown: [layer('s', allow('iam:GetUser'))] }, 'iam:CreateUser', ROOT)
    assert.equal(root.decision, 'implicit_deny')
    assert.equal(root.deniedBy, 'session')
    assert.equal(
      decide({ scopeDown: [layer('s', allow('iam:GetUser'))] }, 'iam:GetUser', ROOT).decision,
      'allow',
    )
  })

  it('leave GetCallerIdentity free, and a set without them as it was', () => {
    const scopeDown = [layer('s', deny('*'))]
    assert.equal(decide({ identity, scopeDown }, 'sts:GetCallerIdentity').decision, 'allow')
    for (const empty of [undefined, null, []]) {
      const input = empty === undefined ? { identity } : { identity, scopeDown: empty }
      assert.equal(decide(input, 's3:GetObject').decision, 'allow')
      assert.equal(decide(input, 'ec2:RunInstances').deniedBy, 'identity')
    }
  })
})
