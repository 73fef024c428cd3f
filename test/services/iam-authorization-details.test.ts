/**
 * GetAccountAuthorizationDetails in process: every list with its details (inline policies and
 * their documents, groups, attached policies, boundaries, tags, instance profiles, every policy
 * version), each Filter, Marker/MaxItems paging across the lists, its input errors as the other
 * list operations give them, and its authorization.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { IAM_OPERATIONS } from '../../src/services/iam/operations.js'
import { childElements, textOf } from '../errors/strict-xml.js'
import type { XmlElement } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { InProcess, Reply } from '../support/in-process.js'

const RESULT = 'GetAccountAuthorizationDetailsResult'
const LIST_MEMBERS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const

// The response's lists, nested ones included: an empty one is an empty element, like a leaf.
const LISTS = new Set<string>([
  ...LIST_MEMBERS,
  'UserPolicyList',
  'GroupList',
  'AttachedManagedPolicies',
  'Tags',
  'GroupPolicyList',
  'InstanceProfileList',
  'Roles',
  'RolePolicyList',
  'PolicyVersionList',
])
const DOCUMENTS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'])

type Value = string | Value[] | { [member: string]: Value }

/** The elements among an element's children (childElements refuses a leaf's text). */
function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string')
}

/** An element as a plain value, its policy documents URL-decoded. */
function plain(element: XmlElement): Value {
  if (LISTS.has(element.name)) return childElements(element).map(plain)
  const children = elements(element)
  if (children.length === 0) {
    const text = textOf(element)
    return DOCUMENTS.has(element.name) ? decodeURIComponent(text) : text
  }
  return Object.fromEntries(children.map((child) => [child.name, plain(child)]))
}

/** The call succeeded; its body is the message otherwise. */
function ok(r: Reply): Reply {
  assert.equal(r.status, 200, r.body)
  return r
}

/** The four lists of a response, as plain values. */
function lists(r: Reply): Record<(typeof LIST_MEMBERS)[number], Value[]> {
  const [users, groups, roles, policies] = LIST_MEMBERS.map((name) => {
    const found = xmlAll(r.xml, `${RESULT}/${name}`)
    // Every list is sent, empty or not.
    assert.equal(found.length, 1, `${name} in ${r.body}`)
    return plain(found[0] as XmlElement) as Value[]
  }) as [Value[], Value[], Value[], Value[]]
  return {
    UserDetailList: users,
    GroupDetailList: groups,
    RoleDetailList: roles,
    Policies: policies,
  }
}

/** The names of the items of each list, in order. */
function names(r: Reply): string[][] {
  const all = lists(r)
  const name = (key: string) => (item: Value) => (item as Record<string, string>)[key] ?? ''
  return [
    all.UserDetailList.map(name('UserName')),
    all.GroupDetailList.map(name('GroupName')),
    all.RoleDetailList.map(name('RoleName')),
    all.Policies.map(name('PolicyName')),
  ]
}

/** Filter as the wire sends it. */
function filter(...types: string[]): Record<string, string> {
  return Object.fromEntries(types.map((t, i) => [`Filter.member.${i + 1}`, t]))
}

// The documents as put: white space, a `+`, a `*`, an `é` and a space inside a value, so that a
// decoding that is not RFC 3986's (a `+` read as a space) shows.
const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"sts:ExternalId": "a+b* é"}}}]
}`
const FENCE = policy('Allow', ['s3:*', 'iam:*'])
const READER_V1 = policy('Allow', 'iam:Get*')
const READER_V2 = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a+b c"}}}]}`
const UNUSED = policy('Deny', 'ec2:*')
const ALPHA = policy('Allow', 'sts:GetCallerIdentity')
const ZETA = `{ "Version": "2012-10-17", "Statement": { "Effect": "Deny", "Action": "iam:Delete*", "Resource": "*" } }`
const DEV_INLINE = policy('Allow', 'iam:ListUsers')
const ROLE_INLINE = policy('Allow', 's3:GetObject', 'arn:aws:s3:::bucket/*')

const arnOf = (kind: string, pathAndName: string): string =>
  `arn:aws:iam::${ACCOUNT_ID}:${kind}${pathAndName}`

