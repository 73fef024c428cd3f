/**
 * STS GetScopedCredentials end to end with the real AWS SDK for JavaScript v3
 * (@aws-sdk/client-sts's GetScopedCredentialsCommand; botocore, and so the AWS CLI v1, does not
 * know the operation yet) against the real app on 127.0.0.1 (test/support/clock-server.ts): the
 * identity kept, the intersection of permissions and how a recursive call narrows it, a deny in a
 * scope-down policy, the duration against the session's lifetime, the errors AWS models for the
 * operation as the SDK reads them, and scoped credentials outlived.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  CreateRoleCommand,
  CreateUserCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetScopedCredentialsCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts'
import { createUserKey, iamClient, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'
import { startClockServer } from '../support/clock-server.js'
import type { ClockServer } from '../support/clock-server.js'

function document(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements })
}

const allow = (action: string | string[]) => ({ Effect: 'Allow', Action: action, Resource: '*' })

describe('STS GetScopedCredentials with the AWS SDK for JavaScript v3 against the real app', () => {
  let server: ClockServer
  let account: string
  let alice: SdkKey
  let roleId: string
  const iam = (key: SdkKey) => iamClient(server, key)
  const sts = (key: SdkKey) => stsClient(server, key, { region: 'eu-west-1' })
  const sessionArn = (name: string) => `arn:aws:sts::${account}:assumed-role/Agent/${name}`
  const denied = (name: string, action: string, why: string) => ({
    name: 'AccessDenied',
    message: `User: ${sessionArn(name)} is not authorized to perform: ${action} ${why}`,
    status: 403,
  })
  const listed = (type: string, action: string, why: string) =>
    `on resource: arn:aws:iam::${account}:${type}/ because ${why} the ${action} action`

  /** A session of the Agent role, an hour long unless told otherwise. */
  async function agent(name: string, durationSeconds?: number): Promise<SdkKey> {
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/Agent`,
        RoleSessionName: name,
        ...(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
      }),
    )
    return sessionKeyOf(assumed.Credentials ?? {})
  }

  before(async () => {
    server = await startClockServer()
    account = server.accountId
    const root = iam(server.root)
    alice = await createUserKey(
      root,
      'alice',
      document(
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: `arn:aws:iam::${account}:role/Agent`,
        },
        allow('sts:GetScopedCredentials'),
      ),
      'agent',
    )
    const created = await root.send(
      new CreateRoleCommand({
        RoleName: 'Agent',
        AssumeRolePolicyDocument: document({
          Effect: 'Allow',
          Principal: { AWS: account },
          Action: 'sts:AssumeRole',
        }),
      }),
    )
    roleId = created.Role?.RoleId ?? ''
    await root.send(
      new PutRolePolicyCommand({
        RoleName: 'Agent',
        PolicyName: 'work',
        PolicyDocument: document(
          allow(['iam:ListUsers', 'iam:ListRoles', 'iam:GetUser', 'sts:GetScopedCredentials']),
        ),
      }),
    )
  })
  after(async () => {
    await server.stop()
  })

  it('keeps the identity: the same ARN and session id', async () => {
    const session = await agent('run-1')
    const scoped = await sts(session).send(
      new GetScopedCredentialsCommand({
        Policy: document(allow('iam:ListUsers')),
        ScopedSessionDescription: 'sub-agent: list users',
      }),
    )
    assert.equal(scoped.SessionInfo?.Arn, sessionArn('run-1'))
    assert.equal(scoped.SessionInfo?.ScopedSessionId, `${roleId}:run-1`)
    assert.equal(scoped.ScopedPoliciesCount, 1)
    assert.equal(scoped.SourceIdentity, undefined)
    assert.match(scoped.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/)
    assert.equal(scoped.SessionTokenSize, scoped.Credentials?.SessionToken?.length)
    assert.ok((scoped.SessionTokenUtilization ?? 0) > 0)
    const child = sessionKeyOf(scoped.Credentials ?? {})
    assert.notEqual(child.accessKeyId, session.accessKeyId)

    const parent = await sts(session).send(new GetCallerIdentityCommand({}))
    const identity = await sts(child).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, sessionArn('run-1'))
    assert.equal(identity.Arn, parent.Arn)
    assert.equal(identity.UserId, parent.UserId)
    assert.equal(identity.Account, account)
  })

  it('allows only the intersection of the session and the scope-down policy', async () => {
    const scoped = await sts(await agent('run-2')).send(
      new GetScopedCredentialsCommand({
        Policy: document(allow(['iam:ListUsers', 'iam:CreateUser'])),
      }),
    )
    const child = sessionKeyOf(scoped.Credentials ?? {})
    const users = await iam(child).send(new ListUsersCommand({}))
    assert.deepEqual(
      users.Users?.map((u) => u.UserName),
      ['alice'],
    )
    assert.deepEqual(
      await failure(iam(child).send(new ListRolesCommand({}))),
      denied('run-2', 'iam:ListRoles', listed('role', 'iam:ListRoles', 'no session policy allows')),
    )
    assert.deepEqual(
      await failure(iam(child).send(new CreateUserCommand({ UserName: 'mallory' }))),
      denied(
        'run-2',
        'iam:CreateUser',
        `on resource: arn:aws:iam::${account}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
      ),
    )
  })

  it('narrows further with a recursive call, and never widens', async () => {
    const first = sessionKeyOf(
      (
        await sts(await agent('run-3')).send(
          new GetScopedCredentialsCommand({
            Policy: document(allow(['iam:ListUsers', 'sts:GetScopedCredentials'])),
          }),
        )
      ).Credentials ?? {},
    )
    const second = await sts(first).send(
      new GetScopedCredentialsCommand({
        Policy: document(allow(['iam:ListUsers', 'iam:ListRoles'])),
      }),
    )
    assert.equal(second.ScopedPoliciesCount, 2)
    const child = sessionKeyOf(second.Credentials ?? {})
    await iam(child).send(new ListUsersCommand({}))
    // The second policy allows ListRoles, the first does not: the chain keeps both.
    assert.deepEqual(
      await failure(iam(child).send(new ListRolesCommand({}))),
      denied('run-3', 'iam:ListRoles', listed('role', 'iam:ListRoles', 'no session policy allows')),
    )
    // Calling again needs sts:GetScopedCredentials in every policy of the chain.
    assert.deepEqual(
      await failure(sts(child).send(new GetScopedCredentialsCommand({ DurationSeconds: 60 }))),
      denied(
        'run-3',
        'sts:GetScopedCredentials',
        'because no session policy allows the sts:GetScopedCredentials action',
      ),
    )
  })

  it('lets a Deny in a scope-down policy win', async () => {
    const scoped = await sts(await agent('run-4')).send(
      new GetScopedCredentialsCommand({
        Policy: document(allow('*'), { Effect: 'Deny', Action: 'iam:ListRoles', Resource: '*' }),
      }),
    )
    const child = sessionKeyOf(scoped.Credentials ?? {})
    await iam(child).send(new ListUsersCommand({}))
    assert.deepEqual(
      await failure(iam(child).send(new ListRolesCommand({}))),
      denied(
        'run-4',
        'iam:ListRoles',
        `on resource: arn:aws:iam::${account}:role/ with an explicit deny in a session policy`,
      ),
    )
  })

  it('refuses long-term keys; takes a GetSessionToken session of the user', async () => {
    for (const key of [alice, server.root]) {
      assert.deepEqual(
        await failure(sts(key).send(new GetScopedCredentialsCommand({ DurationSeconds: 900 }))),
        {
          name: 'InvalidSubjectCredentialsException',
          message: 'GetScopedCredentials must be called with temporary security credentials.',
          status: 400,
        },
      )
    }
    const token = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
    const scoped = await sts(sessionKeyOf(token.Credentials ?? {})).send(
      new GetScopedCredentialsCommand({ DurationSeconds: 300 }),
    )
    assert.equal(scoped.SessionInfo?.Arn, `arn:aws:iam::${account}:user/alice`)
    const identity = await sts(sessionKeyOf(scoped.Credentials ?? {})).send(
      new GetCallerIdentityCommand({}),
    )
    assert.equal(identity.Arn, `arn:aws:iam::${account}:user/alice`)
  })

  it("inherits the session's expiration, and refuses a longer duration", async () => {
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/Agent`,
        RoleSessionName: 'run-5',
        DurationSeconds: 900,
      }),
    )
    const session = sessionKeyOf(assumed.Credentials ?? {})
    const expiration = assumed.Credentials?.Expiration
    assert.ok(expiration instanceof Date)
    const inherited = await sts(session).send(
      new GetScopedCredentialsCommand({ Policy: document(allow('iam:ListUsers')) }),
    )
    assert.equal(inherited.Credentials?.Expiration?.getTime(), expiration.getTime())
    const shorter = await sts(session).send(
      new GetScopedCredentialsCommand({ DurationSeconds: 60 }),
    )
    const shorterExpiration = shorter.Credentials?.Expiration?.getTime() ?? Infinity
    assert.ok(shorterExpiration < expiration.getTime())
    assert.ok(shorterExpiration <= (await server.advance(0)).getTime() + 60_000)

    const tooLong = await failure(
      sts(session).send(new GetScopedCredentialsCommand({ DurationSeconds: 901 })),
    )
    assert.equal(tooLong.name, 'InsufficientSessionLifetimeException')
    assert.equal(tooLong.status, 400)
    assert.match(
      tooLong.message,
      /^The requested DurationSeconds \(901\) exceeds the remaining lifetime of the calling session \(\d+ seconds\)\.$/,
    )
    assert.deepEqual(
      await failure(sts(session).send(new GetScopedCredentialsCommand({ DurationSeconds: 0 }))),
      {
        name: 'ValidationError',
        message:
          "1 validation error detected: Value '0' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1",
        status: 400,
      },
    )
    assert.deepEqual(await failure(sts(session).send(new GetScopedCredentialsCommand({}))), {
      name: 'ValidationError',
      message: 'A request must provide at least one of Policy or DurationSeconds.',
      status: 400,
    })
  })

  it('answers bad policies with MalformedPolicyDocument and PackedPolicyTooLarge', async () => {
    const session = await agent('run-6')
    assert.deepEqual(
      await failure(
        sts(session).send(new GetScopedCredentialsCommand({ Policy: '{"Version": "2012-10-17"' })),
      ),
      {
        name: 'MalformedPolicyDocumentException',
        message: 'Syntax errors in policy.',
        status: 400,
      },
    )
    // A session whose tags fill most of the token's room has none left for a large policy.
    const tags = Array.from({ length: 24 }, (_, i) => ({ Key: `k${i}`, Value: randomText(180) }))
    await iam(server.root).send(
      new PutUserPolicyCommand({
        UserName: 'alice',
        PolicyName: 'tag',
        PolicyDocument: document({
          Effect: 'Allow',
          Action: 'sts:TagSession',
          Resource: `arn:aws:iam::${account}:role/Agent`,
        }),
      }),
    )
    await iam(server.root).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Agent',
        PolicyDocument: document({
          Effect: 'Allow',
          Principal: { AWS: account },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }),
      }),
    )
    const tagged = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/Agent`,
        RoleSessionName: 'run-7',
        Tags: tags,
      }),
    )
    assert.ok((tagged.PackedPolicySize ?? 0) >= 60 && (tagged.PackedPolicySize ?? 0) <= 95)
    const resources: string[] = []
    while (JSON.stringify(resources).length < 1900) resources.push(`arn:aws:s3:::${randomText(40)}`)
    const large = await failure(
      sts(sessionKeyOf(tagged.Credentials ?? {})).send(
        new GetScopedCredentialsCommand({
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }],
          }),
        }),
      ),
    )
    assert.equal(large.name, 'PackedPolicyTooLargeException')
    assert.equal(large.status, 400)
    assert.match(
      large.message,
      /^Packed policy consumes 1\d\d% of allotted space, please use smaller policy\.$/,
    )
  })

  // Last: the server's clock moves forward.
  it('answers ExpiredToken once scoped credentials are outlived, while the session goes on', async () => {
    const session = await agent('run-8')
    const scoped = await sts(session).send(new GetScopedCredentialsCommand({ DurationSeconds: 30 }))
    const child = sessionKeyOf(scoped.Credentials ?? {})
    await sts(child).send(new GetCallerIdentityCommand({}))
    // Within SigV4's five minutes of skew: the SDK's signatures still hold.
    await server.advance(31)
    assert.deepEqual(await failure(sts(child).send(new GetCallerIdentityCommand({}))), {
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      status: 403,
    })
    const identity = await sts(session).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, sessionArn('run-8'))
  })
})

/** Random letters and digits: text that deflate cannot shrink much. */
function randomText(length: number): string {
  let text = ''
  while (text.length < length) {
    text += randomBytes(length)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
  }
  return text.slice(0, length)
}
