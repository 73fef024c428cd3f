/**
 * Managed policies attached to users, groups and roles, in process: Attach/Detach/ListAttached
 * {User,Group,Role}Policies and ListEntitiesForPolicy, their errors and quotas, how they are
 * authorized, and that an attached policy's default version is what a user may do. Groups and
 * roles are made through the store, as their own operations belong to another family.
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
import { textOf } from '../errors/strict-xml.js'

const arn = (path: string, name: string): string =>
  `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`

function ok(r: Reply): Reply {
  assert.equal(r.status, 200, r.body)
  return r
}

function texts(r: Reply, path: string): string[] {
  return xmlAll(r.xml, path).map(textOf)
}

/** What differs between attaching to a user, a group and a role. */
interface HolderKind {
  readonly kind: 'User' | 'Group' | 'Role'
  readonly member: 'UserName' | 'GroupName' | 'RoleName'
  /** The word IAM's NoSuchEntity message uses. */
  readonly noun: string
  /** The quota name of IAM's LimitExceeded message. */
  readonly quota: string
  /** The longest name the model allows. */
  readonly maxName: number
  create(g: InProcess, name: string, path?: string): Promise<void>
}

const KINDS: readonly HolderKind[] = [
  {
    kind: 'User',
    member: 'UserName',
    noun: 'user',
    quota: 'PoliciesPerUser',
    maxName: 64,
    async create(g, name, path) {
      ok(
        await g.call('CreateUser', {
          UserName: name,
          ...(path === undefined ? {} : { Path: path }),
        }),
      )
    },
  },
  {
    kind: 'Group',
    member: 'GroupName',
    noun: 'group',
    quota: 'PoliciesPerGroup',
    maxName: 128,
    async create(g, name, path) {
      await g.store.transaction((tx) =>
        tx.createGroup({ accountId: ACCOUNT_ID, name, ...(path === undefined ? {} : { path }) }),
      )
    },
  },
  {
    kind: 'Role',
    member: 'RoleName',
    noun: 'role',
    quota: 'PoliciesPerRole',
    maxName: 64,
    async create(g, name, path) {
      await g.store.transaction((tx) =>
        tx.createRole({
          accountId: ACCOUNT_ID,
          name,
          assumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'ec2.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          ...(path === undefined ? {} : { path }),
        }),
      )
    },
  },
]