describe('IAM GetAccountAuthorizationDetails', () => {
  let g: InProcess
  // What each create call returned: ids and dates.
  const made: Record<string, string> = {}

  async function details(params: Record<string, string> = {}): Promise<Reply> {
    return ok(await g.call('GetAccountAuthorizationDetails', params))
  }

  before(async () => {
    g = await startInProcess()
    const fence = ok(await g.call('CreatePolicy', { PolicyName: 'Fence', PolicyDocument: FENCE }))
    made['fence'] = xmlText(fence.xml, 'CreatePolicyResult/Policy/PolicyId') ?? ''
    made['fenceDate'] = xmlText(fence.xml, 'CreatePolicyResult/Policy/CreateDate') ?? ''
    const reader = ok(
      await g.call('CreatePolicy', {
        PolicyName: 'Reader',
        Path: '/audit/',
        PolicyDocument: READER_V1,
        Description: 'Reads things',
      }),
    )
    made['reader'] = xmlText(reader.xml, 'CreatePolicyResult/Policy/PolicyId') ?? ''
    made['readerDate'] = xmlText(reader.xml, 'CreatePolicyResult/Policy/CreateDate') ?? ''
    const v2 = ok(
      await g.call('CreatePolicyVersion', {
        PolicyArn: arnOf('policy', '/audit/Reader'),
        PolicyDocument: READER_V2,
        SetAsDefault: 'true',
      }),
    )
    made['readerV2Date'] =
      xmlText(v2.xml, 'CreatePolicyVersionResult/PolicyVersion/CreateDate') ?? ''
    const unused = ok(
      await g.call('CreatePolicy', { PolicyName: 'Unused', PolicyDocument: UNUSED }),
    )
    made['unused'] = xmlText(unused.xml, 'CreatePolicyResult/Policy/PolicyId') ?? ''
    made['unusedDate'] = xmlText(unused.xml, 'CreatePolicyResult/Policy/CreateDate') ?? ''

    for (const [name, path, extra] of [
      [
        'ada',
        '/eng/',
        {
          PermissionsBoundary: arnOf('policy', '/Fence'),
          'Tags.member.1.Key': 'Team',
          'Tags.member.1.Value': 'core',
          'Tags.member.2.Key': 'Cost',
          'Tags.member.2.Value': '42',
        },
      ],
      ['bo', '/', {}],
    ] as const) {
      const r = ok(await g.call('CreateUser', { UserName: name, Path: path, ...extra }))
      made[`${name}:id`] = xmlText(r.xml, 'CreateUserResult/User/UserId') ?? ''
      made[`${name}:date`] = xmlText(r.xml, 'CreateUserResult/User/CreateDate') ?? ''
    }
    for (const name of ['devs', 'ops']) {
      const r = ok(await g.call('CreateGroup', { GroupName: name }))
      made[`${name}:id`] = xmlText(r.xml, 'CreateGroupResult/Group/GroupId') ?? ''
      made[`${name}:date`] = xmlText(r.xml, 'CreateGroupResult/Group/CreateDate') ?? ''
    }
    for (const [name, path, extra] of [
      [
        'app',
        '/svc/',
        {
          Description: 'The app',
          PermissionsBoundary: arnOf('policy', '/Fence'),
          'Tags.member.1.Key': 'Env',
          'Tags.member.1.Value': 'prod',
        },
      ],
      ['plain', '/', {}],
    ] as const) {
      const r = ok(
        await g.call('CreateRole', {
          RoleName: name,
          Path: path,
          AssumeRolePolicyDocument: TRUST,
          ...extra,
        }),
      )
      made[`${name}:id`] = xmlText(r.xml, 'CreateRoleResult/Role/RoleId') ?? ''
      made[`${name}:date`] = xmlText(r.xml, 'CreateRoleResult/Role/CreateDate') ?? ''
    }
    const profile = ok(
      await g.call('CreateInstanceProfile', { InstanceProfileName: 'app-profile', Path: '/ip/' }),
    )
    const p = 'CreateInstanceProfileResult/InstanceProfile'
    made['profile:id'] = xmlText(profile.xml, `${p}/InstanceProfileId`) ?? ''
    made['profile:date'] = xmlText(profile.xml, `${p}/CreateDate`) ?? ''
    ok(
      await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'app-profile',
        RoleName: 'app',
      }),
    )

    ok(await g.call('PutUserPolicy', { UserName: 'ada', PolicyName: 'Zeta', PolicyDocument: ZETA }))
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'ada',
        PolicyName: 'alpha',
        PolicyDocument: ALPHA,
      }),
    )
    ok(await g.call('AddUserToGroup', { GroupName: 'ops', UserName: 'ada' }))
    ok(await g.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ada' }))
    const readerArn = arnOf('policy', '/audit/Reader')
    ok(await g.call('AttachUserPolicy', { UserName: 'ada', PolicyArn: readerArn }))
    ok(
      await g.call('PutGroupPolicy', {
        GroupName: 'devs',
        PolicyName: 'DevInline',
        PolicyDocument: DEV_INLINE,
      }),
    )
    ok(await g.call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: readerArn }))
    ok(
      await g.call('PutRolePolicy', {
        RoleName: 'app',
        PolicyName: 'RoleInline',
        PolicyDocument: ROLE_INLINE,
      }),
    )
    ok(await g.call('AttachRolePolicy', { RoleName: 'app', PolicyArn: readerArn }))
  })
  after(() => g.close())

  const reader = () => ({ PolicyName: 'Reader', PolicyArn: arnOf('policy', '/audit/Reader') })
  const fence = () => ({
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: arnOf('policy', '/Fence'),
  })
  const appRole = () => ({
    Path: '/svc/',
    RoleName: 'app',
    RoleId: made['app:id'],
    Arn: arnOf('role', '/svc/app'),
    CreateDate: made['app:date'],
    AssumeRolePolicyDocument: TRUST,
  })

  it('is iam:GetAccountAuthorizationDetails, read-only', () => {
    const operation = IAM_OPERATIONS.get('GetAccountAuthorizationDetails')
    assert.equal(operation?.action, 'iam:GetAccountAuthorizationDetails')
    assert.equal(operation.readOnly, true)
  })

  it('returns every user with its inline policies, groups, attached policies, boundary and tags', async () => {
    const { UserDetailList } = lists(await details())
    assert.deepEqual(UserDetailList, [
      {
        Path: '/eng/',
        UserName: 'ada',
        UserId: made['ada:id'],
        Arn: arnOf('user', '/eng/ada'),
        CreateDate: made['ada:date'],
        // By name without case, as ListUserPolicies lists them; the documents as they were put.
        UserPolicyList: [
          { PolicyName: 'alpha', PolicyDocument: ALPHA },
          { PolicyName: 'Zeta', PolicyDocument: ZETA },
        ],
        GroupList: ['devs', 'ops'],
        AttachedManagedPolicies: [reader()],
        PermissionsBoundary: fence(),
        Tags: [
          { Key: 'Cost', Value: '42' },
          { Key: 'Team', Value: 'core' },
        ],
      },
      {
        Path: '/',
        UserName: 'bo',
        UserId: made['bo:id'],
        Arn: arnOf('user', '/bo'),
        CreateDate: made['bo:date'],
        UserPolicyList: [],
        GroupList: [],
        AttachedManagedPolicies: [],
      },
    ])
  })

  it('returns every group with its inline and attached policies', async () => {
    const { GroupDetailList } = lists(await details())
    assert.deepEqual(GroupDetailList, [
      {
        Path: '/',
        GroupName: 'devs',
        GroupId: made['devs:id'],
        Arn: arnOf('group', '/devs'),
        CreateDate: made['devs:date'],
        GroupPolicyList: [{ PolicyName: 'DevInline', PolicyDocument: DEV_INLINE }],
        AttachedManagedPolicies: [reader()],
      },
      {
        Path: '/',
        GroupName: 'ops',
        GroupId: made['ops:id'],
        Arn: arnOf('group', '/ops'),
        CreateDate: made['ops:date'],
        GroupPolicyList: [],
        AttachedManagedPolicies: [],
      },
    ])
  })

  it('returns every role with its trust policy, instance profiles, policies, boundary and tags', async () => {
    const { RoleDetailList } = lists(await details())
    assert.deepEqual(RoleDetailList, [
      {
        ...appRole(),
        InstanceProfileList: [
          {
            Path: '/ip/',
            InstanceProfileName: 'app-profile',
            InstanceProfileId: made['profile:id'],
            Arn: arnOf('instance-profile', '/ip/app-profile'),
            CreateDate: made['profile:date'],
            // The profile's role as ListInstanceProfilesForRole shows it.
            Roles: [{ ...appRole(), Description: 'The app', MaxSessionDuration: '3600' }],
          },
        ],
        RolePolicyList: [{ PolicyName: 'RoleInline', PolicyDocument: ROLE_INLINE }],
        AttachedManagedPolicies: [reader()],
        PermissionsBoundary: fence(),
        Tags: [{ Key: 'Env', Value: 'prod' }],
        // Never used: IAM's empty <RoleLastUsed/>.
        RoleLastUsed: '',
      },
      {
        Path: '/',
        RoleName: 'plain',
        RoleId: made['plain:id'],
        Arn: arnOf('role', '/plain'),
        CreateDate: made['plain:date'],
        AssumeRolePolicyDocument: TRUST,
        InstanceProfileList: [],
        RolePolicyList: [],
        AttachedManagedPolicies: [],
        RoleLastUsed: '',
      },
    ])
  })

  it('returns every customer managed policy with its counts and every version, newest first', async () => {
    const { Policies } = lists(await details())
    assert.deepEqual(Policies, [
      {
        PolicyName: 'Fence',
        PolicyId: made['fence'],
        Arn: arnOf('policy', '/Fence'),
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: '0',
        PermissionsBoundaryUsageCount: '2',
        IsAttachable: 'true',
        CreateDate: made['fenceDate'],
        UpdateDate: made['fenceDate'],
        PolicyVersionList: [
          {
            Document: FENCE,
            VersionId: 'v1',
            IsDefaultVersion: 'true',
            CreateDate: made['fenceDate'],
          },
        ],
      },
      {
        PolicyName: 'Reader',
        PolicyId: made['reader'],
        Arn: arnOf('policy', '/audit/Reader'),
        Path: '/audit/',
        DefaultVersionId: 'v2',
        AttachmentCount: '3',
        PermissionsBoundaryUsageCount: '0',
        IsAttachable: 'true',
        Description: 'Reads things',
        CreateDate: made['readerDate'],
        UpdateDate: made['readerV2Date'],
        PolicyVersionList: [
          {
            Document: READER_V2,
            VersionId: 'v2',
            IsDefaultVersion: 'true',
            CreateDate: made['readerV2Date'],
          },
          {
            Document: READER_V1,
            VersionId: 'v1',
            IsDefaultVersion: 'false',
            CreateDate: made['readerDate'],
          },
        ],
      },
      {
        PolicyName: 'Unused',
        PolicyId: made['unused'],
        Arn: arnOf('policy', '/Unused'),
        Path: '/',
        DefaultVersionId: 'v1',
        AttachmentCount: '0',
        PermissionsBoundaryUsageCount: '0',
        IsAttachable: 'true',
        CreateDate: made['unusedDate'],
        UpdateDate: made['unusedDate'],
        PolicyVersionList: [
          {
            Document: UNUSED,
            VersionId: 'v1',
            IsDefaultVersion: 'true',
            CreateDate: made['unusedDate'],
          },
        ],
      },
    ])
  })

  it('sends policy documents RFC 3986-encoded: a space as %20, a + as %2B', async () => {
    const r = await details(filter('LocalManagedPolicy'))
    const documents = xmlAll(r.xml, `${RESULT}/Policies/member/PolicyVersionList/member/Document`)
    const v2 = documents.map(textOf).find((d) => decodeURIComponent(d) === READER_V2)
    assert.ok(v2 !== undefined)
    assert.match(v2, /%22a%2Bb%20c%22/)
    assert.doesNotMatch(v2, /[ +*"]/)
    assert.equal(xmlText(r.xml, `${RESULT}/IsTruncated`), 'false')
    assert.equal(xmlText(r.xml, `${RESULT}/Marker`), undefined)
  })

  it('lists only what each Filter selects, sending the other lists empty', async () => {
    const all = [
      ['ada', 'bo'],
      ['devs', 'ops'],
      ['app', 'plain'],
      ['Fence', 'Reader', 'Unused'],
    ]
    assert.deepEqual(names(await details()), all)
    assert.deepEqual(names(await details(filter('User'))), [all[0], [], [], []])
    assert.deepEqual(names(await details(filter('Group'))), [[], all[1], [], []])
    assert.deepEqual(names(await details(filter('Role'))), [[], [], all[2], []])
    assert.deepEqual(names(await details(filter('LocalManagedPolicy'))), [[], [], [], all[3]])
    // Several types at once, in any order, a repeat included.
    assert.deepEqual(names(await details(filter('LocalManagedPolicy', 'User', 'User'))), [
      all[0],
      [],
      [],
      all[3],
    ])
    // An empty Filter names nothing to keep, so, like none, it keeps everything.
    assert.deepEqual(names(await details({ Filter: '' })), all)
  })

  it('lists for AWSManagedPolicy what ListPolicies lists for Scope=AWS: none', async () => {
    const scoped = ok(await g.call('ListPolicies', { Scope: 'AWS' }))
    assert.deepEqual(xmlAll(scoped.xml, 'ListPoliciesResult/Policies/member'), [])
    assert.deepEqual(names(await details(filter('AWSManagedPolicy'))), [[], [], [], []])
    assert.deepEqual(names(await details(filter('AWSManagedPolicy', 'Group'))), [
      [],
      ['devs', 'ops'],
      [],
      [],
    ])
  })

  /** Every page from the first, with its names per list and its Marker. */
  async function walk(params: Record<string, string>) {
    const pages: { names: string[][]; marker: string | undefined }[] = []
    let marker: string | undefined
    do {
      const r = await details({ ...params, ...(marker === undefined ? {} : { Marker: marker }) })
      marker = xmlText(r.xml, `${RESULT}/Marker`)
      assert.equal(xmlText(r.xml, `${RESULT}/IsTruncated`), String(marker !== undefined))
      pages.push({ names: names(r), marker })
      assert.ok(pages.length <= 20, 'the pages do not end')
    } while (marker !== undefined)
    return pages
  }

  it('pages across the lists with MaxItems, a page holding items of several lists', async () => {
    const pages = await walk({ MaxItems: '3' })
    assert.deepEqual(
      pages.map((p) => p.names),
      [
        [['ada', 'bo'], ['devs'], [], []],
        [[], ['ops'], ['app', 'plain'], []],
        // The last page is exactly full: no Marker on it, and no empty page after it.
        [[], [], [], ['Fence', 'Reader', 'Unused']],
      ],
    )
  })

  it('gives every item exactly once, in order, whatever the page size', async () => {
    const whole = names(await details())
    const total = whole.flat().length
    for (let maxItems = 1; maxItems <= total + 1; maxItems++) {
      const pages = await walk({ MaxItems: String(maxItems) })
      assert.equal(pages.length, Math.ceil(total / maxItems), `MaxItems ${maxItems}`)
      for (const [i, page] of pages.entries()) {
        const count = page.names.flat().length
        if (i < pages.length - 1) assert.equal(count, maxItems, `MaxItems ${maxItems} page ${i}`)
      }
      const joined = [0, 1, 2, 3].map((list) => pages.flatMap((p) => p.names[list] ?? []))
      assert.deepEqual(joined, whole, `MaxItems ${maxItems}`)
    }
  })

  it('pages a filtered listing, skipping the lists the Filter leaves out', async () => {
    const pages = await walk({ MaxItems: '2', ...filter('Role', 'LocalManagedPolicy') })
    assert.deepEqual(
      pages.map((p) => p.names),
      [
        [[], [], ['app', 'plain'], []],
        [[], [], [], ['Fence', 'Reader']],
        [[], [], [], ['Unused']],
      ],
    )
    // A Marker into a list the next call's Filter leaves out goes on with the lists after it.
    const first = await details({ MaxItems: '1' })
    const marker = xmlText(first.xml, `${RESULT}/Marker`) ?? ''
    assert.deepEqual(names(await details({ Marker: marker, ...filter('Role', 'Group') })), [
      [],
      ['devs', 'ops'],
      ['app', 'plain'],
      [],
    ])
  })

  it('takes a Marker it did not hand out as ListUsers takes it', async () => {
    for (const marker of ['b', 'Yg', 'zzzz', '!', 'bm90LWEtbWFya2Vy']) {
      const users = await g.call('ListUsers', { Marker: marker })
      const got = await g.call('GetAccountAuthorizationDetails', {
        Marker: marker,
        ...filter('User'),
      })
      assert.equal(got.status, users.status, marker)
      if (users.error !== undefined) assert.deepEqual(got.error, users.error)
      else {
        assert.deepEqual(
          names(got)[0],
          xmlAll(users.xml, 'ListUsersResult/Users/member/UserName').map(textOf),
          marker,
        )
      }
    }
  })

  it('refuses a Marker or MaxItems out of the model as ListUsers does', async () => {
    for (const params of [
      { Marker: 'ā' },
      { Marker: 'x'.repeat(321) },
      { MaxItems: '0' },
      { MaxItems: '1001' },
      { MaxItems: 'many' },
    ]) {
      const users = await g.call('ListUsers', params)
      const got = await g.call('GetAccountAuthorizationDetails', params)
      assert.equal(users.status, 400)
      assert.equal(got.status, 400)
      assert.deepEqual(got.error, users.error, JSON.stringify(params))
    }
  })

  it('refuses a Filter value outside EntityType with a ValidationError', async () => {
    const r = await g.call('GetAccountAuthorizationDetails', filter('User', 'Users'))
    assert.equal(r.status, 400)
    assert.deepEqual(r.error, {
      code: 'ValidationError',
      message:
        "1 validation error detected: Value 'Users' at 'filter.2.member' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]",
    })
  })
})

