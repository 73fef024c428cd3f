/**
 * What IAM authorizes besides an operation's own action on its own resource, in process: the
 * caller's own user when UserName is left out by a role session, UpdateUser and UpdateGroup on
 * the new name as well as the old, iam:PassRole for AddRoleToInstanceProfile, and the entity's
 * current boundary as iam:PermissionsBoundary, on which AWS's delegation pattern rests.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'
import {
  callWith,
  createRole,
  credentialsOf,
  sts,
  trustPolicy,
} from '../support/temporary-credentials.js'
import type { SessionCredentials } from '../support/temporary-credentials.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`

function implicitDenial(caller: string, action: string, resource: string): string {
  return `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

function explicitDenial(caller: string, action: string, resource: string): string {
  return `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`
}

function assertError(r: Reply, status: number, code: string, message: string): void {
  assert.equal(r.status, status, r.body)
  assert.deepEqual(r.error, { code, message })
}

/** A user with a key and one inline policy, made as root. */
async function userWithPolicy(g: InProcess, name: string, document: string): Promise<Credentials> {
  const key = await createUserWithKey(g, name)
  const put = await g.call('PutUserPolicy', {
    UserName: name,
    PolicyName: 'main',
    PolicyDocument: document,
  })
  assert.equal(put.status, 200, put.body)
  return key
}

async function ok(r: Promise<Reply>): Promise<Reply> {
  const reply = await r
  assert.equal(reply.status, 200, reply.body)
  return reply
}

