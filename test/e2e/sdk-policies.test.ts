/**
 * Customer managed policies end to end with the real AWS SDK for JavaScript v3 against
 * `gatehouse serve` on 127.0.0.1: every managed-policy, version, attachment and policy-tag
 * operation and GetAccountSummary, AWS's errors as the SDK's exceptions, and a user whose
 * permissions follow the attached policy's default version. Groups and roles are made with
 * CreateGroup and CreateRole, another family's operations: those tests need them registered.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListUsersCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  paginateListPolicies,
} from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

function document(effect: 'Allow' | 'Deny', actions: string | string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Action: actions, Resource: '*' }],
  })
}

describe('managed policies with the AWS SDK for JavaScript v3 against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let account: string
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })
  const policyArn = (path: string, name: string) => `arn:aws:iam::${account}:policy${path}${name}`

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    account = server.accountId
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('creates, reads, lists and deletes a policy', async () => {
    const created = await iam(root).send(
      new CreatePolicyCommand({
        PolicyName: 'SdkPolicy',
        Path: '/sdk/',
        PolicyDocument: document('Allow', 's3:GetObject'),
        Description: 'made by the SDK',
        Tags: [{ Key: 'Team', Value: 'Platform' }],
      }),
    )
    assert.equal(created.Policy?.Arn, policyArn('/sdk/', 'SdkPolicy'))
    assert.equal(created.Policy?.DefaultVersionId, 'v1')
    assert.equal(created.Policy?.IsAttachable, true)
    assert.equal(created.Policy?.AttachmentCount, 0)
    assert.ok(created.Policy?.CreateDate instanceof Date)
    assert.match(created.Policy?.PolicyId ?? '', /^ANPA/)
    assert.deepEqual(created.Policy?.Tags, [{ Key: 'Team', Value: 'Platform' }])

    const got = await iam(root).send(new GetPolicyCommand({ PolicyArn: created.Policy?.Arn }))
    assert.equal(got.Policy?.Description, 'made by the SDK')
    assert.equal(got.Policy?.PermissionsBoundaryUsageCount, 0)
    assert.ok(got.Policy?.UpdateDate instanceof Date)

    const local = await iam(root).send(new ListPoliciesCommand({ Scope: 'Local' }))
    assert.deepEqual(
      local.Policies?.map((p) => p.PolicyName),
      ['SdkPolicy'],
    )
    assert.equal(local.IsTruncated, false)
    assert.equal(local.Policies?.[0]?.Description, undefined)
    const aws = await iam(root).send(new ListPoliciesCommand({ Scope: 'AWS' }))
    assert.deepEqual(aws.Policies, [])
    const attached = await iam(root).send(new ListPoliciesCommand({ OnlyAttached: true }))
    assert.deepEqual(attached.Policies, [])

    const duplicate = await failure(
      iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'sdkpolicy',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      ),
    )
    assert.deepEqual(duplicate, {
      name: 'EntityAlreadyExistsException',
      message: 'A policy called sdkpolicy already exists. Duplicate names are not allowed.',
      status: 409,
    })
    const malformed = await failure(
      iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'NoVersion',
          PolicyDocument: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          }),
        }),
      ),
    )
    assert.deepEqual(malformed, {
      name: 'MalformedPolicyDocumentException',
      message: 'Policy document must be version 2012-10-17 or greater.',
      status: 400,
    })

    await iam(root).send(new DeletePolicyCommand({ PolicyArn: created.Policy?.Arn }))
    const gone = await failure(
      iam(root).send(new GetPolicyCommand({ PolicyArn: policyArn('/sdk/', 'SdkPolicy') })),
    )
    assert.deepEqual(gone, {
      name: 'NoSuchEntityException',
      message: `Policy ${policyArn('/sdk/', 'SdkPolicy')} was not found.`,
      status: 404,
    })
    const invalid = await failure(
      iam(root).send(new GetPolicyCommand({ PolicyArn: 'not-an-arn-of-a-policy' })),
    )
    assert.deepEqual(invalid, {
      name: 'InvalidInputException',
      message: 'ARN not-an-arn-of-a-policy is not valid.',
      status: 400,
    })
  })

  it('pages ListPolicies with the SDK paginator', async () => {
    for (let i = 0; i < 7; i++) {
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: `Paged${i}`,
          Path: '/paged/',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    }
    const names: string[] = []
    let pages = 0
    for await (const page of paginateListPolicies(
      { client: iam(root), pageSize: 3 },
      { PathPrefix: '/paged/' },
    )) {
      pages++
      names.push(...(page.Policies ?? []).map((p) => p.PolicyName ?? ''))
    }
    assert.equal(pages, 3)
    assert.deepEqual(names, ['Paged0', 'Paged1', 'Paged2', 'Paged3', 'Paged4', 'Paged5', 'Paged6'])
  })

  it('creates, reads, lists, deletes and switches versions', async () => {
    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'Versions',
          PolicyDocument: document('Allow', 's3:GetObject'),
        }),
      )
    ).Policy?.Arn
    const v2 = await iam(root).send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: document('Allow', ['s3:GetObject', 's3:PutObject']),
        SetAsDefault: true,
      }),
    )
    assert.equal(v2.PolicyVersion?.VersionId, 'v2')
    assert.equal(v2.PolicyVersion?.IsDefaultVersion, true)
    assert.equal(v2.PolicyVersion?.Document, undefined)

    const got = await iam(root).send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }),
    )
    // SDK v3 does not decode policy documents: it hands over IAM's RFC 3986 encoding.
    assert.equal(
      decodeURIComponent(got.PolicyVersion?.Document ?? ''),
      document('Allow', ['s3:GetObject', 's3:PutObject']),
    )
    const listed = await iam(root).send(new ListPolicyVersionsCommand({ PolicyArn: arn }))
    assert.deepEqual(
      listed.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]),
      [
        ['v2', true],
        ['v1', false],
      ],
    )

    await iam(root).send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))
    const policy = await iam(root).send(new GetPolicyCommand({ PolicyArn: arn }))
    assert.equal(policy.Policy?.DefaultVersionId, 'v1')

    const conflict = await failure(
      iam(root).send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })),
    )
    assert.deepEqual(conflict, {
      name: 'DeleteConflictException',
      message: 'Cannot delete the default version of a policy.',
      status: 409,
    })
    const notDeletable = await failure(iam(root).send(new DeletePolicyCommand({ PolicyArn: arn })))
    assert.equal(notDeletable.name, 'DeleteConflictException')
    await iam(root).send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))

    for (let i = 0; i < 4; i++) {
      await iam(root).send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    }
    const limit = await failure(
      iam(root).send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: document('Allow', 's3:*'),
        }),
      ),
    )
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message:
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      status: 409,
    })
    const missing = await failure(
      iam(root).send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })),
    )
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: `Policy ${arn} version v2 does not exist or is not attachable.`,
      status: 404,
    })
  })

  it('tags, lists tags of and untags a policy', async () => {
    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({ PolicyName: 'Tags', PolicyDocument: document('Allow', 's3:*') }),
      )
    ).Policy?.Arn
    await iam(root).send(
      new TagPolicyCommand({
        PolicyArn: arn,
        Tags: [
          { Key: 'b', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      }),
    )
    const listed = await iam(root).send(new ListPolicyTagsCommand({ PolicyArn: arn }))
    assert.deepEqual(listed.Tags, [
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '1' },
    ])
    assert.equal(listed.IsTruncated, false)
    await iam(root).send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['a', 'b'] }))
    const empty = await iam(root).send(new ListPolicyTagsCommand({ PolicyArn: arn }))
    assert.deepEqual(empty.Tags, [])
    const duplicate = await failure(
      iam(root).send(
        new TagPolicyCommand({
          PolicyArn: arn,
          Tags: [
            { Key: 'k', Value: '1' },
            { Key: 'k', Value: '2' },
          ],
        }),
      ),
    )
    assert.deepEqual(duplicate, {
      name: 'InvalidInputException',
      message: 'Duplicate tag keys found.',
      status: 400,
    })
  })

  it('attaches to a user, lists it both ways, and detaches', async () => {
    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'ForUsers',
          Path: '/attach/',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    ).Policy?.Arn
    await iam(root).send(new CreateUserCommand({ UserName: 'attached-user', Path: '/people/' }))
    await iam(root).send(new AttachUserPolicyCommand({ UserName: 'attached-user', PolicyArn: arn }))
    const listed = await iam(root).send(
      new ListAttachedUserPoliciesCommand({ UserName: 'attached-user' }),
    )
    assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'ForUsers', PolicyArn: arn }])
    const filtered = await iam(root).send(
      new ListAttachedUserPoliciesCommand({ UserName: 'attached-user', PathPrefix: '/other/' }),
    )
    assert.deepEqual(filtered.AttachedPolicies, [])
    const entities = await iam(root).send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }))
    assert.deepEqual(
      entities.PolicyUsers?.map((u) => u.UserName),
      ['attached-user'],
    )
    assert.deepEqual(entities.PolicyGroups, [])
    assert.deepEqual(entities.PolicyRoles, [])
    const policy = await iam(root).send(new GetPolicyCommand({ PolicyArn: arn }))
    assert.equal(policy.Policy?.AttachmentCount, 1)

    await iam(root).send(new DetachUserPolicyCommand({ UserName: 'attached-user', PolicyArn: arn }))
    const again = await failure(
      iam(root).send(new DetachUserPolicyCommand({ UserName: 'attached-user', PolicyArn: arn })),
    )
    assert.deepEqual(again, {
      name: 'NoSuchEntityException',
      message: `Policy ${arn} was not found.`,
      status: 404,
    })
    const missing = await failure(
      iam(root).send(
        new AttachUserPolicyCommand({
          UserName: 'attached-user',
          PolicyArn: policyArn('/', 'Missing'),
        }),
      ),
    )
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: `Policy ${policyArn('/', 'Missing')} does not exist or is not attachable.`,
      status: 404,
    })
  })

  it('refuses an eleventh policy on a user with LimitExceeded', async () => {
    await iam(root).send(new CreateUserCommand({ UserName: 'full-user' }))
    for (let i = 0; i < 11; i++) {
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: `Quota${i}`,
          Path: '/quota/',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    }
    for (let i = 0; i < 10; i++) {
      await iam(root).send(
        new AttachUserPolicyCommand({
          UserName: 'full-user',
          PolicyArn: policyArn('/quota/', `Quota${i}`),
        }),
      )
    }
    const limit = await failure(
      iam(root).send(
        new AttachUserPolicyCommand({
          UserName: 'full-user',
          PolicyArn: policyArn('/quota/', 'Quota10'),
        }),
      ),
    )
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for PoliciesPerUser: 10',
      status: 409,
    })
  })

  it('attaches to a group, lists it both ways, and detaches', async () => {
    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'ForGroups',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    ).Policy?.Arn
    await iam(root).send(new CreateGroupCommand({ GroupName: 'sdk-group' }))
    await iam(root).send(new AttachGroupPolicyCommand({ GroupName: 'sdk-group', PolicyArn: arn }))
    const listed = await iam(root).send(
      new ListAttachedGroupPoliciesCommand({ GroupName: 'sdk-group' }),
    )
    assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'ForGroups', PolicyArn: arn }])
    const entities = await iam(root).send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Group' }),
    )
    assert.deepEqual(
      entities.PolicyGroups?.map((g) => g.GroupName),
      ['sdk-group'],
    )
    await iam(root).send(new DetachGroupPolicyCommand({ GroupName: 'sdk-group', PolicyArn: arn }))
    const after = await iam(root).send(
      new ListAttachedGroupPoliciesCommand({ GroupName: 'sdk-group' }),
    )
    assert.deepEqual(after.AttachedPolicies, [])
    const noGroup = await failure(
      iam(root).send(new AttachGroupPolicyCommand({ GroupName: 'no-such-group', PolicyArn: arn })),
    )
    assert.deepEqual(noGroup, {
      name: 'NoSuchEntityException',
      message: 'The group with name no-such-group cannot be found.',
      status: 404,
    })
  })

  it('attaches to a role, lists it both ways, and detaches', async () => {
    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'ForRoles',
          PolicyDocument: document('Allow', 's3:*'),
        }),
      )
    ).Policy?.Arn
    await iam(root).send(
      new CreateRoleCommand({
        RoleName: 'sdk-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ec2.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    )
    await iam(root).send(new AttachRolePolicyCommand({ RoleName: 'sdk-role', PolicyArn: arn }))
    const listed = await iam(root).send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'sdk-role' }),
    )
    assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'ForRoles', PolicyArn: arn }])
    const entities = await iam(root).send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Role' }),
    )
    assert.deepEqual(
      entities.PolicyRoles?.map((r) => r.RoleName),
      ['sdk-role'],
    )
    assert.match(entities.PolicyRoles?.[0]?.RoleId ?? '', /^AROA/)
    await iam(root).send(new DetachRolePolicyCommand({ RoleName: 'sdk-role', PolicyArn: arn }))
    const after = await iam(root).send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'sdk-role' }),
    )
    assert.deepEqual(after.AttachedPolicies, [])
  })

  it('summarizes the account', async () => {
    const summary = await iam(root).send(new GetAccountSummaryCommand({}))
    const map = summary.SummaryMap ?? {}
    assert.equal(Object.keys(map).length, 34)
    assert.equal(map['PoliciesQuota'], 1500)
    assert.equal(map['VersionsPerPolicyQuota'], 5)
    assert.equal(map['PolicySizeQuota'], 6144)
    assert.equal(map['AttachedPoliciesPerUserQuota'], 10)
    assert.equal(map['AccountAccessKeysPresent'], 1)
    const policies = await iam(root).send(new ListPoliciesCommand({ MaxItems: 1000 }))
    assert.equal(map['Policies'], policies.Policies?.length)
    const users = await iam(root).send(new ListUsersCommand({ MaxItems: 1000 }))
    assert.equal(map['Users'], users.Users?.length)
  })

  it("changes what a user may do with its attached policy's default version", async () => {
    await iam(root).send(new CreateUserCommand({ UserName: 'signer' }))
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'signer' }))
    const signer: Key = {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
    const deniedMessage = `User: arn:aws:iam::${account}:user/signer is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${account}:user/ because no identity-based policy allows the iam:ListUsers action`
    assert.deepEqual(await failure(iam(signer).send(new ListUsersCommand({}))), {
      name: 'AccessDenied',
      message: deniedMessage,
      status: 403,
    })

    const arn = (
      await iam(root).send(
        new CreatePolicyCommand({
          PolicyName: 'SignerPolicy',
          PolicyDocument: document('Allow', 'iam:ListUsers'),
        }),
      )
    ).Policy?.Arn
    await iam(root).send(new AttachUserPolicyCommand({ UserName: 'signer', PolicyArn: arn }))
    const listed = await iam(signer).send(new ListUsersCommand({ MaxItems: 1000 }))
    assert.ok(listed.Users?.some((u) => u.UserName === 'signer'))

    await iam(root).send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: document('Allow', 'iam:GetUser'),
        SetAsDefault: false,
      }),
    )
    // A version that is not the default changes nothing.
    await iam(signer).send(new ListUsersCommand({}))
    await iam(root).send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))
    assert.deepEqual(await failure(iam(signer).send(new ListUsersCommand({}))), {
      name: 'AccessDenied',
      message: deniedMessage,
      status: 403,
    })
  })
})