describe('IAM managed policy attachments', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    for (let i = 0; i < 12; i++) {
      const path = i % 2 === 0 ? '/even/' : '/odd/'
      ok(
        await g.call('CreatePolicy', {
          PolicyName: `P${String(i).padStart(2, '0')}`,
          Path: path,
          PolicyDocument: policy('Allow', 's3:GetObject'),
        }),
      )
    }
  })
  after(() => g.close())

  const policyArn = (i: number): string =>
    arn(i % 2 === 0 ? '/even/' : '/odd/', `P${String(i).padStart(2, '0')}`)

  for (const k of KINDS) {
    describe(`${k.kind} policies`, () => {
      const holder = `${k.noun}-holder`
      before(() => k.create(g, holder, '/team/'))

      it(`attaches, lists and detaches (Attach${k.kind}Policy, ListAttached${k.kind}Policies, Detach${k.kind}Policy)`, async () => {
        const count = async (): Promise<number> => {
          const got = ok(await g.call('GetPolicy', { PolicyArn: policyArn(1) }))
          return Number(xmlText(got.xml, 'GetPolicyResult/Policy/AttachmentCount'))
        }
        const before = await count()
        ok(await g.call(`Attach${k.kind}Policy`, { [k.member]: holder, PolicyArn: policyArn(0) }))
        ok(await g.call(`Attach${k.kind}Policy`, { [k.member]: holder, PolicyArn: policyArn(1) }))
        // Attaching again changes nothing.
        ok(await g.call(`Attach${k.kind}Policy`, { [k.member]: holder, PolicyArn: policyArn(1) }))
        const listed = ok(await g.call(`ListAttached${k.kind}Policies`, { [k.member]: holder }))
        const base = `ListAttached${k.kind}PoliciesResult`
        assert.deepEqual(texts(listed, `${base}/AttachedPolicies/member/PolicyName`), [
          'P00',
          'P01',
        ])
        assert.deepEqual(texts(listed, `${base}/AttachedPolicies/member/PolicyArn`), [
          policyArn(0),
          policyArn(1),
        ])
        assert.equal(xmlText(listed.xml, `${base}/IsTruncated`), 'false')
        assert.equal(await count(), before + 1)

        const odd = ok(
          await g.call(`ListAttached${k.kind}Policies`, {
            [k.member]: holder,
            PathPrefix: '/odd/',
          }),
        )
        assert.deepEqual(texts(odd, `${base}/AttachedPolicies/member/PolicyName`), ['P01'])
        const paged = ok(
          await g.call(`ListAttached${k.kind}Policies`, { [k.member]: holder, MaxItems: '1' }),
        )
        assert.equal(xmlText(paged.xml, `${base}/IsTruncated`), 'true')
        const rest = ok(
          await g.call(`ListAttached${k.kind}Policies`, {
            [k.member]: holder,
            Marker: xmlText(paged.xml, `${base}/Marker`) ?? '',
          }),
        )
        assert.deepEqual(texts(rest, `${base}/AttachedPolicies/member/PolicyName`), ['P01'])

        ok(await g.call(`Detach${k.kind}Policy`, { [k.member]: holder, PolicyArn: policyArn(0) }))
        ok(await g.call(`Detach${k.kind}Policy`, { [k.member]: holder, PolicyArn: policyArn(1) }))
        assert.equal(await count(), before)
        const empty = ok(await g.call(`ListAttached${k.kind}Policies`, { [k.member]: holder }))
        assert.equal(xmlAll(empty.xml, `${base}/AttachedPolicies`).length, 1)
        assert.equal(xmlAll(empty.xml, `${base}/AttachedPolicies/member`).length, 0)
      })

      it(`refuses an eleventh policy with LimitExceeded (${k.quota}: 10)`, async () => {
        const full = `${k.noun}-full`
        await k.create(g, full)
        for (let i = 0; i < 10; i++) {
          ok(await g.call(`Attach${k.kind}Policy`, { [k.member]: full, PolicyArn: policyArn(i) }))
        }
        // One already attached is no new attachment.
        ok(await g.call(`Attach${k.kind}Policy`, { [k.member]: full, PolicyArn: policyArn(9) }))
        const r = await g.call(`Attach${k.kind}Policy`, {
          [k.member]: full,
          PolicyArn: policyArn(10),
        })
        assert.equal(r.status, 409)
        assert.deepEqual(r.error, {
          code: 'LimitExceeded',
          message: `Cannot exceed quota for ${k.quota}: 10`,
        })
        const listed = ok(await g.call(`ListAttached${k.kind}Policies`, { [k.member]: full }))
        assert.equal(
          xmlAll(listed.xml, `ListAttached${k.kind}PoliciesResult/AttachedPolicies/member`).length,
          10,
        )
      })

      const errors: readonly {
        name: string
        action: string
        params: Record<string, string>
        status: number
        code: string
        message: string | RegExp
      }[] = [
        {
          name: `a ${k.noun} that does not exist`,
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: 'ghost', PolicyArn: arn('/', 'Missing') },
          status: 404,
          code: 'NoSuchEntity',
          message: `The ${k.noun} with name ghost cannot be found.`,
        },
        {
          name: 'a policy that does not exist',
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: holder, PolicyArn: arn('/', 'Missing') },
          status: 404,
          code: 'NoSuchEntity',
          message: `Policy ${arn('/', 'Missing')} does not exist or is not attachable.`,
        },
        {
          name: 'a policy named at the wrong path',
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: holder, PolicyArn: arn('/', 'P00') },
          status: 404,
          code: 'NoSuchEntity',
          message: `Policy ${arn('/', 'P00')} does not exist or is not attachable.`,
        },
        {
          name: 'an ARN that is not a policy ARN',
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: holder, PolicyArn: `arn:aws:iam::${ACCOUNT_ID}:role/x` },
          status: 400,
          code: 'InvalidInput',
          message: `ARN arn:aws:iam::${ACCOUNT_ID}:role/x is not valid.`,
        },
        {
          name: 'a policy that is not attached',
          action: `Detach${k.kind}Policy`,
          params: { [k.member]: holder, PolicyArn: policyArn(11) },
          status: 404,
          code: 'NoSuchEntity',
          message: `Policy ${policyArn(11)} was not found.`,
        },
        {
          name: 'detaching a policy that does not exist',
          action: `Detach${k.kind}Policy`,
          params: { [k.member]: holder, PolicyArn: arn('/', 'Missing') },
          status: 404,
          code: 'NoSuchEntity',
          message: `Policy ${arn('/', 'Missing')} was not found.`,
        },
        {
          name: `detaching from a ${k.noun} that does not exist`,
          action: `Detach${k.kind}Policy`,
          params: { [k.member]: 'ghost', PolicyArn: policyArn(0) },
          status: 404,
          code: 'NoSuchEntity',
          message: `The ${k.noun} with name ghost cannot be found.`,
        },
        {
          name: `listing for a ${k.noun} that does not exist`,
          action: `ListAttached${k.kind}Policies`,
          params: { [k.member]: 'ghost' },
          status: 404,
          code: 'NoSuchEntity',
          message: `The ${k.noun} with name ghost cannot be found.`,
        },
        {
          name: `a ${k.noun} name longer than the model allows`,
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: 'n'.repeat(k.maxName + 1), PolicyArn: policyArn(0) },
          status: 400,
          code: 'ValidationError',
          message: new RegExp(
            `at '${k.member.charAt(0).toLowerCase()}${k.member.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to ${k.maxName}`,
          ),
        },
        {
          name: 'a request without PolicyArn',
          action: `Attach${k.kind}Policy`,
          params: { [k.member]: holder },
          status: 400,
          code: 'ValidationError',
          message: /'policyArn' failed to satisfy constraint: Member must not be null/,
        },
        {
          name: 'a PathPrefix without a trailing slash',
          action: `ListAttached${k.kind}Policies`,
          params: { [k.member]: holder, PathPrefix: '/odd' },
          status: 400,
          code: 'ValidationError',
          message: /at 'pathPrefix' failed to satisfy constraint/,
        },
      ]
      for (const c of errors) {
        it(`answers ${c.name} with ${c.code}`, async () => {
          const r = await g.call(c.action, c.params)
          assert.equal(r.status, c.status, r.body)
          assert.equal(r.error?.code, c.code)
          if (typeof c.message === 'string') assert.equal(r.error?.message, c.message)
          else assert.match(r.error?.message ?? '', c.message)
        })
      }
    })
  }

  describe('ListEntitiesForPolicy', () => {
    let s: InProcess
    const shared = arn('/', 'Shared')
    before(async () => {
      s = await startInProcess()
      ok(
        await s.call('CreatePolicy', {
          PolicyName: 'Shared',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      for (const k of KINDS) {
        await k.create(s, `${k.noun}-a`, '/a/')
        await k.create(s, `${k.noun}-b`, '/b/')
        ok(await s.call(`Attach${k.kind}Policy`, { [k.member]: `${k.noun}-a`, PolicyArn: shared }))
        ok(await s.call(`Attach${k.kind}Policy`, { [k.member]: `${k.noun}-b`, PolicyArn: shared }))
      }
      ok(
        await s.call('CreateUser', {
          UserName: 'user-bounded',
          Path: '/a/',
          PermissionsBoundary: shared,
        }),
      )
    })
    after(() => s.close())

    const entities = (r: Reply) => ({
      groups: texts(r, 'ListEntitiesForPolicyResult/PolicyGroups/member/GroupName'),
      users: texts(r, 'ListEntitiesForPolicyResult/PolicyUsers/member/UserName'),
      roles: texts(r, 'ListEntitiesForPolicyResult/PolicyRoles/member/RoleName'),
    })

    const cases: readonly {
      name: string
      params: Record<string, string>
      want: { groups: string[]; users: string[]; roles: string[] }
    }[] = [
      {
        name: 'every entity using the policy either way',
        params: {},
        want: {
          groups: ['group-a', 'group-b'],
          users: ['user-a', 'user-b', 'user-bounded'],
          roles: ['role-a', 'role-b'],
        },
      },
      {
        name: 'EntityFilter=Role',
        params: { EntityFilter: 'Role' },
        want: { groups: [], users: [], roles: ['role-a', 'role-b'] },
      },
      {
        name: 'EntityFilter=Group',
        params: { EntityFilter: 'Group' },
        want: { groups: ['group-a', 'group-b'], users: [], roles: [] },
      },
      {
        name: 'EntityFilter=LocalManagedPolicy (no user, group or role)',
        params: { EntityFilter: 'LocalManagedPolicy' },
        want: { groups: [], users: [], roles: [] },
      },
      {
        name: 'PathPrefix=/a/',
        params: { PathPrefix: '/a/' },
        want: { groups: ['group-a'], users: ['user-a', 'user-bounded'], roles: ['role-a'] },
      },
      {
        name: 'PolicyUsageFilter=PermissionsBoundary',
        params: { PolicyUsageFilter: 'PermissionsBoundary' },
        want: { groups: [], users: ['user-bounded'], roles: [] },
      },
      {
        name: 'PolicyUsageFilter=PermissionsPolicy with EntityFilter=User',
        params: { PolicyUsageFilter: 'PermissionsPolicy', EntityFilter: 'User' },
        want: { groups: [], users: ['user-a', 'user-b'], roles: [] },
      },
    ]
    for (const c of cases) {
      it(`lists ${c.name}`, async () => {
        const r = ok(await s.call('ListEntitiesForPolicy', { PolicyArn: shared, ...c.params }))
        assert.deepEqual(entities(r), c.want)
        // The three lists are always there, empty or not.
        for (const list of ['PolicyGroups', 'PolicyUsers', 'PolicyRoles']) {
          assert.equal(xmlAll(r.xml, `ListEntitiesForPolicyResult/${list}`).length, 1, list)
        }
      })
    }

    it('returns the ids of the entities', async () => {
      const r = ok(
        await s.call('ListEntitiesForPolicy', { PolicyArn: shared, EntityFilter: 'User' }),
      )
      for (const id of texts(r, 'ListEntitiesForPolicyResult/PolicyUsers/member/UserId')) {
        assert.match(id, /^AIDA[A-Z2-7]{17}$/)
      }
      const roles = ok(
        await s.call('ListEntitiesForPolicy', { PolicyArn: shared, EntityFilter: 'Role' }),
      )
      for (const id of texts(roles, 'ListEntitiesForPolicyResult/PolicyRoles/member/RoleId')) {
        assert.match(id, /^AROA[A-Z2-7]{17}$/)
      }
    })

    it('pages across groups, roles and users', async () => {
      const seen: string[] = []
      let marker: string | undefined
      let pages = 0
      do {
        const r = ok(
          await s.call('ListEntitiesForPolicy', {
            PolicyArn: shared,
            MaxItems: '2',
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        )
        const e = entities(r)
        seen.push(...e.groups, ...e.roles, ...e.users)
        marker = xmlText(r.xml, 'ListEntitiesForPolicyResult/Marker')
        assert.equal(
          xmlText(r.xml, 'ListEntitiesForPolicyResult/IsTruncated'),
          String(marker !== undefined),
        )
        pages++
      } while (marker !== undefined)
      assert.equal(pages, 4)
      assert.deepEqual(seen, [
        'group-a',
        'group-b',
        'role-a',
        'role-b',
        'user-a',
        'user-b',
        'user-bounded',
      ])
    })

    it('answers a missing policy with NoSuchEntity', async () => {
      const r = await s.call('ListEntitiesForPolicy', { PolicyArn: arn('/', 'Missing') })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: `Policy ${arn('/', 'Missing')} was not found.`,
      })
    })

    it('refuses an EntityFilter outside the enum', async () => {
      const r = await s.call('ListEntitiesForPolicy', { PolicyArn: shared, EntityFilter: 'Users' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set/,
      )
    })
  })

  describe('authorization of attachments', () => {
    let s: InProcess
    let admin: Credentials
    const allowed = arn('/', 'Allowed')
    const other = arn('/', 'Other')
    before(async () => {
      s = await startInProcess()
      ok(
        await s.call('CreatePolicy', {
          PolicyName: 'Allowed',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      ok(
        await s.call('CreatePolicy', {
          PolicyName: 'Other',
          PolicyDocument: policy('Allow', 's3:*'),
        }),
      )
      ok(await s.call('CreateUser', { UserName: 'member', Path: '/team/' }))
      ok(await s.call('CreateUser', { UserName: 'outsider' }))
      admin = await createUserWithKey(s, 'attacher')
      ok(
        await s.call('PutUserPolicy', {
          UserName: 'attacher',
          PolicyName: 'AttachOnlyAllowed',
          PolicyDocument: policy(
            'Allow',
            ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
            `arn:aws:iam::${ACCOUNT_ID}:user/team/*`,
            { ArnEquals: { 'iam:PolicyARN': allowed } },
          ),
        }),
      )
    })
    after(() => s.close())

    it('allows attaching on the user ARN, path included, when iam:PolicyARN matches', async () => {
      ok(
        await s.call(
          'AttachUserPolicy',
          { UserName: 'member', PolicyArn: allowed },
          { key: admin },
        ),
      )
      ok(
        await s.call(
          'DetachUserPolicy',
          { UserName: 'member', PolicyArn: allowed },
          { key: admin },
        ),
      )
    })

    it('denies another policy ARN', async () => {
      const r = await s.call(
        'AttachUserPolicy',
        { UserName: 'member', PolicyArn: other },
        { key: admin },
      )
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/attacher is not authorized to perform: iam:AttachUserPolicy on resource: arn:aws:iam::${ACCOUNT_ID}:user/team/member because no identity-based policy allows the iam:AttachUserPolicy action`,
      })
    })

    it('denies a user outside the path, and a missing user at the root path before NoSuchEntity', async () => {
      const outside = await s.call(
        'AttachUserPolicy',
        { UserName: 'outsider', PolicyArn: allowed },
        { key: admin },
      )
      assert.equal(outside.error?.code, 'AccessDenied')
      const ghost = await s.call(
        'AttachUserPolicy',
        { UserName: 'ghost', PolicyArn: allowed },
        { key: admin },
      )
      assert.deepEqual(ghost.error, {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT_ID}:user/attacher is not authorized to perform: iam:AttachUserPolicy on resource: arn:aws:iam::${ACCOUNT_ID}:user/ghost because no identity-based policy allows the iam:AttachUserPolicy action`,
      })
    })
  })

  describe('what an attached policy allows', () => {
    let s: InProcess
    let user: Credentials
    const granting = arn('/', 'Granting')
    before(async () => {
      s = await startInProcess()
      user = await createUserWithKey(s, 'worker')
      ok(
        await s.call('CreatePolicy', {
          PolicyName: 'Granting',
          PolicyDocument: policy('Allow', 'iam:ListUsers'),
        }),
      )
    })
    after(() => s.close())

    const denied = (r: Reply): void => {
      assert.equal(r.status, 403, r.body)
      assert.equal(r.error?.code, 'AccessDenied')
    }

    it("follows the user's attachments and the policy's default version", async () => {
      denied(await s.call('ListUsers', {}, { key: user }))

      ok(await s.call('AttachUserPolicy', { UserName: 'worker', PolicyArn: granting }))
      const listed = ok(await s.call('ListUsers', {}, { key: user }))
      assert.deepEqual(texts(listed, 'ListUsersResult/Users/member/UserName'), ['worker'])

      // v2 no longer allows iam:ListUsers: a new version changes nothing until it is the default.
      ok(
        await s.call('CreatePolicyVersion', {
          PolicyArn: granting,
          PolicyDocument: policy('Allow', 'iam:GetUser'),
        }),
      )
      ok(await s.call('ListUsers', {}, { key: user }))
      ok(await s.call('SetDefaultPolicyVersion', { PolicyArn: granting, VersionId: 'v2' }))
      denied(await s.call('ListUsers', {}, { key: user }))
      ok(await s.call('GetUser', {}, { key: user }))

      ok(await s.call('SetDefaultPolicyVersion', { PolicyArn: granting, VersionId: 'v1' }))
      ok(await s.call('ListUsers', {}, { key: user }))
      ok(await s.call('DetachUserPolicy', { UserName: 'worker', PolicyArn: granting }))
      denied(await s.call('ListUsers', {}, { key: user }))
    })

    it("applies a policy attached to the user's group", async () => {
      await s.store.transaction(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT_ID, name: 'workers' })
        await tx.addUserToGroup(ACCOUNT_ID, 'workers', 'worker')
      })
      denied(await s.call('ListUsers', {}, { key: user }))
      ok(await s.call('AttachGroupPolicy', { GroupName: 'workers', PolicyArn: granting }))
      ok(await s.call('ListUsers', {}, { key: user }))
      ok(await s.call('DetachGroupPolicy', { GroupName: 'workers', PolicyArn: granting }))
      denied(await s.call('ListUsers', {}, { key: user }))
    })
  })
})
