/**
 * STS end to end with the real AWS SDK for JavaScript v3 (@aws-sdk/client-sts and client-iam)
 * against the real app on 127.0.0.1 (test/support/clock-server.ts: a real SQLite file, and a
 * clock the test moves): AssumeRole and IAM calls with the session's credentials,
 * GetCallerIdentity for each kind of caller, GetSessionToken, GetFederationToken, a deleted
 * role's sessions, and credentials outlived.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts'
import { createUserKey, iamClient, sessionKeyOf, stsClient } from '../support/sdk-clients.js'
import type { SdkKey } from '../support/sdk-clients.js'
import { failure } from '../support/sdk-failure.js'
import { startClockServer } from '../support/clock-server.js'
import type { ClockServer } from '../support/clock-server.js'

const INVALID_TOKEN = {
  name: 'InvalidClientTokenId',
  message: 'The security token included in the request is invalid.',
  status: 403,
}

describe('STS with the AWS SDK for JavaScript v3 against the real app', () => {
  let server: ClockServer
  let account: string
  let alice: SdkKey
  let roleId: string
  const iam = (key: SdkKey) => iamClient(server, key)
  const sts = (key: SdkKey) => stsClient(server, key, { region: 'eu-west-1' })
  const roleArn = () => `arn:aws:iam::${account}:role/app/Deployer`

  before(async () => {
    server = await startClockServer()
    account = server.accountId
    const root = iam(server.root)
    alice = await createUserKey(
      root,
      'alice',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: `arn:aws:iam::${account}:role/app/*`,
          },
          {
            Effect: 'Allow',
            Action: 'sts:GetFederationToken',
            Resource: `arn:aws:sts::${account}:federated-user/*`,
          },
        ],
      }),
      'limited',
    )
    const created = await root.send(
      new CreateRoleCommand({
        RoleName: 'Deployer',
        Path: '/app/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    roleId = created.Role?.RoleId ?? ''
    await root.send(
      new PutRolePolicyCommand({
        RoleName: 'Deployer',
        PolicyName: 'read-users',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' }],
        }),
      }),
    )
  })
  after(async () => {
    await server.stop()
  })

  it('assumes a role, then calls IAM with the session as the role allows', async () => {
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({ RoleArn: roleArn(), RoleSessionName: 'deploy-1' }),
    )
    assert.equal(
      assumed.AssumedRoleUser?.Arn,
      `arn:aws:sts::${account}:assumed-role/Deployer/deploy-1`,
    )
    assert.equal(assumed.AssumedRoleUser?.AssumedRoleId, `${roleId}:deploy-1`)
    assert.match(assumed.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/)
    assert.ok(assumed.Credentials?.Expiration instanceof Date)
    assert.equal(assumed.PackedPolicySize, undefined)
    const session = sessionKeyOf(assumed.Credentials ?? {})

    const users = await iam(session).send(new ListUsersCommand({}))
    assert.deepEqual(
      users.Users?.map((u) => u.UserName),
      ['alice'],
    )
    const denied = await failure(iam(session).send(new CreateUserCommand({ UserName: 'mallory' })))
    assert.deepEqual(denied, {
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${account}:assumed-role/Deployer/deploy-1 is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/mallory because no identity-based policy allows the iam:CreateUser action`,
      status: 403,
    })
  })

  it('answers GetCallerIdentity as the role session', async () => {
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({ RoleArn: roleArn(), RoleSessionName: 'whoami' }),
    )
    const identity = await sts(sessionKeyOf(assumed.Credentials ?? {})).send(
      new GetCallerIdentityCommand({}),
    )
    assert.equal(identity.Arn, `arn:aws:sts::${account}:assumed-role/Deployer/whoami`)
    assert.equal(identity.UserId, `${roleId}:whoami`)
    assert.equal(identity.Account, account)
  })

  it('denies AssumeRole with the exact message when no policy allows it', async () => {
    const root = iam(server.root)
    await root.send(
      new CreateRoleCommand({
        RoleName: 'Elsewhere',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    const arn = `arn:aws:iam::${account}:role/Elsewhere`
    const denied = await failure(
      sts(alice).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'nope' })),
    )
    assert.deepEqual(denied, {
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${account}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${arn} because no identity-based policy allows the sts:AssumeRole action`,
      status: 403,
    })
  })

  it('gives GetSessionToken credentials that are the user, and that IAM refuses without MFA', async () => {
    const token = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
    const session = sessionKeyOf(token.Credentials ?? {})
    const identity = await sts(session).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, `arn:aws:iam::${account}:user/alice`)
    const refused = await failure(iam(session).send(new GetUserCommand({ UserName: 'alice' })))
    assert.deepEqual(refused, INVALID_TOKEN)
    const chained = await sts(session).send(
      new AssumeRoleCommand({ RoleArn: roleArn(), RoleSessionName: 'from-session-token' }),
    )
    assert.ok(chained.Credentials?.SessionToken)
    const again = await failure(sts(session).send(new GetSessionTokenCommand({})))
    assert.deepEqual(again, {
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
      status: 403,
    })
  })

  it('gives GetFederationToken credentials for a federated user', async () => {
    const federation = await sts(alice)
      .send(
        new GetFederationTokenCommand({
          Name: 'Bob',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
          }),
          Tags: [{ Key: 'dept', Value: 'eng' }],
        }),
      )
      .catch((err: unknown) => err)
    // Session tags need sts:TagSession, which alice's policy does not give.
    assert.ok(federation instanceof Error)
    assert.equal(federation.name, 'AccessDenied')

    const granted = await sts(alice).send(new GetFederationTokenCommand({ Name: 'Bob' }))
    assert.equal(granted.FederatedUser?.Arn, `arn:aws:sts::${account}:federated-user/Bob`)
    assert.equal(granted.FederatedUser?.FederatedUserId, `${account}:Bob`)
    const federated = sessionKeyOf(granted.Credentials ?? {})
    const identity = await sts(federated).send(new GetCallerIdentityCommand({}))
    assert.equal(identity.Arn, `arn:aws:sts::${account}:federated-user/Bob`)
    assert.equal(identity.UserId, `${account}:Bob`)
    assert.deepEqual(await failure(iam(federated).send(new ListUsersCommand({}))), INVALID_TOKEN)
  })

  it('ends the sessions of a deleted role', async () => {
    const root = iam(server.root)
    await root.send(
      new CreateRoleCommand({
        RoleName: 'ShortLived',
        Path: '/app/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    await root.send(
      new PutRolePolicyCommand({
        RoleName: 'ShortLived',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
        }),
      }),
    )
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/app/ShortLived`,
        RoleSessionName: 'brief',
      }),
    )
    const session = sessionKeyOf(assumed.Credentials ?? {})
    await iam(session).send(new GetUserCommand({ UserName: 'alice' }))
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'ShortLived', PolicyName: 'p' }))
    await root.send(new DeleteRoleCommand({ RoleName: 'ShortLived' }))
    assert.deepEqual(
      await failure(iam(session).send(new GetUserCommand({ UserName: 'alice' }))),
      INVALID_TOKEN,
    )
    // The role that remains is untouched.
    const role = await root.send(new GetRoleCommand({ RoleName: 'Deployer' }))
    assert.equal(role.Role?.RoleId, roleId)
  })

  it('answers ExpiredToken once the credentials are outlived', async () => {
    const assumed = await sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: roleArn(),
        RoleSessionName: 'short',
        DurationSeconds: 900,
      }),
    )
    const expiration = assumed.Credentials?.Expiration
    assert.ok(expiration instanceof Date)
    const session = sessionKeyOf(assumed.Credentials ?? {})
    const client = sts(session)
    const before = await client.send(new GetCallerIdentityCommand({}))
    assert.equal(before.Arn, `arn:aws:sts::${account}:assumed-role/Deployer/short`)

    const now = await server.advance(901)
    assert.ok(now.getTime() > expiration.getTime())
    // The SDK still signs with its own clock: the token's expiry is what the server reports.
    assert.deepEqual(await failure(client.send(new GetCallerIdentityCommand({}))), {
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      status: 403,
    })
    assert.deepEqual(await failure(iam(session).send(new ListUsersCommand({}))), {
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      status: 403,
    })
    // Long-term credentials go on working: the SDK, told of its clock skew, reads the server's
    // Date header and signs again.
    const corrected = (key: SdkKey) =>
      stsClient(server, key, { region: 'eu-west-1', maxAttempts: 2 })
    const fresh = await corrected(alice).send(
      new AssumeRoleCommand({ RoleArn: roleArn(), RoleSessionName: 'fresh' }),
    )
    const identity = await corrected(sessionKeyOf(fresh.Credentials ?? {})).send(
      new GetCallerIdentityCommand({}),
    )
    assert.equal(identity.Arn, `arn:aws:sts::${account}:assumed-role/Deployer/fresh`)
  })
})
