/**
 * End to end with the real AWS SDK for JavaScript v3 and the real AWS CLI against `gatehouse
 * serve` on 127.0.0.1: GetAccountAuthorizationDetails returns what was created, users, groups,
 * roles and managed policies with their policies, boundaries, tags, instance profiles and
 * versions; the SDK's paginator and the CLI follow its Markers across the lists; the CLI prints
 * the policy documents decoded, as JSON. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListRolesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam'
import type {
  EntityType,
  GetAccountAuthorizationDetailsCommandOutput,
  RoleDetail,
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'
import { awsCliEnv, NO_AWS_CLI } from '../support/aws-cli.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

// The documents as put, with white space, a `+`, a `*`, an `é` and a space inside a value: the
// SDK hands them back URL-encoded, the CLI decoded into JSON.
const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"sts:ExternalId": "a+b* é"}}}]
}`
const allow = (action: string | string[], resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  })
const FENCE = allow(['s3:*', 'iam:*'])
const READER_V1 = allow('iam:Get*')
const READER_V2 = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a+b c"}}}]}`
const ADA_INLINE = `{ "Version": "2012-10-17", "Statement": { "Effect": "Deny", "Action": "iam:Delete*", "Resource": "*" } }`
const DEV_INLINE = allow('iam:ListUsers')
const ROLE_INLINE = allow('s3:GetObject', 'arn:aws:s3:::bucket/*')

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const DOCUMENTS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'])
const DATES = new Set(['CreateDate', 'UpdateDate'])

/**
 * A response as comparable JSON: dates as milliseconds (the SDK gives Dates, the CLI the wire's
 * text), policy documents as JSON (`decode` turns the SDK's URL-encoded text into it), and no
 * absent members.
 */
function comparable(value: unknown, decode: boolean, key = ''): Json {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'string' && DATES.has(key)) return Date.parse(value)
  if (typeof value === 'string' && decode && DOCUMENTS.has(key)) {
    return JSON.parse(decodeURIComponent(value)) as Json
  }
  if (Array.isArray(value)) return value.map((item) => comparable(item, decode))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = comparable(v, decode, k)
    }
    return out
  }
  return value as Json
}

/** The four lists of a response. */
function listsOf(out: Partial<GetAccountAuthorizationDetailsCommandOutput>): Json {
  return comparable(
    {
      UserDetailList: out.UserDetailList,
      GroupDetailList: out.GroupDetailList,
      RoleDetailList: out.RoleDetailList,
      Policies: out.Policies,
    },
    true,
  )
}

