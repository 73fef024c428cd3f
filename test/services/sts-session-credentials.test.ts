/**
 * STS GetSessionToken and GetFederationToken in process, and the condition keys temporary
 * credentials bring (aws:TokenIssueTime, aws:MultiFactorAuthPresent).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  ROOT_KEY,
  createUserWithKey,
  policy,
  startInProcess,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'

const USER = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`
const FEDERATED = (name: string) => `arn:aws:sts::${ACCOUNT_ID}:federated-user/${name}`

describe('STS GetSessionToken', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
  })
  after(() => g.close())

  it('needs no permission, and lasts 12 hours by default', async () => {
    const r = await sts(g, 'GetSessionToken', {}, alice)
    assert.equal(r.status, 200, r.body)
    const credentials = credentialsOf(r, 'GetSessionToken')
    assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/)
    assert.equal(credentials.expiration, '2026-03-16T00:00:00Z')
    const who = await sts(g, 'GetCallerIdentity', {}, credentials)
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), USER('alice'))
  })

  it('lasts from 900 seconds to 36 hours', async () => {
    const expirations: readonly [string, string][] = [
      ['900', '2026-03-15T12:15:00Z'],
      ['129600', '2026-03-17T00:00:00Z'],
    ]
    for (const [duration, expiration] of expirations) {
      const r = await sts(g, 'GetSessionToken', { DurationSeconds: duration }, alice)
      assert.equal(credentialsOf(r, 'GetSessionToken').expiration, expiration)
    }
    for (const [duration, bound] of [
      ['899', 'have value greater than or equal to 900'],
      ['129601', 'have value less than or equal to 129600'],
    ] as const) {
      const r = await sts(g, 'GetSessionToken', { DurationSeconds: duration }, alice)
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message: `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must ${bound}`,
      })
    }
  })

  it('gives the root user an hour at most: longer requests get an hour', async () => {
    for (const [duration, expiration] of [
      [undefined, '2026-03-15T13:00:00Z'],
      ['1800', '2026-03-15T12:30:00Z'],
      ['7200', '2026-03-15T13:00:00Z'],
    ] as const) {
      const r = await sts(
        g,
        'GetSessionToken',
        duration === undefined ? {} : { DurationSeconds: duration },
        ROOT_KEY,
      )
      assert.equal(credentialsOf(r, 'GetSessionToken').expiration, expiration)
    }
  })

  it("carries the user's permissions into AssumeRole", async () => {
    await createRole(g, {
      name: 'TrustsAccount',
      assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
    })
    const arn = `arn:aws:iam::${ACCOUNT_ID}:role/TrustsAccount`
    const credentials = credentialsOf(await sts(g, 'GetSessionToken', {}, alice), 'GetSessionToken')
    const refused = await sts(g, 'AssumeRole', { RoleArn: arn, RoleSessionName: 'a1' }, credentials)
    assert.deepEqual(refused.error, {
      code: 'AccessDenied',
      message: `User: ${USER('alice')} is not authorized to perform: sts:AssumeRole on resource: ${arn} because no identity-based policy allows the sts:AssumeRole action`,
    })
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'assume',
      PolicyDocument: policy('Allow', 'sts:AssumeRole', arn),
    })
    const allowed = await sts(g, 'AssumeRole', { RoleArn: arn, RoleSessionName: 'a1' }, credentials)
    assert.equal(allowed.status, 200, allowed.body)
  })

  it('refuses MFA it cannot check', async () => {
    const r = await sts(
      g,
      'GetSessionToken',
      { SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`, TokenCode: '123456' },
      alice,
    )
    assert.equal(r.status, 403)
    assert.equal(r.error?.code, 'AccessDenied')
    assert.match(
      r.error?.message ?? '',
      /^MultiFactorAuthentication failed, unable to validate MFA code\./,
    )
  })
})

describe('STS GetFederationToken', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
  })
  after(() => g.close())

  it('needs sts:GetFederationToken on the federated user', async () => {
    const r = await sts(g, 'GetFederationToken', { Name: 'Bob' }, alice)
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: ${USER('alice')} is not authorized to perform: sts:GetFederationToken on resource: ${FEDERATED('Bob')} because no identity-based policy allows the sts:GetFederationToken action`,
    })
  })

  it('returns the federated user, 12-hour credentials and the packed size', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'federate',
      PolicyDocument: policy('Allow', 'sts:GetFederationToken', FEDERATED('*')),
    })
    const r = await sts(
      g,
      'GetFederationToken',
      { Name: 'Bob', Policy: policy('Allow', 's3:GetObject', '*') },
      alice,
    )
    assert.equal(r.status, 200, r.body)
    assert.equal(
      xmlText(r.xml, 'GetFederationTokenResult/FederatedUser/FederatedUserId'),
      `${ACCOUNT_ID}:Bob`,
    )
    assert.equal(xmlText(r.xml, 'GetFederationTokenResult/FederatedUser/Arn'), FEDERATED('Bob'))
    assert.match(xmlText(r.xml, 'GetFederationTokenResult/PackedPolicySize') ?? '', /^\d+$/)
    const credentials = credentialsOf(r, 'GetFederationToken')
    assert.equal(credentials.expiration, '2026-03-16T00:00:00Z')
    const who = await sts(g, 'GetCallerIdentity', {}, credentials)
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/UserId'), `${ACCOUNT_ID}:Bob`)
    assert.equal(xmlText(who.xml, 'GetCallerIdentityResult/Arn'), FEDERATED('Bob'))
  })

  it('leaves PackedPolicySize out when no policy or tag is passed', async () => {
    const r = await sts(g, 'GetFederationToken', { Name: 'Plain' }, alice)
    assert.equal(r.status, 200, r.body)
    assert.equal(xmlText(r.xml, 'GetFederationTokenResult/PackedPolicySize'), undefined)
  })

  it('gives the root user an hour at most', async () => {
    const r = await sts(
      g,
      'GetFederationToken',
      { Name: 'RootFed', DurationSeconds: '7200' },
      ROOT_KEY,
    )
    assert.equal(credentialsOf(r, 'GetFederationToken').expiration, '2026-03-15T13:00:00Z')
  })

  it('checks Name and Policy against the model', async () => {
    const cases: readonly [Record<string, string>, string][] = [
      [
        { Name: 'B' },
        "Value 'B' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        { Name: 'has space' },
        "Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        { Name: 'a'.repeat(33) },
        `Value '${'a'.repeat(33)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`,
      ],
    ]
    for (const [params, violation] of cases) {
      const r = await sts(g, 'GetFederationToken', params, alice)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message: `1 validation error detected: ${violation}`,
      })
    }
    const long = policy(
      'Allow',
      'iam:GetUser',
      `arn:aws:iam::${ACCOUNT_ID}:user/${'x'.repeat(2048)}`,
    )
    const r = await sts(g, 'GetFederationToken', { Name: 'Long', Policy: long }, alice)
    assert.equal(r.error?.code, 'ValidationError')
    assert.match(
      r.error?.message ?? '',
      /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/,
    )
  })

  it('needs sts:TagSession for session tags', async () => {
    const params = { Name: 'Tagged', 'Tags.member.1.Key': 'dept', 'Tags.member.1.Value': 'eng' }
    const r = await sts(g, 'GetFederationToken', params, alice)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: ${USER('alice')} is not authorized to perform: sts:TagSession on resource: ${FEDERATED('Tagged')} because no identity-based policy allows the sts:TagSession action`,
    })
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'tag',
      PolicyDocument: policy('Allow', 'sts:TagSession', '*'),
    })
    const allowed = await sts(g, 'GetFederationToken', params, alice)
    assert.equal(allowed.status, 200, allowed.body)
  })
})

describe('condition keys of temporary credentials', () => {
  let g: InProcess
  let alice: Credentials
  before(async () => {
    g = await startInProcess()
    alice = await createUserWithKey(g, 'alice')
    await g.call('CreateUser', { UserName: 'target' })
  })
  after(() => g.close())

  it('revokes sessions issued before a time with aws:TokenIssueTime', async () => {
    await createRole(
      g,
      { name: 'Revocable', assumeRolePolicyDocument: trustPolicy(USER('alice')) },
      {
        read: policy('Allow', 'iam:GetUser', '*'),
        // What the console's "Revoke active sessions" writes.
        revoke: policy('Deny', '*', '*', {
          DateLessThan: { 'aws:TokenIssueTime': '2026-03-15T12:00:01Z' },
        }),
      },
    )
    const r = await sts(
      g,
      'AssumeRole',
      { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Revocable`, RoleSessionName: 'old' },
      alice,
    )
    const credentials = credentialsOf(r, 'AssumeRole')
    const denied = await callWith(g, 'GetUser', { UserName: 'target' }, { key: credentials })
    assert.match(denied.error?.message ?? '', /with an explicit deny in an identity-based policy$/)
  })

  it('says aws:MultiFactorAuthPresent false for a session without MFA, and nothing for long-term keys', async () => {
    const noMfaStatement = {
      Effect: 'Deny',
      Action: 'iam:GetUser',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }
    const requireFalseStatement = {
      Effect: 'Deny',
      Action: 'iam:ListUserPolicies',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    }
    const noMfa = JSON.stringify({ Version: '2012-10-17', Statement: [noMfaStatement] })
    const requireFalse = JSON.stringify({
      Version: '2012-10-17',
      Statement: [requireFalseStatement],
    })
    await createRole(
      g,
      { name: 'Mfa', assumeRolePolicyDocument: trustPolicy(USER('alice')) },
      {
        read: policy('Allow', ['iam:GetUser', 'iam:ListUserPolicies'], '*'),
        noMfa,
        requireFalse,
      },
    )
    const credentials = credentialsOf(
      await sts(
        g,
        'AssumeRole',
        { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Mfa`, RoleSessionName: 'nomfa' },
        alice,
      ),
      'AssumeRole',
    )
    for (const action of ['GetUser', 'ListUserPolicies']) {
      const r = await callWith(g, action, { UserName: 'target' }, { key: credentials })
      assert.match(
        r.error?.message ?? '',
        /with an explicit deny in an identity-based policy$/,
        action,
      )
    }
    // A long-term key has no aws:MultiFactorAuthPresent: Bool does not match, BoolIfExists does.
    await g.call('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'same',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUserPolicies'], Resource: '*' },
          noMfaStatement,
          requireFalseStatement,
        ],
      }),
    })
    const longTermGet = await callWith(g, 'GetUser', { UserName: 'target' }, { key: alice })
    assert.equal(longTermGet.error?.code, 'AccessDenied')
    const longTermTags = await callWith(
      g,
      'ListUserPolicies',
      { UserName: 'target' },
      { key: alice },
    )
    assert.equal(longTermTags.status, 200, longTermTags.body)
  })
})