describe('IAM authorization beyond the resource', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('the caller as the target, without UserName', () => {
    let session: SessionCredentials
    let aliceKeyId: string

    before(async () => {
      const alice = await createUserWithKey(g, 'alice')
      aliceKeyId = alice.accessKeyId
      // The role may do anything in IAM: what refuses the calls below is not authorization.
      await createRole(
        g,
        {
          name: 'Admin',
          path: '/ops/',
          assumeRolePolicyDocument: trustPolicy(`${ARN}:user/alice`),
        },
        { all: policy('Allow', 'iam:*') },
      )
      const assumed = await sts(
        g,
        'AssumeRole',
        { RoleArn: `${ARN}:role/ops/Admin`, RoleSessionName: 'work' },
        alice,
      )
      assert.equal(assumed.status, 200, assumed.body)
      session = credentialsOf(assumed, 'AssumeRole')
    })

    const asSession = (action: string, params: Record<string, string> = {}) =>
      callWith(g, action, params, { key: session })

    const cases: { action: string; params: () => Record<string, string> }[] = [
      { action: 'GetUser', params: () => ({}) },
      { action: 'ListAccessKeys', params: () => ({}) },
      { action: 'CreateAccessKey', params: () => ({}) },
      {
        action: 'UpdateAccessKey',
        params: () => ({ AccessKeyId: aliceKeyId, Status: 'Inactive' }),
      },
      { action: 'DeleteAccessKey', params: () => ({ AccessKeyId: aliceKeyId }) },
    ]
    for (const { action, params } of cases) {
      it(`answers ${action} from a role session with ValidationError`, async () => {
        const r = await asSession(action, params())
        assertError(
          r,
          400,
          'ValidationError',
          'Must specify userName when calling with non-User credentials',
        )
      })
    }

    it('leaves every key as it was, and creates none for the root user', async () => {
      const alices = await ok(g.call('ListAccessKeys', { UserName: 'alice' }))
      assert.deepEqual(
        xmlAll(alices.xml, 'ListAccessKeysResult/AccessKeyMetadata/member').map((m) => [
          xmlText(m, 'AccessKeyId'),
          xmlText(m, 'Status'),
        ]),
        [[aliceKeyId, 'Active']],
      )
      const roots = await ok(g.call('ListAccessKeys'))
      assert.equal(xmlAll(roots.xml, 'ListAccessKeysResult/AccessKeyMetadata/member').length, 1)
    })

    it('acts on the user a role session names', async () => {
      const r = await ok(asSession('GetUser', { UserName: 'alice' }))
      assert.equal(xmlText(r.xml, 'GetUserResult/User/Arn'), `${ARN}:user/alice`)
      const keys = await ok(asSession('ListAccessKeys', { UserName: 'alice' }))
      assert.equal(
        xmlText(keys.xml, 'ListAccessKeysResult/AccessKeyMetadata/member/AccessKeyId'),
        aliceKeyId,
      )
    })

    it('still describes an IAM user calling with its own key', async () => {
      const bob = await createUserWithKey(g, 'bob', { Path: '/team/' })
      await ok(
        g.call('PutUserPolicy', {
          UserName: 'bob',
          PolicyName: 'self',
          PolicyDocument: policy('Allow', 'iam:GetUser', `${ARN}:user/team/bob`),
        }),
      )
      const r = await ok(g.call('GetUser', {}, { key: bob }))
      assert.equal(xmlText(r.xml, 'GetUserResult/User/Arn'), `${ARN}:user/team/bob`)
    })
  })

  describe('UpdateUser and UpdateGroup, on the old and the new ARN', () => {
    const RENAMER = `${ARN}:user/renamer`
    let renamer: Credentials

    before(async () => {
      renamer = await userWithPolicy(
        g,
        'renamer',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:UpdateUser', Resource: `${ARN}:user/old*` },
            { Effect: 'Allow', Action: 'iam:UpdateGroup', Resource: `${ARN}:group/team-*` },
          ],
        }),
      )
      await ok(g.call('CreateUser', { UserName: 'old-bob' }))
      await ok(g.call('CreateUser', { UserName: 'carol' }))
      await ok(g.call('CreateGroup', { GroupName: 'team-a' }))
    })

    const userRefusals = [
      {
        name: 'a new name outside the allowed ARNs names the new ARN',
        params: { UserName: 'old-bob', NewUserName: 'new-bob' },
        resource: `${ARN}:user/new-bob`,
      },
      {
        name: 'a new path puts the user outside them, and names the new ARN',
        params: { UserName: 'old-bob', NewPath: '/moved/' },
        resource: `${ARN}:user/moved/old-bob`,
      },
      {
        name: 'a user outside them names the old ARN first',
        params: { UserName: 'carol', NewUserName: 'old-carol' },
        resource: `${ARN}:user/carol`,
      },
    ]
    for (const { name, params, resource } of userRefusals) {
      it(`refuses UpdateUser: ${name}`, async () => {
        const r = await g.call('UpdateUser', params, { key: renamer })
        assertError(r, 403, 'AccessDenied', implicitDenial(RENAMER, 'iam:UpdateUser', resource))
        // Nothing changed: the user is still where and what it was.
        const still = await ok(g.call('GetUser', { UserName: params.UserName }))
        assert.equal(xmlText(still.xml, 'GetUserResult/User/Arn'), `${ARN}:user/${params.UserName}`)
      })
    }

    it('renames within the allowed ARNs, and keeps the path when only it is given again', async () => {
      await ok(
        g.call('UpdateUser', { UserName: 'old-bob', NewUserName: 'old-robert' }, { key: renamer }),
      )
      await ok(g.call('UpdateUser', { UserName: 'old-robert', NewPath: '/' }, { key: renamer }))
      const r = await ok(g.call('GetUser', { UserName: 'old-robert' }))
      assert.equal(xmlText(r.xml, 'GetUserResult/User/Arn'), `${ARN}:user/old-robert`)
    })

    it('refuses UpdateGroup to a name outside the allowed ARNs, naming the new ARN', async () => {
      const r = await g.call(
        'UpdateGroup',
        { GroupName: 'team-a', NewGroupName: 'ops' },
        { key: renamer },
      )
      assertError(
        r,
        403,
        'AccessDenied',
        implicitDenial(RENAMER, 'iam:UpdateGroup', `${ARN}:group/ops`),
      )
      await ok(g.call('GetGroup', { GroupName: 'team-a' }))
    })

    it('renames a group within the allowed ARNs', async () => {
      await ok(
        g.call('UpdateGroup', { GroupName: 'team-a', NewGroupName: 'team-b' }, { key: renamer }),
      )
      const r = await ok(g.call('GetGroup', { GroupName: 'team-b' }))
      assert.equal(xmlText(r.xml, 'GetGroupResult/Group/Arn'), `${ARN}:group/team-b`)
    })
  })

  describe('AddRoleToInstanceProfile, with iam:PassRole on the role', () => {
    const PROFILER = `${ARN}:user/profiler`
    const ROLE_ARN = `${ARN}:role/apps/Web`
    const ADD = { InstanceProfileName: 'web', RoleName: 'Web' }
    let profiler: Credentials

    const passRole = (associated: string) =>
      g.call('PutUserPolicy', {
        UserName: 'profiler',
        PolicyName: 'pass',
        PolicyDocument: policy('Allow', 'iam:PassRole', `${ARN}:role/apps/*`, {
          ArnLike: { 'iam:AssociatedResourceArn': associated },
        }),
      })

    async function profileRoles(): Promise<(string | undefined)[]> {
      const r = await ok(g.call('GetInstanceProfile', { InstanceProfileName: 'web' }))
      return xmlAll(r.xml, 'GetInstanceProfileResult/InstanceProfile/Roles/member').map((m) =>
        xmlText(m, 'Arn'),
      )
    }

    before(async () => {
      profiler = await userWithPolicy(
        g,
        'profiler',
        policy('Allow', 'iam:AddRoleToInstanceProfile', `${ARN}:instance-profile/*`),
      )
      await createRole(g, {
        name: 'Web',
        path: '/apps/',
        assumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
      })
      await ok(g.call('CreateInstanceProfile', { InstanceProfileName: 'web' }))
    })

    it('refuses a caller not allowed to pass the role, naming iam:PassRole on it', async () => {
      const r = await g.call('AddRoleToInstanceProfile', ADD, { key: profiler })
      assertError(r, 403, 'AccessDenied', implicitDenial(PROFILER, 'iam:PassRole', ROLE_ARN))
      assert.deepEqual(await profileRoles(), [])
    })

    it('refuses a PassRole allowed only for instances of one Region, as AWS warns', async () => {
      await ok(passRole(`arn:aws:ec2:us-east-1:${ACCOUNT_ID}:instance/*`))
      const r = await g.call('AddRoleToInstanceProfile', ADD, { key: profiler })
      assertError(r, 403, 'AccessDenied', implicitDenial(PROFILER, 'iam:PassRole', ROLE_ARN))
      assert.deepEqual(await profileRoles(), [])
    })

    it("adds the role once PassRole is allowed for the account's instances", async () => {
      await ok(passRole(`arn:aws:ec2:*:${ACCOUNT_ID}:instance/*`))
      await ok(g.call('AddRoleToInstanceProfile', ADD, { key: profiler }))
      assert.deepEqual(await profileRoles(), [ROLE_ARN])
    })
  })

  describe('iam:PermissionsBoundary, the boundary a user or role has now', () => {
    const BOUNDARY = `${ARN}:policy/Boundary`
    const OTHER_BOUNDARY = `${ARN}:policy/OtherBoundary`
    const READ_ONLY = `${ARN}:policy/ReadOnly`
    const DELEGATE = `${ARN}:user/delegate`
    const GUARDED = `${ARN}:user/guarded`
    let delegate: Credentials
    let guarded: Credentials

    const USER_ACTIONS = [
      'PutUserPolicy',
      'DeleteUserPolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'DeleteUserPermissionsBoundary',
    ]
    const ROLE_ACTIONS = [
      'GetRole',
      'UpdateRole',
      'UpdateRoleDescription',
      'UpdateAssumeRolePolicy',
      'PutRolePolicy',
      'DeleteRolePolicy',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'DeleteRolePermissionsBoundary',
      'DeleteRole',
    ]

    before(async () => {
      for (const name of ['Boundary', 'OtherBoundary', 'ReadOnly']) {
        await ok(
          g.call('CreatePolicy', {
            PolicyName: name,
            PolicyDocument: policy('Allow', ['s3:Get*', 's3:List*']),
          }),
        )
      }
      // AWS's delegation pattern: the delegate may attach policies only to users and roles
      // that keep the approved boundary.
      delegate = await userWithPolicy(
        g,
        'delegate',
        policy('Allow', ['iam:AttachUserPolicy', 'iam:AttachRolePolicy'], '*', {
          StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
        }),
      )
      // Its converse: anything but these actions on what has the approved boundary.
      guarded = await userWithPolicy(
        g,
        'guarded',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: [...USER_ACTIONS, ...ROLE_ACTIONS].map((a) => `iam:${a}`),
              Resource: '*',
              Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
            },
          ],
        }),
      )
      await ok(g.call('CreateUser', { UserName: 'bounded', PermissionsBoundary: BOUNDARY }))
      await ok(g.call('CreateUser', { UserName: 'free' }))
      await ok(g.call('CreateUser', { UserName: 'elsewhere', PermissionsBoundary: OTHER_BOUNDARY }))
      for (const [name, boundary] of [
        ['BoundedRole', BOUNDARY],
        ['FreeRole', undefined],
        ['OtherRole', OTHER_BOUNDARY],
      ] as const) {
        await ok(
          g.call('CreateRole', {
            RoleName: name,
            AssumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
            ...(boundary === undefined ? {} : { PermissionsBoundary: boundary }),
          }),
        )
      }
    })

    const attachments = [
      { action: 'AttachUserPolicy', holder: { UserName: 'bounded' }, allowed: true },
      { action: 'AttachUserPolicy', holder: { UserName: 'free' }, allowed: false },
      { action: 'AttachUserPolicy', holder: { UserName: 'elsewhere' }, allowed: false },
      { action: 'AttachRolePolicy', holder: { RoleName: 'BoundedRole' }, allowed: true },
      { action: 'AttachRolePolicy', holder: { RoleName: 'FreeRole' }, allowed: false },
    ]
    for (const { action, holder, allowed } of attachments) {
      const [, name] = Object.entries(holder)[0] as [string, string]
      it(`${allowed ? 'lets' : 'does not let'} the delegate ${action} to ${name}`, async () => {
        const r = await g.call(action, { ...holder, PolicyArn: READ_ONLY }, { key: delegate })
        const kind = 'UserName' in holder ? 'user' : 'role'
        const list = kind === 'user' ? 'ListAttachedUserPolicies' : 'ListAttachedRolePolicies'
        if (allowed) {
          assert.equal(r.status, 200, r.body)
        } else {
          assertError(
            r,
            403,
            'AccessDenied',
            implicitDenial(DELEGATE, `iam:${action}`, `${ARN}:${kind}/${name}`),
          )
        }
        const attached = await ok(g.call(list, holder))
        assert.deepEqual(
          xmlAll(attached.xml, `${list}Result/AttachedPolicies/member`).map((m) =>
            xmlText(m, 'PolicyArn'),
          ),
          allowed ? [READ_ONLY] : [],
        )
      })
    }

    /** The parameters of each action on a user or role named `name`. */
    function paramsOf(action: string, name: string): Record<string, string> {
      const holder = action.includes('User') ? { UserName: name } : { RoleName: name }
      switch (action) {
        case 'PutUserPolicy':
        case 'PutRolePolicy':
          return { ...holder, PolicyName: 'inline', PolicyDocument: policy('Allow', 's3:*') }
        case 'DeleteUserPolicy':
        case 'DeleteRolePolicy':
          return { ...holder, PolicyName: 'inline' }
        case 'AttachUserPolicy':
        case 'DetachUserPolicy':
        case 'AttachRolePolicy':
        case 'DetachRolePolicy':
          return { ...holder, PolicyArn: READ_ONLY }
        case 'UpdateRole':
        case 'UpdateRoleDescription':
          return { ...holder, Description: 'changed' }
        case 'UpdateAssumeRolePolicy':
          return { ...holder, PolicyDocument: trustPolicy(ACCOUNT_ID) }
        default:
          return holder
      }
    }

    for (const action of [...USER_ACTIONS, ...ROLE_ACTIONS]) {
      const kind = action.includes('User') ? 'user' : 'role'
      it(`gives ${action} the ${kind}'s current boundary, and none for a ${kind} without`, async () => {
        const suffix = action.toLowerCase()
        const bounded = `b-${suffix}`
        const free = `f-${suffix}`
        for (const [name, boundary] of [
          [bounded, BOUNDARY],
          [free, undefined],
        ] as const) {
          const boundaryParam = boundary === undefined ? {} : { PermissionsBoundary: boundary }
          await ok(
            kind === 'user'
              ? g.call('CreateUser', { UserName: name, ...boundaryParam })
              : g.call('CreateRole', {
                  RoleName: name,
                  AssumeRolePolicyDocument: trustPolicy(ACCOUNT_ID),
                  ...boundaryParam,
                }),
          )
        }
        const denied = await g.call(`${action}`, paramsOf(action, bounded), { key: guarded })
        assertError(
          denied,
          403,
          'AccessDenied',
          explicitDenial(GUARDED, `iam:${action}`, `${ARN}:${kind}/${bounded}`),
        )
        // Without a boundary the Deny does not match: IAM answers as it would anyone allowed
        // (NoSuchEntity for an inline policy or attachment the entity does not have, say).
        const allowed = await g.call(`${action}`, paramsOf(action, free), { key: guarded })
        assert.notEqual(allowed.status, 403, allowed.body)
        assert.notEqual(allowed.status, 500, allowed.body)
      })
    }

    const puts = [
      {
        action: 'PutUserPermissionsBoundary',
        holder: { UserName: 'bounded' },
        asked: OTHER_BOUNDARY,
      },
      { action: 'PutUserPermissionsBoundary', holder: { UserName: 'elsewhere' }, asked: BOUNDARY },
      {
        action: 'PutRolePermissionsBoundary',
        holder: { RoleName: 'BoundedRole' },
        asked: OTHER_BOUNDARY,
      },
      { action: 'PutRolePermissionsBoundary', holder: { RoleName: 'OtherRole' }, asked: BOUNDARY },
    ]
    for (const { action, holder, asked } of puts) {
      const [, name] = Object.entries(holder)[0] as [string, string]
      const refused = asked === OTHER_BOUNDARY
      it(`gives ${action} on ${name} the boundary asked for, not the one it has`, async () => {
        // Denied setting OTHER_BOUNDARY, whatever the entity has now.
        const putter = await userWithPolicy(
          g,
          `putter-${name.toLowerCase()}`,
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
              {
                Effect: 'Deny',
                Action: `iam:${action}`,
                Resource: '*',
                Condition: { StringEquals: { 'iam:PermissionsBoundary': OTHER_BOUNDARY } },
              },
            ],
          }),
        )
        const r = await g.call(action, { ...holder, PermissionsBoundary: asked }, { key: putter })
        const kind = 'UserName' in holder ? 'user' : 'role'
        if (refused) {
          assertError(
            r,
            403,
            'AccessDenied',
            explicitDenial(
              `${ARN}:user/putter-${name.toLowerCase()}`,
              `iam:${action}`,
              `${ARN}:${kind}/${name}`,
            ),
          )
        } else {
          assert.equal(r.status, 200, r.body)
        }
      })
    }
  })
})