describe('the AWS SDK v3 and the AWS CLI against gatehouse serve: GetAccountAuthorizationDetails', () => {
  let server: ServerProcess
  let root: Key
  let outsider: Key
  let arn: string
  // What GetAccountAuthorizationDetails must return, filled in as the entities are created.
  const expected: Record<
    'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies',
    Json[]
  > = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] }
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  function aws(key: Key, ...args: string[]): { status: number | null; out: string; err: string } {
    const run = spawnSync('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: awsCliEnv(key),
      encoding: 'utf8',
      timeout: 60_000,
    })
    return { status: run.status, out: run.stdout, err: run.stderr }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    arn = `arn:aws:iam::${server.accountId}`
    const client = iam(root)
    const json = (document: string) => JSON.parse(document) as Json
    const ms = (date: Date | undefined) => date?.getTime() ?? 0

    const fence = (
      await client.send(new CreatePolicyCommand({ PolicyName: 'Fence', PolicyDocument: FENCE }))
    ).Policy
    const reader = (
      await client.send(
        new CreatePolicyCommand({
          PolicyName: 'Reader',
          Path: '/audit/',
          PolicyDocument: READER_V1,
          Description: 'Reads things',
        }),
      )
    ).Policy
    const v2 = (
      await client.send(
        new CreatePolicyVersionCommand({
          PolicyArn: `${arn}:policy/audit/Reader`,
          PolicyDocument: READER_V2,
          SetAsDefault: true,
        }),
      )
    ).PolicyVersion
    const readerAttached = { PolicyName: 'Reader', PolicyArn: `${arn}:policy/audit/Reader` }
    const boundary = {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: `${arn}:policy/Fence`,
    }

    const ada = (
      await client.send(
        new CreateUserCommand({
          UserName: 'ada',
          Path: '/eng/',
          PermissionsBoundary: `${arn}:policy/Fence`,
          Tags: [
            { Key: 'Team', Value: 'core' },
            { Key: 'Cost', Value: '42' },
          ],
        }),
      )
    ).User
    const bo = (await client.send(new CreateUserCommand({ UserName: 'bo' }))).User
    const out = (await client.send(new CreateUserCommand({ UserName: 'outsider' }))).User
    const created = await client.send(new CreateAccessKeyCommand({ UserName: 'outsider' }))
    outsider = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    const devs = (await client.send(new CreateGroupCommand({ GroupName: 'devs' }))).Group
    const app = (
      await client.send(
        new CreateRoleCommand({
          RoleName: 'app',
          Path: '/svc/',
          AssumeRolePolicyDocument: TRUST,
          Description: 'The app',
          PermissionsBoundary: `${arn}:policy/Fence`,
          Tags: [{ Key: 'Env', Value: 'prod' }],
        }),
      )
    ).Role
    const profile = (
      await client.send(
        new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile', Path: '/ip/' }),
      )
    ).InstanceProfile
    await client.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'app' }),
    )
    await client.send(
      new PutUserPolicyCommand({ UserName: 'ada', PolicyName: 'Own', PolicyDocument: ADA_INLINE }),
    )
    await client.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'ada' }))
    await client.send(
      new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: readerAttached.PolicyArn }),
    )
    await client.send(
      new PutGroupPolicyCommand({
        GroupName: 'devs',
        PolicyName: 'DevInline',
        PolicyDocument: DEV_INLINE,
      }),
    )
    await client.send(
      new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: readerAttached.PolicyArn }),
    )
    await client.send(
      new PutRolePolicyCommand({
        RoleName: 'app',
        PolicyName: 'RoleInline',
        PolicyDocument: ROLE_INLINE,
      }),
    )
    await client.send(
      new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: readerAttached.PolicyArn }),
    )

    const plainUser = (user: typeof bo, name: string, path = '/') => ({
      Path: path,
      UserName: name,
      UserId: user?.UserId ?? '',
      Arn: `${arn}:user${path}${name}`,
      CreateDate: ms(user?.CreateDate),
      UserPolicyList: [],
      GroupList: [],
      AttachedManagedPolicies: [],
    })
    expected.UserDetailList = [
      {
        ...plainUser(ada, 'ada', '/eng/'),
        UserPolicyList: [{ PolicyName: 'Own', PolicyDocument: json(ADA_INLINE) }],
        GroupList: ['devs'],
        AttachedManagedPolicies: [readerAttached],
        PermissionsBoundary: boundary,
        Tags: [
          { Key: 'Cost', Value: '42' },
          { Key: 'Team', Value: 'core' },
        ],
      },
      plainUser(bo, 'bo'),
      plainUser(out, 'outsider'),
    ]
    expected.GroupDetailList = [
      {
        Path: '/',
        GroupName: 'devs',
        GroupId: devs?.GroupId ?? '',
        Arn: `${arn}:group/devs`,
        CreateDate: ms(devs?.CreateDate),
        GroupPolicyList: [{ PolicyName: 'DevInline', PolicyDocument: json(DEV_INLINE) }],
        AttachedManagedPolicies: [readerAttached],
      },
    ]
    const appRole = {
      Path: '/svc/',
      RoleName: 'app',
      RoleId: app?.RoleId ?? '',
      Arn: `${arn}:role/svc/app`,
      CreateDate: ms(app?.CreateDate),
      AssumeRolePolicyDocument: json(TRUST),
    }
    expected.RoleDetailList = [
      {
        ...appRole,
        InstanceProfileList: [
          {
            Path: '/ip/',
            InstanceProfileName: 'app-profile',
            InstanceProfileId: profile?.InstanceProfileId ?? '',
            Arn: `${arn}:instance-profile/ip/app-profile`,
            CreateDate: ms(profile?.CreateDate),
            Roles: [{ ...appRole, Description: 'The app', MaxSessionDuration: 3600 }],
          },
        ],
        RolePolicyList: [{ PolicyName: 'RoleInline', PolicyDocument: json(ROLE_INLINE) }],
        AttachedManagedPolicies: [readerAttached],
        PermissionsBoundary: boundary,
        Tags: [{ Key: 'Env', Value: 'prod' }],
        // Never used: the SDK reads IAM's empty <RoleLastUsed/> as {}, and the CLI prints {}.
        RoleLastUsed: {},
      },
    ]
    expected.Policies = [
      {
        PolicyName: 'Fence',
        PolicyId: fence?.PolicyId ?? '',
        Arn: `${arn}:policy/Fence`,
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 2,
        IsAttachable: true,
        CreateDate: ms(fence?.CreateDate),
        UpdateDate: ms(fence?.CreateDate),
        PolicyVersionList: [
          {
            Document: json(FENCE),
            VersionId: 'v1',
            IsDefaultVersion: true,
            CreateDate: ms(fence?.CreateDate),
          },
        ],
      },
      {
        PolicyName: 'Reader',
        PolicyId: reader?.PolicyId ?? '',
        Arn: `${arn}:policy/audit/Reader`,
        Path: '/audit/',
        DefaultVersionId: 'v2',
        AttachmentCount: 3,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        Description: 'Reads things',
        CreateDate: ms(reader?.CreateDate),
        UpdateDate: ms(v2?.CreateDate),
        PolicyVersionList: [
          {
            Document: json(READER_V2),
            VersionId: 'v2',
            IsDefaultVersion: true,
            CreateDate: ms(v2?.CreateDate),
          },
          {
            Document: json(READER_V1),
            VersionId: 'v1',
            IsDefaultVersion: false,
            CreateDate: ms(reader?.CreateDate),
          },
        ],
      },
    ]
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('returns every user, group, role and policy with its details to the SDK', async () => {
    const got = await iam(root).send(new GetAccountAuthorizationDetailsCommand({}))
    assert.deepEqual(listsOf(got), expected)
    assert.equal(got.IsTruncated, false)
    assert.equal(got.Marker, undefined)
    // The SDK leaves the documents URL-encoded, RFC 3986's way: a space as %20, a + as %2B.
    const v2 = got.Policies?.[1]?.PolicyVersionList?.[0]?.Document ?? ''
    assert.equal(decodeURIComponent(v2), READER_V2)
    assert.match(v2, /%22a%2Bb%20c%22/)
  })

  it("follows the Markers across the lists with the SDK's paginator", async () => {
    const total = Object.values(expected).flat().length
    const pages: GetAccountAuthorizationDetailsCommandOutput[] = []
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client: iam(root), pageSize: 2 },
      {},
    )) {
      pages.push(page)
    }
    assert.equal(pages.length, Math.ceil(total / 2))
    const sizes = pages.map(
      (p) =>
        (p.UserDetailList?.length ?? 0) +
        (p.GroupDetailList?.length ?? 0) +
        (p.RoleDetailList?.length ?? 0) +
        (p.Policies?.length ?? 0),
    )
    assert.deepEqual(sizes, [2, 2, 2, 1])
    // The second page ends the users and starts the groups.
    assert.deepEqual([pages[1]?.UserDetailList?.length, pages[1]?.GroupDetailList?.length], [1, 1])
    assert.deepEqual(
      listsOf({
        UserDetailList: pages.flatMap((p) => p.UserDetailList ?? []),
        GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
        RoleDetailList: pages.flatMap((p) => p.RoleDetailList ?? []),
        Policies: pages.flatMap((p) => p.Policies ?? []),
      }),
      expected,
    )
    assert.equal(pages.at(-1)?.Marker, undefined)
  })

  it('pages a filtered listing with the SDK', async () => {
    const filter: EntityType[] = ['LocalManagedPolicy', 'Role']
    const pages: GetAccountAuthorizationDetailsCommandOutput[] = []
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client: iam(root), pageSize: 1 },
      { Filter: filter },
    )) {
      pages.push(page)
    }
    assert.equal(pages.length, 3)
    assert.deepEqual(
      listsOf({
        UserDetailList: pages.flatMap((p) => p.UserDetailList ?? []),
        GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
        RoleDetailList: pages.flatMap((p) => p.RoleDetailList ?? []),
        Policies: pages.flatMap((p) => p.Policies ?? []),
      }),
      { ...expected, UserDetailList: [], GroupDetailList: [] },
    )
  })

  it('denies the SDK call to a user without iam:GetAccountAuthorizationDetails', async () => {
    assert.deepEqual(
      await failure(iam(outsider).send(new GetAccountAuthorizationDetailsCommand({}))),
      {
        name: 'AccessDenied',
        message: `User: ${arn}:user/outsider is not authorized to perform: iam:GetAccountAuthorizationDetails because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
        status: 403,
      },
    )
  })

  it(
    'prints with the AWS CLI what was created, policy documents as JSON',
    { skip: NO_AWS_CLI },
    () => {
      const run = aws(root, 'iam', 'get-account-authorization-details')
      assert.equal(run.status, 0, run.err)
      assert.deepEqual(comparable(JSON.parse(run.out), false), expected)
    },
  )

  it('follows the Markers with the AWS CLI, filtered', { skip: NO_AWS_CLI }, () => {
    // --page-size 1: the CLI asks for one item a call and follows the Markers itself.
    const run = aws(
      root,
      'iam',
      'get-account-authorization-details',
      '--filter',
      'User',
      'Role',
      '--page-size',
      '1',
    )
    assert.equal(run.status, 0, run.err)
    assert.deepEqual(comparable(JSON.parse(run.out), false), {
      ...expected,
      GroupDetailList: [],
      Policies: [],
    })
  })

  it(
    'prints AccessDenied with the AWS CLI for a user without the permission',
    { skip: NO_AWS_CLI },
    () => {
      const run = aws(outsider, 'iam', 'get-account-authorization-details')
      assert.notEqual(run.status, 0)
      assert.equal(
        run.err.trim(),
        `An error occurred (AccessDenied) when calling the GetAccountAuthorizationDetails operation: User: ${arn}:user/outsider is not authorized to perform: iam:GetAccountAuthorizationDetails because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
      )
    },
  )

  // Last: it adds a user and a role, which the lists above do not have.
  it("shows a role's last use by a session in RoleLastUsed, to the SDK and the CLI", async () => {
    const client = iam(root)
    await client.send(new CreateUserCommand({ UserName: 'ops' }))
    const key = await client.send(new CreateAccessKeyCommand({ UserName: 'ops' }))
    const ops = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    }
    await client.send(
      new PutUserPolicyCommand({
        UserName: 'ops',
        PolicyName: 'Assume',
        PolicyDocument: allow('sts:AssumeRole'),
      }),
    )
    await client.send(
      new CreateRoleCommand({
        RoleName: 'deployer',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `${arn}:user/ops` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    )
    await client.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'List',
        PolicyDocument: allow('iam:ListRoles'),
      }),
    )
    const sts = new STSClient({
      endpoint: server.url,
      region: 'eu-west-1',
      credentials: ops,
      maxAttempts: 1,
    })
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `${arn}:role/deployer`, RoleSessionName: 'deploy' }),
    )
    const session: Key = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    }
    // The session's call: IAM is global, its attempts are in us-east-1.
    const from = Date.now()
    await iam(session).send(new ListRolesCommand({}))
    const to = Date.now()

    const got = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }))
    const roles = got.RoleDetailList ?? []
    assert.deepEqual(
      roles.map((role) => role.RoleName),
      ['app', 'deployer'],
    )
    const sdk = new Map(
      roles.map((role): [string, RoleDetail['RoleLastUsed']] => [
        role.RoleName ?? '',
        role.RoleLastUsed,
      ]),
    )
    assert.deepEqual(sdk.get('app'), {})
    const used = sdk.get('deployer')?.LastUsedDate
    assert.ok(used instanceof Date)
    assert.ok(from <= used.getTime() && used.getTime() <= to, `${used.toISOString()}`)
    assert.deepEqual(sdk.get('deployer'), { LastUsedDate: used, Region: 'us-east-1' })

    // The CLI's view of the same, where it is installed.
    if (NO_AWS_CLI !== false) return
    const run = aws(root, 'iam', 'get-account-authorization-details', '--filter', 'Role')
    assert.equal(run.status, 0, run.err)
    const printed = JSON.parse(run.out) as {
      RoleDetailList: { RoleName: string; RoleLastUsed: Record<string, string> }[]
    }
    const cli = new Map(
      printed.RoleDetailList.map((r): [string, Record<string, string>] => [
        r.RoleName,
        r.RoleLastUsed,
      ]),
    )
    assert.deepEqual(cli.get('app'), {})
    assert.equal(Date.parse(cli.get('deployer')?.['LastUsedDate'] ?? ''), used.getTime())
    assert.equal(cli.get('deployer')?.['Region'], 'us-east-1')
  })
})