describe('IAM GetAccountAuthorizationDetails authorization', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('is denied to a user without iam:GetAccountAuthorizationDetails, on no resource', async () => {
    const key = await createUserWithKey(g, 'auditor')
    const denied = await g.call('GetAccountAuthorizationDetails', {}, { key })
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.error, {
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: iam:GetAccountAuthorizationDetails because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
    })
    // Another action's permission is not enough.
    const lister = policy('Allow', ['iam:List*', 'iam:GetUser'])
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'auditor',
        PolicyName: 'L',
        PolicyDocument: lister,
      }),
    )
    assert.equal((await g.call('GetAccountAuthorizationDetails', {}, { key })).status, 403)

    const allowed = policy('Allow', 'iam:GetAccountAuthorizationDetails')
    ok(
      await g.call('PutUserPolicy', {
        UserName: 'auditor',
        PolicyName: 'A',
        PolicyDocument: allowed,
      }),
    )
    const r = ok(await g.call('GetAccountAuthorizationDetails', {}, { key }))
    const [auditor] = lists(r).UserDetailList as Record<string, Value>[]
    assert.deepEqual(names(r), [['auditor'], [], [], []])
    assert.equal(auditor?.['UserName'], 'auditor')
    assert.deepEqual(auditor['UserPolicyList'], [
      { PolicyName: 'A', PolicyDocument: allowed },
      { PolicyName: 'L', PolicyDocument: lister },
    ])
  })

  it('sends no Marker on a full page when only empty lists follow it', async () => {
    const r = ok(await g.call('GetAccountAuthorizationDetails', { MaxItems: '1' }))
    assert.deepEqual(names(r), [['auditor'], [], [], []])
    assert.equal(xmlText(r.xml, 'GetAccountAuthorizationDetailsResult/IsTruncated'), 'false')
    assert.equal(xmlText(r.xml, 'GetAccountAuthorizationDetailsResult/Marker'), undefined)
  })
})
