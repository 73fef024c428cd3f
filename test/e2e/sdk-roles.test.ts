/**
 * Roles and instance profiles end to end with the real AWS SDK for JavaScript v3
 * (@aws-sdk/client-iam) against `gatehouse serve` on 127.0.0.1: every role, role-policy, role-tag,
 * role-boundary and instance-profile operation, the SDK's paginators and waiters, and the trust
 * policy as IAM returns it (RFC 3986-encoded; the SDK hands it over undecoded).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  AddRoleToInstanceProfileCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListInstanceProfileTagsCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  TagRoleCommand,
  UntagInstanceProfileCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  paginateListInstanceProfiles,
  paginateListRoles,
  waitUntilInstanceProfileExists,
  waitUntilRoleExists,
} from '@aws-sdk/client-iam'
import { MasterKey } from '../../src/store/secret-box.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { failure } from '../support/sdk-failure.js'
import { printedRootKey, removeDataDir, startServerProcess } from '../support/server-process.js'
import type { ServerProcess } from '../support/server-process.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

interface Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** A trust policy with white space, a `+` and a `*`: what a client sends, byte for byte. */
const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole",
      "Condition": { "StringLike": { "sts:ExternalId": "team+ops*" } }
    }
  ]
}`

const NEW_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
})

describe('roles and instance profiles: the AWS SDK for JavaScript v3 against gatehouse serve', () => {
  let server: ServerProcess
  let root: Key
  let iam: IAMClient
  let boundaryArn: string

  before(async () => {
    server = await startServerProcess()
    root = printedRootKey(server.stdout())
    // maxAttempts 1: SDK v3 retries LimitExceeded as throttling; an error should come back at once.
    iam = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: root,
      maxAttempts: 1,
    })
    // The managed-policy operations are another family's: the boundary policy is written into the
    // server's own SQLite file, beside the running server, as any second SQLite client could.
    const store = openSqliteStore({
      filename: join(server.dataDir, 'gatehouse.db'),
      masterKey: MasterKey.fromText(readFileSync(join(server.dataDir, 'master.key'), 'utf8')),
    })
    try {
      const created = await store.transaction((tx) =>
        tx.createPolicy({
          accountId: server.accountId,
          name: 'RoleBoundary',
          path: '/boundaries/',
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          }),
        }),
      )
      boundaryArn = created.arn
    } finally {
      await store.close()
    }
  })
  after(async () => {
    iam.destroy()
    await server.stop()
    removeDataDir(server.dataDir)
  })

  it('creates a role and returns its trust policy encoded, which decodes to what was sent', async () => {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'web-server',
        Path: '/app/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'Serves the site',
        MaxSessionDuration: 7200,
        PermissionsBoundary: boundaryArn,
        Tags: [{ Key: 'Team', Value: 'Blue' }],
      }),
    )
    const role = created.Role
    assert.ok(role !== undefined)
    assert.equal(role.Arn, `arn:aws:iam::${server.accountId}:role/app/web-server`)
    assert.match(role.RoleId ?? '', /^AROA[A-Z2-7]{17}$/)
    assert.ok(role.CreateDate instanceof Date)
    assert.equal(role.Path, '/app/')
    // SDK v3 does not decode policy documents: it hands over IAM's RFC 3986 encoding.
    assert.notEqual(role.AssumeRolePolicyDocument, TRUST)
    assert.match(role.AssumeRolePolicyDocument ?? '', /^[A-Za-z0-9\-_.~%]+$/)
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument ?? ''), TRUST)
    assert.equal(role.Description, 'Serves the site')
    assert.equal(role.MaxSessionDuration, 7200)
    assert.deepEqual(role.PermissionsBoundary, {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: boundaryArn,
    })
    assert.deepEqual(role.Tags, [{ Key: 'Team', Value: 'Blue' }])
    await waitUntilRoleExists({ client: iam, maxWaitTime: 10 }, { RoleName: 'web-server' })
  })

  it('gets the whole role, with an empty RoleLastUsed for a role never used', async () => {
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: 'WEB-SERVER' }))
    assert.ok(role !== undefined)
    assert.equal(role.RoleName, 'web-server')
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument ?? ''), TRUST)
    assert.equal(role.Description, 'Serves the site')
    assert.equal(role.MaxSessionDuration, 7200)
    assert.equal(role.PermissionsBoundary?.PermissionsBoundaryArn, boundaryArn)
    assert.deepEqual(role.Tags, [{ Key: 'Team', Value: 'Blue' }])
    assert.deepEqual(role.RoleLastUsed, {})
  })

  it('refuses bad roles with the errors the SDK knows', async () => {
    const malformed = await failure(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
          }),
        }),
      ),
    )
    assert.deepEqual(malformed, {
      name: 'MalformedPolicyDocumentException',
      message: 'Missing required field Principal',
      status: 400,
    })
    const tooLong = await failure(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad',
          AssumeRolePolicyDocument: TRUST,
          MaxSessionDuration: 43201,
        }),
      ),
    )
    assert.deepEqual(tooLong, {
      name: 'ValidationError',
      message:
        "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
      status: 400,
    })
    const taken = await failure(
      iam.send(new CreateRoleCommand({ RoleName: 'Web-Server', AssumeRolePolicyDocument: TRUST })),
    )
    assert.deepEqual(taken, {
      name: 'EntityAlreadyExistsException',
      message: 'Role with name Web-Server already exists.',
      status: 409,
    })
    const principals = Array.from(
      { length: 60 },
      (_, i) => `arn:aws:iam::${server.accountId}:user/someone-${i}`,
    )
    const huge = await failure(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' },
            ],
          }),
        }),
      ),
    )
    assert.deepEqual(huge, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for ACLSizePerRole: 2048',
      status: 409,
    })
    const missing = await failure(iam.send(new GetRoleCommand({ RoleName: 'bad' })))
    assert.deepEqual(missing, {
      name: 'NoSuchEntityException',
      message: 'The role with name bad cannot be found.',
      status: 404,
    })
  })

  it('updates the description, the session duration and the trust policy', async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: 'web-server', MaxSessionDuration: 3600 }))
    const described = await iam.send(
      new UpdateRoleDescriptionCommand({
        RoleName: 'web-server',
        Description: 'Serves the new site',
      }),
    )
    assert.equal(described.Role?.Description, 'Serves the new site')
    assert.equal(described.Role?.MaxSessionDuration, 3600)
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'web-server', PolicyDocument: NEW_TRUST }),
    )
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: 'web-server' }))
    assert.equal(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), NEW_TRUST)
    assert.equal(role?.Description, 'Serves the new site')
    assert.equal(role?.MaxSessionDuration, 3600)

    const malformed = await failure(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'web-server',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }],
          }),
        }),
      ),
    )
    assert.deepEqual(malformed, {
      name: 'MalformedPolicyDocumentException',
      message: 'AssumeRole policy may only specify STS AssumeRole actions.',
      status: 400,
    })
    const invalid = await failure(
      iam.send(new UpdateRoleCommand({ RoleName: 'web-server', MaxSessionDuration: 60 })),
    )
    assert.equal(invalid.name, 'ValidationError')
    assert.equal(invalid.status, 400)
  })

  it('pages ListRoles with the SDK paginator, leaving out what ListRoles leaves out', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `paged-${String(i).padStart(3, '0')}`)
    for (const name of names) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          Path: '/paged/',
          AssumeRolePolicyDocument: TRUST,
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      )
    }
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateListRoles(
      { client: iam, pageSize: 50 },
      { PathPrefix: '/paged/' },
    )) {
      pages++
      for (const role of page.Roles ?? []) {
        seen.push(role.RoleName ?? '')
        assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument ?? ''), TRUST)
        assert.equal(role.MaxSessionDuration, 3600)
        assert.equal(role.Tags, undefined)
        assert.equal(role.RoleLastUsed, undefined)
        assert.equal(role.PermissionsBoundary, undefined)
      }
    }
    assert.equal(pages, 3)
    assert.deepEqual(seen, names)
    const app = await iam.send(new ListRolesCommand({ PathPrefix: '/app/' }))
    assert.deepEqual(
      app.Roles?.map((r) => r.RoleName),
      ['web-server'],
    )
    assert.equal(app.IsTruncated, false)
    assert.equal(app.Marker, undefined)
  })

  it('puts, gets, lists and deletes inline policies', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }],
    })
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'web-server',
        PolicyName: 'ReadS3',
        PolicyDocument: document,
      }),
    )
    const got = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'web-server', PolicyName: 'ReadS3' }),
    )
    assert.equal(got.RoleName, 'web-server')
    assert.equal(got.PolicyName, 'ReadS3')
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), document)
    const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'web-server' }))
    assert.deepEqual(listed.PolicyNames, ['ReadS3'])
    assert.equal(listed.IsTruncated, false)
    const principal = await failure(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'web-server',
          PolicyName: 'Bad',
          PolicyDocument: TRUST,
        }),
      ),
    )
    assert.deepEqual(principal, {
      name: 'MalformedPolicyDocumentException',
      message: 'Policy document should not specify a principal.',
      status: 400,
    })
    const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'web-server' })))
    assert.deepEqual(conflict, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
      status: 409,
    })
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'web-server', PolicyName: 'ReadS3' }))
    const gone = await failure(
      iam.send(new GetRolePolicyCommand({ RoleName: 'web-server', PolicyName: 'ReadS3' })),
    )
    assert.deepEqual(gone, {
      name: 'NoSuchEntityException',
      message: 'The role policy with name ReadS3 cannot be found.',
      status: 404,
    })
  })

  it('tags and untags a role', async () => {
    await iam.send(
      new TagRoleCommand({
        RoleName: 'web-server',
        Tags: [
          { Key: 'team', Value: 'Green' },
          { Key: 'Cost', Value: '42' },
        ],
      }),
    )
    const tagged = await iam.send(new ListRoleTagsCommand({ RoleName: 'web-server' }))
    assert.deepEqual(tagged.Tags, [
      { Key: 'Cost', Value: '42' },
      { Key: 'team', Value: 'Green' },
    ])
    assert.equal(tagged.IsTruncated, false)
    await iam.send(new UntagRoleCommand({ RoleName: 'web-server', TagKeys: ['TEAM', 'absent'] }))
    const untagged = await iam.send(new ListRoleTagsCommand({ RoleName: 'web-server' }))
    assert.deepEqual(untagged.Tags, [{ Key: 'Cost', Value: '42' }])
    const duplicate = await failure(
      iam.send(
        new TagRoleCommand({
          RoleName: 'web-server',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
    )
    assert.deepEqual(duplicate, {
      name: 'InvalidInputException',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      status: 400,
    })
  })

  it('removes and puts back the permissions boundary', async () => {
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'web-server' }))
    const without = await iam.send(new GetRoleCommand({ RoleName: 'web-server' }))
    assert.equal(without.Role?.PermissionsBoundary, undefined)
    await iam.send(
      new PutRolePermissionsBoundaryCommand({
        RoleName: 'web-server',
        PermissionsBoundary: boundaryArn,
      }),
    )
    const bounded = await iam.send(new GetRoleCommand({ RoleName: 'web-server' }))
    assert.equal(bounded.Role?.PermissionsBoundary?.PermissionsBoundaryArn, boundaryArn)
    const missing = `arn:aws:iam::${server.accountId}:policy/NoSuchPolicy`
    const refused = await failure(
      iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'web-server',
          PermissionsBoundary: missing,
        }),
      ),
    )
    assert.deepEqual(refused, {
      name: 'NoSuchEntityException',
      message: `Policy ${missing} does not exist or is not attachable.`,
      status: 404,
    })
  })

  it('runs an instance profile through its life with the role in it', async () => {
    const created = await iam.send(
      new CreateInstanceProfileCommand({
        InstanceProfileName: 'web-profile',
        Path: '/app/',
        Tags: [{ Key: 'Env', Value: 'prod' }],
      }),
    )
    const profile = created.InstanceProfile
    assert.equal(profile?.Arn, `arn:aws:iam::${server.accountId}:instance-profile/app/web-profile`)
    assert.match(profile?.InstanceProfileId ?? '', /^AIPA[A-Z2-7]{17}$/)
    assert.ok(profile?.CreateDate instanceof Date)
    assert.deepEqual(profile?.Roles, [])
    assert.deepEqual(profile?.Tags, [{ Key: 'Env', Value: 'prod' }])
    await waitUntilInstanceProfileExists(
      { client: iam, maxWaitTime: 10 },
      { InstanceProfileName: 'web-profile' },
    )

    await iam.send(
      new AddRoleToInstanceProfileCommand({
        InstanceProfileName: 'web-profile',
        RoleName: 'web-server',
      }),
    )
    const got = await iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: 'WEB-PROFILE' }),
    )
    assert.equal(got.InstanceProfile?.InstanceProfileName, 'web-profile')
    assert.deepEqual(got.InstanceProfile?.Tags, [{ Key: 'Env', Value: 'prod' }])
    const [inside, ...others] = got.InstanceProfile?.Roles ?? []
    assert.equal(others.length, 0)
    assert.equal(inside?.RoleName, 'web-server')
    assert.equal(inside?.Arn, `arn:aws:iam::${server.accountId}:role/app/web-server`)
    assert.ok(inside?.CreateDate instanceof Date)
    assert.equal(decodeURIComponent(inside?.AssumeRolePolicyDocument ?? ''), NEW_TRUST)

    const second = await failure(
      iam.send(
        new AddRoleToInstanceProfileCommand({
          InstanceProfileName: 'web-profile',
          RoleName: 'paged-000',
        }),
      ),
    )
    assert.deepEqual(second, {
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      status: 409,
    })

    const forRole = await iam.send(
      new ListInstanceProfilesForRoleCommand({ RoleName: 'web-server' }),
    )
    assert.deepEqual(
      forRole.InstanceProfiles?.map((p) => p.InstanceProfileName),
      ['web-profile'],
    )
    assert.equal(forRole.InstanceProfiles?.[0]?.Roles?.[0]?.RoleName, 'web-server')
    assert.equal(forRole.IsTruncated, false)

    await iam.send(
      new TagInstanceProfileCommand({
        InstanceProfileName: 'web-profile',
        Tags: [{ Key: 'env', Value: 'lower' }],
      }),
    )
    const tags = await iam.send(
      new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web-profile' }),
    )
    // An instance profile's keys compare with case: `env` is a second tag beside `Env`.
    assert.equal(tags.Tags?.length, 2)
    assert.deepEqual(
      new Map(tags.Tags?.map((t) => [t.Key, t.Value])),
      new Map([
        ['Env', 'prod'],
        ['env', 'lower'],
      ]),
    )
    await iam.send(
      new UntagInstanceProfileCommand({ InstanceProfileName: 'web-profile', TagKeys: ['env'] }),
    )
    const remaining = await iam.send(
      new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web-profile' }),
    )
    assert.deepEqual(remaining.Tags, [{ Key: 'Env', Value: 'prod' }])

    const held = await failure(
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-profile' })),
    )
    assert.deepEqual(held, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove roles from instance profile first.',
      status: 409,
    })
    const inProfile = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'web-server' })))
    assert.deepEqual(inProfile, {
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove roles from instance profile first.',
      status: 409,
    })
  })

  it('pages ListInstanceProfiles with the SDK paginator', async () => {
    for (let i = 0; i < 5; i++) {
      await iam.send(
        new CreateInstanceProfileCommand({ InstanceProfileName: `batch-${i}`, Path: '/batch/' }),
      )
    }
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateListInstanceProfiles(
      { client: iam, pageSize: 2 },
      { PathPrefix: '/batch/' },
    )) {
      pages++
      for (const profile of page.InstanceProfiles ?? []) {
        seen.push(profile.InstanceProfileName ?? '')
        assert.deepEqual(profile.Roles, [])
        assert.equal(profile.Tags, undefined)
      }
    }
    assert.equal(pages, 3)
    assert.deepEqual(seen, ['batch-0', 'batch-1', 'batch-2', 'batch-3', 'batch-4'])
    const all = await iam.send(new ListInstanceProfilesCommand({}))
    assert.equal(all.InstanceProfiles?.length, 6)
    assert.equal(
      all.InstanceProfiles?.find((p) => p.InstanceProfileName === 'web-profile')?.Tags,
      undefined,
    )
  })

  it('takes the role out, then deletes the profile and the role', async () => {
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({
        InstanceProfileName: 'web-profile',
        RoleName: 'web-server',
      }),
    )
    const notIn = await failure(
      iam.send(
        new RemoveRoleFromInstanceProfileCommand({
          InstanceProfileName: 'web-profile',
          RoleName: 'web-server',
        }),
      ),
    )
    assert.equal(notIn.name, 'NoSuchEntityException')
    assert.equal(notIn.status, 404)
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web-profile' }))
    const gone = await failure(
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-profile' })),
    )
    assert.deepEqual(gone, {
      name: 'NoSuchEntityException',
      message: 'Instance Profile web-profile cannot be found.',
      status: 404,
    })
    await iam.send(new DeleteRoleCommand({ RoleName: 'web-server' }))
    const deleted = await failure(iam.send(new GetRoleCommand({ RoleName: 'web-server' })))
    assert.equal(deleted.name, 'NoSuchEntityException')
    const forRole = await failure(
      iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web-server' })),
    )
    assert.equal(forRole.name, 'NoSuchEntityException')
  })

  it('denies a user without a policy, on the role path it lists', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'viewer' }))
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'viewer' }))
    const viewer = new IAMClient({
      endpoint: server.url,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: created.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: created.AccessKey?.SecretAccessKey ?? '',
      },
      maxAttempts: 1,
    })
    try {
      const denied = await failure(viewer.send(new ListRolesCommand({ PathPrefix: '/paged/' })))
      assert.deepEqual(denied, {
        name: 'AccessDenied',
        message: `User: arn:aws:iam::${server.accountId}:user/viewer is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${server.accountId}:role/paged/ because no identity-based policy allows the iam:ListRoles action`,
        status: 403,
      })
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'viewer',
          PolicyName: 'ReadRoles',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['iam:ListRoles', 'iam:GetRole'],
                Resource: `arn:aws:iam::${server.accountId}:role/paged/*`,
              },
            ],
          }),
        }),
      )
      const first = await viewer.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 1 }))
      assert.deepEqual(
        first.Roles?.map((r) => r.RoleName),
        ['paged-000'],
      )
      assert.equal(first.IsTruncated, true)
      const role = await viewer.send(new GetRoleCommand({ RoleName: 'paged-001' }))
      assert.equal(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? ''), TRUST)
    } finally {
      viewer.destroy()
    }
  })
})
