/**
 * End to end with the real AWS SDK for JavaScript v3 against `gatehouse serve` on 127.0.0.1: the
 * user and group operations beyond the first slice (UpdateUser, groups and membership, group
 * inline policies, user tags, user permissions boundaries, GetAccessKeyLastUsed), with the SDK's
 * paginators, and a group's policy granting and denying its member's calls. Nothing is mocked.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateGroupCommand,
  UpdateUserCommand,
  paginateGetGroup,
  paginateListGroupPolicies,
  paginateListGroups,
  paginateListGroupsForUser,
  paginateListUserTags,
} from '@aws-sdk/client-iam'
import type { Tag } from '@aws-sdk/client-iam'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

function allow(actions: string | string[], resource: string | string[] = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }],
  })
}

describe('the AWS SDK v3 against gatehouse serve: users, groups, tags and boundaries', () => {
  let server: ServerProcess
  let root: Key
  let arn: string
  // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
  const iam = (key: Key) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 })

  async function userWithKey(userName: string, path?: string): Promise<Key> {
    await iam(root).send(
      new CreateUserCommand({ UserName: userName, ...(path === undefined ? {} : { Path: path }) }),
    )
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: userName }))
    return {
      accessKeyId: created.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
    }
  }

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    arn = `arn:aws:iam::${server.accountId}`
  })
  after(async () => {
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('renames and moves a user with UpdateUser, which keeps its id', async () => {
    const created = await iam(root).send(
      new CreateUserCommand({
        UserName: 'dana',
        Path: '/eng/',
        Tags: [{ Key: 'Dept', Value: 'Eng' }],
      }),
    )
    await iam(root).send(
      new UpdateUserCommand({ UserName: 'dana', NewUserName: 'dana2', NewPath: '/ops/' }),
    )
    const got = await iam(root).send(new GetUserCommand({ UserName: 'dana2' }))
    assert.equal(got.User?.UserId, created.User?.UserId)
    assert.equal(got.User?.Arn, `${arn}:user/ops/dana2`)
    assert.deepEqual(got.User?.Tags, [{ Key: 'Dept', Value: 'Eng' }])
    assert.deepEqual(await failure(iam(root).send(new GetUserCommand({ UserName: 'dana' }))), {
      name: 'NoSuchEntityException',
      message: 'The user with name dana cannot be found.',
      status: 404,
    })

    await iam(root).send(new CreateUserCommand({ UserName: 'erin' }))
    const taken = await failure(
      iam(root).send(new UpdateUserCommand({ UserName: 'dana2', NewUserName: 'ERIN' })),
    )
    assert.deepEqual(taken, {
      name: 'EntityAlreadyExistsException',
      message: 'User with name ERIN already exists.',
      status: 409,
    })
    const invalid = await failure(
      iam(root).send(new UpdateUserCommand({ UserName: 'dana2', NewPath: 'no-slashes' })),
    )
    assert.equal(invalid.name, 'ValidationError')
    assert.equal(invalid.status, 400)
  })

  it('creates, reads, lists, renames and deletes groups', async () => {
    const created = await iam(root).send(
      new CreateGroupCommand({ GroupName: 'admins', Path: '/ops/' }),
    )
    assert.equal(created.Group?.Arn, `${arn}:group/ops/admins`)
    assert.match(created.Group?.GroupId ?? '', /^AGPA/)
    assert.ok(created.Group?.CreateDate instanceof Date)

    const got = await iam(root).send(new GetGroupCommand({ GroupName: 'ADMINS' }))
    assert.equal(got.Group?.GroupName, 'admins')
    assert.deepEqual(got.Users, [])
    assert.equal(got.IsTruncated, false)

    const listed = await iam(root).send(new ListGroupsCommand({ PathPrefix: '/ops/' }))
    assert.deepEqual(
      listed.Groups?.map((g) => g.GroupName),
      ['admins'],
    )

    const duplicate = await failure(iam(root).send(new CreateGroupCommand({ GroupName: 'Admins' })))
    assert.deepEqual(duplicate, {
      name: 'EntityAlreadyExistsException',
      message: 'Group with name Admins already exists.',
      status: 409,
    })

    await iam(root).send(
      new UpdateGroupCommand({ GroupName: 'admins', NewGroupName: 'operators', NewPath: '/' }),
    )
    const renamed = await iam(root).send(new GetGroupCommand({ GroupName: 'operators' }))
    assert.equal(renamed.Group?.GroupId, created.Group?.GroupId)
    assert.equal(renamed.Group?.Arn, `${arn}:group/operators`)
    const old = await failure(iam(root).send(new GetGroupCommand({ GroupName: 'admins' })))
    assert.deepEqual(old, {
      name: 'NoSuchEntityException',
      message: 'The group with name admins cannot be found.',
      status: 404,
    })

    await iam(root).send(new DeleteGroupCommand({ GroupName: 'operators' }))
    const gone = await failure(iam(root).send(new DeleteGroupCommand({ GroupName: 'operators' })))
    assert.equal(gone.name, 'NoSuchEntityException')
  })

  it("pages groups, members and a user's groups with the SDK paginators", async () => {
    const groupNames = Array.from({ length: 12 }, (_, i) => `paged-${String(i).padStart(2, '0')}`)
    for (const name of groupNames) {
      await iam(root).send(new CreateGroupCommand({ GroupName: name, Path: '/paged/' }))
    }
    let pages = 0
    const seenGroups: string[] = []
    for await (const page of paginateListGroups(
      { client: iam(root), pageSize: 5 },
      { PathPrefix: '/paged/' },
    )) {
      pages++
      seenGroups.push(...(page.Groups ?? []).map((g) => g.GroupName ?? ''))
    }
    assert.equal(pages, 3)
    assert.deepEqual(seenGroups, groupNames)

    const memberNames = Array.from({ length: 7 }, (_, i) => `crew-${i}`)
    for (const name of memberNames) {
      await iam(root).send(new CreateUserCommand({ UserName: name }))
      await iam(root).send(new AddUserToGroupCommand({ GroupName: 'paged-00', UserName: name }))
    }
    pages = 0
    const seenMembers: string[] = []
    for await (const page of paginateGetGroup(
      { client: iam(root), pageSize: 3 },
      { GroupName: 'paged-00' },
    )) {
      pages++
      assert.equal(page.Group?.GroupName, 'paged-00')
      seenMembers.push(...(page.Users ?? []).map((u) => u.UserName ?? ''))
    }
    assert.equal(pages, 3)
    assert.deepEqual(seenMembers, memberNames)

    for (const group of groupNames.slice(1, 10)) {
      await iam(root).send(new AddUserToGroupCommand({ GroupName: group, UserName: 'crew-0' }))
    }
    pages = 0
    const seenForUser: string[] = []
    for await (const page of paginateListGroupsForUser(
      { client: iam(root), pageSize: 4 },
      { UserName: 'crew-0' },
    )) {
      pages++
      seenForUser.push(...(page.Groups ?? []).map((g) => g.GroupName ?? ''))
    }
    assert.equal(pages, 3)
    assert.deepEqual(seenForUser, groupNames.slice(0, 10))
  })

  it("manages membership, with AWS's errors", async () => {
    // crew-0 is in ten groups: an eleventh is refused.
    const limit = await failure(
      iam(root).send(new AddUserToGroupCommand({ GroupName: 'paged-11', UserName: 'crew-0' })),
    )
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for GroupsPerUser: 10',
      status: 409,
    })
    // Adding again is no change; removing twice succeeds, as in AWS.
    await iam(root).send(new AddUserToGroupCommand({ GroupName: 'paged-01', UserName: 'crew-0' }))
    await iam(root).send(
      new RemoveUserFromGroupCommand({ GroupName: 'paged-01', UserName: 'crew-0' }),
    )
    await iam(root).send(
      new RemoveUserFromGroupCommand({ GroupName: 'paged-01', UserName: 'crew-0' }),
    )
    const groups = await iam(root).send(new ListGroupsForUserCommand({ UserName: 'crew-0' }))
    assert.equal(groups.Groups?.length, 9)
    assert.equal(
      groups.Groups?.some((g) => g.GroupName === 'paged-01'),
      false,
    )

    const conflict = await failure(
      iam(root).send(new DeleteGroupCommand({ GroupName: 'paged-00' })),
    )
    assert.deepEqual(conflict, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
      status: 409,
    })
    const noUser = await failure(
      iam(root).send(new AddUserToGroupCommand({ GroupName: 'paged-00', UserName: 'nobody' })),
    )
    assert.deepEqual(noUser, {
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
      status: 404,
    })
    const noGroup = await failure(
      iam(root).send(new RemoveUserFromGroupCommand({ GroupName: 'nowhere', UserName: 'crew-1' })),
    )
    assert.deepEqual(noGroup, {
      name: 'NoSuchEntityException',
      message: 'The group with name nowhere cannot be found.',
      status: 404,
    })
  })

  it('puts, reads, lists and deletes group inline policies', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'iam:Get*', Resource: `${arn}:user/*` }],
    })
    await iam(root).send(
      new PutGroupPolicyCommand({
        GroupName: 'paged-10',
        PolicyName: 'Read',
        PolicyDocument: document,
      }),
    )
    await iam(root).send(
      new PutGroupPolicyCommand({
        GroupName: 'paged-10',
        PolicyName: 'Also',
        PolicyDocument: allow('iam:ListGroups'),
      }),
    )
    const got = await iam(root).send(
      new GetGroupPolicyCommand({ GroupName: 'paged-10', PolicyName: 'Read' }),
    )
    assert.equal(got.GroupName, 'paged-10')
    // SDK v3 does not decode policy documents: it hands over IAM's RFC 3986 encoding.
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), document)

    const names: string[] = []
    for await (const page of paginateListGroupPolicies(
      { client: iam(root), pageSize: 1 },
      { GroupName: 'paged-10' },
    )) {
      names.push(...(page.PolicyNames ?? []))
    }
    assert.deepEqual(names, ['Also', 'Read'])

    const conflict = await failure(
      iam(root).send(new DeleteGroupCommand({ GroupName: 'paged-10' })),
    )
    assert.deepEqual(conflict, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
      status: 409,
    })
    const malformed = await failure(
      iam(root).send(
        new PutGroupPolicyCommand({
          GroupName: 'paged-10',
          PolicyName: 'Bad',
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*"}]}',
        }),
      ),
    )
    assert.equal(malformed.name, 'MalformedPolicyDocumentException')
    assert.equal(malformed.status, 400)

    for (const name of names) {
      await iam(root).send(
        new DeleteGroupPolicyCommand({ GroupName: 'paged-10', PolicyName: name }),
      )
    }
    const listed = await iam(root).send(new ListGroupPoliciesCommand({ GroupName: 'paged-10' }))
    assert.deepEqual(listed.PolicyNames, [])
    const missing = await failure(
      iam(root).send(new GetGroupPolicyCommand({ GroupName: 'paged-10', PolicyName: 'Read' })),
    )
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: 'The group policy with name Read cannot be found.',
      status: 404,
    })
    await iam(root).send(new DeleteGroupCommand({ GroupName: 'paged-10' }))
  })

  it("grants a member what its group's policy allows, and denies it once removed", async () => {
    const member = await userWithKey('member', '/staff/')
    const memberArn = `${arn}:user/staff/member`
    await iam(root).send(new CreateGroupCommand({ GroupName: 'listers' }))
    await iam(root).send(
      new PutGroupPolicyCommand({
        GroupName: 'listers',
        PolicyName: 'ListUsers',
        PolicyDocument: allow('iam:ListUsers'),
      }),
    )
    const denied = {
      name: 'AccessDenied',
      message: `User: ${memberArn} is not authorized to perform: iam:ListUsers on resource: ${arn}:user/ because no identity-based policy allows the iam:ListUsers action`,
      status: 403,
    }
    assert.deepEqual(await failure(iam(member).send(new ListUsersCommand({}))), denied)

    await iam(root).send(new AddUserToGroupCommand({ GroupName: 'listers', UserName: 'member' }))
    const listed = await iam(member).send(new ListUsersCommand({ PathPrefix: '/staff/' }))
    assert.deepEqual(
      listed.Users?.map((u) => u.UserName),
      ['member'],
    )

    await iam(root).send(
      new RemoveUserFromGroupCommand({ GroupName: 'listers', UserName: 'member' }),
    )
    assert.deepEqual(await failure(iam(member).send(new ListUsersCommand({}))), denied)
  })

  it('tags, lists and untags a user, keys compared without case', async () => {
    await iam(root).send(
      new TagUserCommand({
        UserName: 'erin',
        Tags: [
          { Key: 'Team', Value: 'Platform' },
          { Key: 'Env', Value: 'Test' },
          { Key: 'Cost', Value: '42' },
        ],
      }),
    )
    await iam(root).send(
      new TagUserCommand({ UserName: 'ERIN', Tags: [{ Key: 'team', Value: 'Core' }] }),
    )
    const tags: Tag[] = []
    let pages = 0
    for await (const page of paginateListUserTags(
      { client: iam(root), pageSize: 2 },
      { UserName: 'erin' },
    )) {
      pages++
      tags.push(...(page.Tags ?? []))
    }
    assert.equal(pages, 2)
    assert.deepEqual(tags, [
      { Key: 'Cost', Value: '42' },
      { Key: 'Env', Value: 'Test' },
      { Key: 'team', Value: 'Core' },
    ])

    await iam(root).send(new UntagUserCommand({ UserName: 'erin', TagKeys: ['TEAM', 'absent'] }))
    const remaining = await iam(root).send(new ListUserTagsCommand({ UserName: 'erin' }))
    assert.deepEqual(
      remaining.Tags?.map((t) => t.Key),
      ['Cost', 'Env'],
    )
    assert.equal(remaining.IsTruncated, false)

    const reserved = await failure(
      iam(root).send(new TagUserCommand({ UserName: 'erin', Tags: [{ Key: 'aws:x', Value: '' }] })),
    )
    assert.deepEqual(reserved, {
      name: 'InvalidInputException',
      message: "Tag keys cannot start with the reserved prefix 'aws:'.",
      status: 400,
    })
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    const limit = await failure(
      iam(root).send(new TagUserCommand({ UserName: 'erin', Tags: many })),
    )
    assert.deepEqual(limit, {
      name: 'LimitExceededException',
      message: 'The number of tags has reached the maximum limit.',
      status: 409,
    })
    const unchanged = await iam(root).send(new ListUserTagsCommand({ UserName: 'erin' }))
    assert.equal(unchanged.Tags?.length, 2)
    const noUser = await failure(iam(root).send(new ListUserTagsCommand({ UserName: 'nobody' })))
    assert.equal(noUser.name, 'NoSuchEntityException')
  })

  it("sets and removes a user's permissions boundary, which limits the user", async () => {
    const bounded = await userWithKey('bounded')
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'bounded',
        PolicyName: 'Everything',
        PolicyDocument: allow('iam:*'),
      }),
    )
    const created = await iam(root).send(
      new CreatePolicyCommand({
        PolicyName: 'ListUsersOnly',
        PolicyDocument: allow('iam:ListUsers'),
      }),
    )
    const boundaryArn = created.Policy?.Arn ?? ''
    assert.equal(boundaryArn, `${arn}:policy/ListUsersOnly`)

    await iam(root).send(
      new PutUserPermissionsBoundaryCommand({
        UserName: 'bounded',
        PermissionsBoundary: boundaryArn,
      }),
    )
    const got = await iam(root).send(new GetUserCommand({ UserName: 'bounded' }))
    assert.deepEqual(got.User?.PermissionsBoundary, {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: boundaryArn,
    })
    await iam(bounded).send(new ListUsersCommand({}))
    assert.deepEqual(await failure(iam(bounded).send(new ListGroupsCommand({}))), {
      name: 'AccessDenied',
      message: `User: ${arn}:user/bounded is not authorized to perform: iam:ListGroups on resource: ${arn}:group/ because no permissions boundary allows the iam:ListGroups action`,
      status: 403,
    })

    await iam(root).send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }))
    const unbounded = await iam(root).send(new GetUserCommand({ UserName: 'bounded' }))
    assert.equal(unbounded.User?.PermissionsBoundary, undefined)
    await iam(bounded).send(new ListGroupsCommand({}))

    const missing = await failure(
      iam(root).send(
        new PutUserPermissionsBoundaryCommand({
          UserName: 'bounded',
          PermissionsBoundary: `${arn}:policy/Missing`,
        }),
      ),
    )
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: `Policy ${arn}:policy/Missing does not exist or is not attachable.`,
      status: 404,
    })
  })

  it("answers GetAccessKeyLastUsed, on the key's user", async () => {
    const created = await iam(root).send(new CreateAccessKeyCommand({ UserName: 'erin' }))
    const keyId = created.AccessKey?.AccessKeyId ?? ''
    const unused = await iam(root).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }))
    assert.equal(unused.UserName, 'erin')
    assert.deepEqual(unused.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' })

    const unknown = await failure(
      iam(root).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
    )
    assert.deepEqual(unknown, {
      name: 'AccessDenied',
      message: `User: ${arn}:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE`,
      status: 403,
    })

    const auditor = await userWithKey('auditor')
    await iam(root).send(
      new PutUserPolicyCommand({
        UserName: 'auditor',
        PolicyName: 'Audit',
        PolicyDocument: allow('iam:GetAccessKeyLastUsed', `${arn}:user/erin`),
      }),
    )
    const seen = await iam(auditor).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }))
    assert.equal(seen.UserName, 'erin')
    const own = await failure(
      iam(auditor).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: auditor.accessKeyId })),
    )
    assert.deepEqual(own, {
      name: 'AccessDenied',
      message: `User: ${arn}:user/auditor is not authorized to perform: iam:GetAccessKeyLastUsed on resource: ${arn}:user/auditor because no identity-based policy allows the iam:GetAccessKeyLastUsed action`,
      status: 403,
    })
  })
})
