/**
 * Instance profiles in process: CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles,
 * DeleteInstanceProfile, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
 * ListInstanceProfilesForRole, TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags,
 * and how each is authorized.
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
import type { Credentials, InProcess } from '../support/in-process.js'

const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}`

const PROFILE = 'CreateInstanceProfileResult/InstanceProfile'

function names(root: Parameters<typeof xmlAll>[0], path: string, member: string): string[] {
  return xmlAll(root, path).map((m) => xmlText(m, member) ?? '')
}

describe('IAM instance profiles', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    const boundary = await g.store.transaction((tx) =>
      tx.createPolicy({
        accountId: ACCOUNT_ID,
        name: 'Boundary',
        document: policy('Allow', 's3:*'),
      }),
    )
    await g.call('CreateRole', {
      RoleName: 'WebRole',
      Path: '/web/',
      AssumeRolePolicyDocument: TRUST,
      Description: 'For the web servers',
      MaxSessionDuration: '7200',
      PermissionsBoundary: boundary.arn,
      'Tags.member.1.Key': 'Team',
      'Tags.member.1.Value': 'Blue',
    })
    await g.call('CreateRole', { RoleName: 'BatchRole', AssumeRolePolicyDocument: TRUST })
  })
  after(() => g.close())

  describe('CreateInstanceProfile', () => {
    it('creates a profile holding no role, with its path and tags', async () => {
      const r = await g.call('CreateInstanceProfile', {
        InstanceProfileName: 'WebProfile',
        Path: '/web/',
        'Tags.member.1.Key': 'Env',
        'Tags.member.1.Value': 'prod',
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${PROFILE}/InstanceProfileName`), 'WebProfile')
      assert.equal(xmlText(r.xml, `${PROFILE}/Path`), '/web/')
      assert.equal(
        xmlText(r.xml, `${PROFILE}/Arn`),
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/web/WebProfile`,
      )
      assert.match(xmlText(r.xml, `${PROFILE}/InstanceProfileId`) ?? '', /^AIPA[A-Z2-7]{17}$/)
      assert.match(xmlText(r.xml, `${PROFILE}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
      // Roles is a required member: an empty list is sent, not left out.
      assert.ok(r.body.includes('<Roles/>'))
      assert.equal(xmlText(r.xml, `${PROFILE}/Tags/member/Key`), 'Env')
      assert.equal(xmlText(r.xml, `${PROFILE}/Tags/member/Value`), 'prod')
    })

    it('puts a profile at the root path unless told otherwise', async () => {
      const r = await g.call('CreateInstanceProfile', { InstanceProfileName: 'BatchProfile' })
      assert.equal(r.status, 200, r.body)
      assert.equal(xmlText(r.xml, `${PROFILE}/Path`), '/')
      assert.equal(
        xmlText(r.xml, `${PROFILE}/Arn`),
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/BatchProfile`,
      )
      assert.equal(r.body.includes('<Tags'), false)
    })

    it('refuses a name taken in another case with EntityAlreadyExists (409)', async () => {
      const r = await g.call('CreateInstanceProfile', { InstanceProfileName: 'webprofile' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'Instance Profile webprofile already exists.',
      })
    })

    const invalid: readonly (readonly [string, Record<string, string>, string])[] = [
      [
        'a name over 128 characters',
        { InstanceProfileName: 'p'.repeat(129) },
        `1 validation error detected: Value '${'p'.repeat(129)}' at 'instanceProfileName' failed to satisfy constraint: Member must have length less than or equal to 128`,
      ],
      [
        'a name outside the pattern',
        { InstanceProfileName: 'no/slash' },
        "1 validation error detected: Value 'no/slash' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      ],
      [
        'no name',
        {},
        "1 validation error detected: Value null at 'instanceProfileName' failed to satisfy constraint: Member must not be null",
      ],
      [
        'a path without its leading slash',
        { InstanceProfileName: 'Pathless', Path: 'web/' },
        "1 validation error detected: Value 'web/' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError`, async () => {
        const r = await g.call('CreateInstanceProfile', params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
      })
    }

    it('refuses duplicate tag keys, and creates nothing', async () => {
      const r = await g.call('CreateInstanceProfile', {
        InstanceProfileName: 'Twice',
        'Tags.member.1.Key': 'Env',
        'Tags.member.1.Value': 'a',
        'Tags.member.2.Key': 'env',
        'Tags.member.2.Value': 'b',
      })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'InvalidInput',
        message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      })
      assert.equal(
        (await g.call('GetInstanceProfile', { InstanceProfileName: 'Twice' })).status,
        404,
      )
    })
  })

  describe('AddRoleToInstanceProfile and GetInstanceProfile', () => {
    it('adds a role, which GetInstanceProfile then shows with its trust policy', async () => {
      const add = await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'webprofile',
        RoleName: 'webrole',
      })
      assert.equal(add.status, 200, add.body)
      assert.equal(xmlText(add.xml, 'AddRoleToInstanceProfileResult'), undefined)

      const r = await g.call('GetInstanceProfile', { InstanceProfileName: 'WEBPROFILE' })
      assert.equal(r.status, 200, r.body)
      const profile = 'GetInstanceProfileResult/InstanceProfile'
      assert.equal(xmlText(r.xml, `${profile}/InstanceProfileName`), 'WebProfile')
      assert.equal(xmlText(r.xml, `${profile}/Tags/member/Key`), 'Env')
      const roles = xmlAll(r.xml, `${profile}/Roles/member`)
      assert.equal(roles.length, 1)
      const [role] = roles
      assert.ok(role !== undefined)
      assert.equal(xmlText(role, 'RoleName'), 'WebRole')
      assert.equal(xmlText(role, 'Path'), '/web/')
      assert.equal(xmlText(role, 'Arn'), `arn:aws:iam::${ACCOUNT_ID}:role/web/WebRole`)
      assert.match(xmlText(role, 'RoleId') ?? '', /^AROA/)
      assert.match(xmlText(role, 'CreateDate') ?? '', /^\d{4}-/)
      const encoded = xmlText(role, 'AssumeRolePolicyDocument') ?? ''
      assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
      assert.equal(decodeURIComponent(encoded), TRUST)
      assert.equal(xmlText(role, 'Description'), 'For the web servers')
      assert.equal(xmlText(role, 'MaxSessionDuration'), '7200')
      // The role inside a profile is shown as ListRoles shows it: no tags, boundary or use.
      for (const left of ['Tags', 'PermissionsBoundary', 'RoleLastUsed']) {
        assert.equal(xmlText(role, left), undefined, left)
      }
    })

    it('refuses a second role, and the same role again, with LimitExceeded (409)', async () => {
      for (const roleName of ['BatchRole', 'WebRole']) {
        const r = await g.call('AddRoleToInstanceProfile', {
          InstanceProfileName: 'WebProfile',
          RoleName: roleName,
        })
        assert.equal(r.status, 409, roleName)
        assert.deepEqual(r.error, {
          code: 'LimitExceeded',
          message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
        })
      }
      const r = await g.call('GetInstanceProfile', { InstanceProfileName: 'WebProfile' })
      assert.deepEqual(
        names(r.xml, 'GetInstanceProfileResult/InstanceProfile/Roles/member', 'RoleName'),
        ['WebRole'],
      )
    })

    it('names a missing profile, then a missing role', async () => {
      const noProfile = await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'ghost',
        RoleName: 'ghost-role',
      })
      assert.equal(noProfile.status, 404)
      assert.deepEqual(noProfile.error, {
        code: 'NoSuchEntity',
        message: 'Instance Profile ghost cannot be found.',
      })
      const noRole = await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        RoleName: 'ghost-role',
      })
      assert.equal(noRole.status, 404)
      assert.deepEqual(noRole.error, {
        code: 'NoSuchEntity',
        message: 'The role with name ghost-role cannot be found.',
      })
      const get = await g.call('GetInstanceProfile', { InstanceProfileName: 'ghost' })
      assert.equal(get.status, 404)
      assert.deepEqual(get.error, {
        code: 'NoSuchEntity',
        message: 'Instance Profile ghost cannot be found.',
      })
    })
  })

  describe('ListInstanceProfiles and ListInstanceProfilesForRole', () => {
    before(async () => {
      for (const name of ['paged1', 'paged2', 'paged3', 'paged4', 'paged5']) {
        await g.call('CreateInstanceProfile', {
          InstanceProfileName: name,
          Path: '/paged/',
          'Tags.member.1.Key': 'k',
          'Tags.member.1.Value': 'v',
        })
        await g.call('AddRoleToInstanceProfile', {
          InstanceProfileName: name,
          RoleName: 'BatchRole',
        })
      }
    })

    it('pages with Marker and MaxItems, sending no Marker on the last page', async () => {
      const seen: string[] = []
      let marker: string | undefined
      let pages = 0
      do {
        const r = await g.call('ListInstanceProfiles', {
          PathPrefix: '/paged/',
          MaxItems: '2',
          ...(marker === undefined ? {} : { Marker: marker }),
        })
        assert.equal(r.status, 200, r.body)
        pages++
        seen.push(
          ...names(
            r.xml,
            'ListInstanceProfilesResult/InstanceProfiles/member',
            'InstanceProfileName',
          ),
        )
        marker = xmlText(r.xml, 'ListInstanceProfilesResult/Marker')
        assert.equal(
          xmlText(r.xml, 'ListInstanceProfilesResult/IsTruncated'),
          marker === undefined ? 'false' : 'true',
        )
      } while (marker !== undefined)
      assert.equal(pages, 3)
      assert.deepEqual(seen, ['paged1', 'paged2', 'paged3', 'paged4', 'paged5'])
    })

    it('filters by path prefix, shows the roles, and leaves out tags', async () => {
      const r = await g.call('ListInstanceProfiles', { PathPrefix: '/web/' })
      const profiles = xmlAll(r.xml, 'ListInstanceProfilesResult/InstanceProfiles/member')
      assert.deepEqual(
        profiles.map((p) => xmlText(p, 'InstanceProfileName')),
        ['WebProfile'],
      )
      assert.deepEqual(names(profiles[0] ?? r.xml, 'Roles/member', 'RoleName'), ['WebRole'])
      const all = await g.call('ListInstanceProfiles')
      assert.equal(xmlAll(all.xml, 'ListInstanceProfilesResult/InstanceProfiles/member').length, 7)
      assert.equal(all.body.includes('<Tags'), false)
      const none = await g.call('ListInstanceProfiles', { PathPrefix: '/nobody/' })
      assert.ok(none.body.includes('<InstanceProfiles/>'))
    })

    it('lists the profiles that hold a role, paginated', async () => {
      const r = await g.call('ListInstanceProfilesForRole', { RoleName: 'batchrole' })
      assert.equal(r.status, 200, r.body)
      const member = 'ListInstanceProfilesForRoleResult/InstanceProfiles/member'
      assert.deepEqual(names(r.xml, member, 'InstanceProfileName'), [
        'paged1',
        'paged2',
        'paged3',
        'paged4',
        'paged5',
      ])
      assert.deepEqual(
        names(r.xml, `${member}/Roles/member`, 'RoleName'),
        Array(5).fill('BatchRole'),
      )
      assert.equal(r.body.includes('<Tags'), false)
      const first = await g.call('ListInstanceProfilesForRole', {
        RoleName: 'BatchRole',
        MaxItems: '3',
      })
      const marker = xmlText(first.xml, 'ListInstanceProfilesForRoleResult/Marker') ?? ''
      assert.equal(xmlText(first.xml, 'ListInstanceProfilesForRoleResult/IsTruncated'), 'true')
      const rest = await g.call('ListInstanceProfilesForRole', {
        RoleName: 'BatchRole',
        Marker: marker,
      })
      assert.deepEqual(names(rest.xml, member, 'InstanceProfileName'), ['paged4', 'paged5'])
      assert.equal(xmlText(rest.xml, 'ListInstanceProfilesForRoleResult/Marker'), undefined)
    })

    it('answers a role in no profile with an empty list, and a missing role with NoSuchEntity', async () => {
      await g.call('CreateRole', { RoleName: 'Lonely', AssumeRolePolicyDocument: TRUST })
      const lonely = await g.call('ListInstanceProfilesForRole', { RoleName: 'Lonely' })
      assert.equal(lonely.status, 200, lonely.body)
      assert.ok(lonely.body.includes('<InstanceProfiles/>'))
      const r = await g.call('ListInstanceProfilesForRole', { RoleName: 'ghost' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The role with name ghost cannot be found.',
      })
    })
  })

  describe('RemoveRoleFromInstanceProfile and DeleteInstanceProfile', () => {
    it('refuses to delete a profile holding a role, then deletes it once the role is out', async () => {
      await g.call('CreateInstanceProfile', { InstanceProfileName: 'Leaving' })
      await g.call('AddRoleToInstanceProfile', {
        InstanceProfileName: 'Leaving',
        RoleName: 'Lonely',
      })
      const conflict = await g.call('DeleteInstanceProfile', { InstanceProfileName: 'Leaving' })
      assert.equal(conflict.status, 409)
      assert.deepEqual(conflict.error, {
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must remove roles from instance profile first.',
      })

      const removed = await g.call('RemoveRoleFromInstanceProfile', {
        InstanceProfileName: 'leaving',
        RoleName: 'LONELY',
      })
      assert.equal(removed.status, 200, removed.body)
      const got = await g.call('GetInstanceProfile', { InstanceProfileName: 'Leaving' })
      assert.ok(got.body.includes('<Roles/>'))
      const forRole = await g.call('ListInstanceProfilesForRole', { RoleName: 'Lonely' })
      assert.ok(forRole.body.includes('<InstanceProfiles/>'))

      const deleted = await g.call('DeleteInstanceProfile', { InstanceProfileName: 'Leaving' })
      assert.equal(deleted.status, 200, deleted.body)
      assert.equal(deleted.xml.name, 'DeleteInstanceProfileResponse')
      assert.equal(
        (await g.call('GetInstanceProfile', { InstanceProfileName: 'Leaving' })).status,
        404,
      )
      // The role outlives the profile.
      assert.equal((await g.call('GetRole', { RoleName: 'Lonely' })).status, 200)
    })

    it('answers a role not in the profile, and missing entities, with NoSuchEntity', async () => {
      const notIn = await g.call('RemoveRoleFromInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        RoleName: 'Lonely',
      })
      assert.equal(notIn.status, 404)
      assert.deepEqual(notIn.error, {
        code: 'NoSuchEntity',
        message: 'The role with name Lonely is not in the instance profile.',
      })
      const noProfile = await g.call('RemoveRoleFromInstanceProfile', {
        InstanceProfileName: 'ghost',
        RoleName: 'Lonely',
      })
      assert.equal(noProfile.error?.message, 'Instance Profile ghost cannot be found.')
      const noRole = await g.call('RemoveRoleFromInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        RoleName: 'ghost',
      })
      assert.equal(noRole.error?.message, 'The role with name ghost cannot be found.')
      const del = await g.call('DeleteInstanceProfile', { InstanceProfileName: 'ghost' })
      assert.equal(del.status, 404)
      assert.deepEqual(del.error, {
        code: 'NoSuchEntity',
        message: 'Instance Profile ghost cannot be found.',
      })
    })
  })

  describe('tags', () => {
    it('adds tags with keys compared with case, and lists them by key', async () => {
      const r = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'batchprofile',
        'Tags.member.1.Key': 'Dept',
        'Tags.member.1.Value': 'Eng',
      })
      assert.equal(r.status, 200, r.body)
      // One request may not hold two keys differing in case, but two requests may.
      const lower = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'Tags.member.1.Key': 'dept',
        'Tags.member.1.Value': 'ops',
      })
      assert.equal(lower.status, 200, lower.body)
      const replaced = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'Tags.member.1.Key': 'Dept',
        'Tags.member.1.Value': 'Sales',
      })
      assert.equal(replaced.status, 200, replaced.body)
      const listed = await g.call('ListInstanceProfileTags', {
        InstanceProfileName: 'BatchProfile',
      })
      assert.equal(listed.status, 200, listed.body)
      // By key, with case: `Dept` sorts before `dept`.
      assert.deepEqual(
        xmlAll(listed.xml, 'ListInstanceProfileTagsResult/Tags/member').map((m) => [
          xmlText(m, 'Key'),
          xmlText(m, 'Value'),
        ]),
        [
          ['Dept', 'Sales'],
          ['dept', 'ops'],
        ],
      )
      assert.equal(xmlText(listed.xml, 'ListInstanceProfileTagsResult/IsTruncated'), 'false')
      const got = await g.call('GetInstanceProfile', { InstanceProfileName: 'BatchProfile' })
      assert.equal(
        xmlAll(got.xml, 'GetInstanceProfileResult/InstanceProfile/Tags/member').length,
        2,
      )
    })

    it('pages the tags', async () => {
      const first = await g.call('ListInstanceProfileTags', {
        InstanceProfileName: 'BatchProfile',
        MaxItems: '1',
      })
      assert.equal(xmlText(first.xml, 'ListInstanceProfileTagsResult/IsTruncated'), 'true')
      const marker = xmlText(first.xml, 'ListInstanceProfileTagsResult/Marker') ?? ''
      const second = await g.call('ListInstanceProfileTags', {
        InstanceProfileName: 'BatchProfile',
        Marker: marker,
      })
      assert.equal(xmlAll(second.xml, 'ListInstanceProfileTagsResult/Tags/member').length, 1)
      assert.equal(xmlText(second.xml, 'ListInstanceProfileTagsResult/Marker'), undefined)
    })

    it('removes only the keys given in their own case', async () => {
      const r = await g.call('UntagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'TagKeys.member.1': 'dept',
        'TagKeys.member.2': 'DEPT',
      })
      assert.equal(r.status, 200, r.body)
      const listed = await g.call('ListInstanceProfileTags', {
        InstanceProfileName: 'BatchProfile',
      })
      assert.deepEqual(names(listed.xml, 'ListInstanceProfileTagsResult/Tags/member', 'Key'), [
        'Dept',
      ])
      await g.call('UntagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'TagKeys.member.1': 'Dept',
      })
      const empty = await g.call('ListInstanceProfileTags', { InstanceProfileName: 'BatchProfile' })
      assert.ok(empty.body.includes('<Tags/>'))
    })

    it('refuses a 51st tag, keeping none of the request', async () => {
      const fifty: Record<string, string> = {}
      for (let i = 1; i <= 50; i++) {
        fifty[`Tags.member.${i}.Key`] = `k${i}`
        fifty[`Tags.member.${i}.Value`] = 'v'
      }
      const full = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        ...fifty,
      })
      assert.equal(full.status, 200, full.body)
      const r = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'Tags.member.1.Key': 'k1',
        'Tags.member.1.Value': 'changed',
        'Tags.member.2.Key': 'extra',
        'Tags.member.2.Value': 'v',
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'The number of tags has reached the maximum limit.',
      })
      const listed = await g.call('ListInstanceProfileTags', {
        InstanceProfileName: 'BatchProfile',
        MaxItems: '1',
      })
      assert.equal(xmlText(listed.xml, 'ListInstanceProfileTagsResult/Tags/member/Value'), 'v')
    })

    it('refuses more than 50 tags in one request, and tags in the aws: namespace', async () => {
      const many: Record<string, string> = {}
      for (let i = 1; i <= 51; i++) {
        many[`Tags.member.${i}.Key`] = `m${i}`
        many[`Tags.member.${i}.Value`] = 'v'
      }
      const r = await g.call('TagInstanceProfile', { InstanceProfileName: 'BatchProfile', ...many })
      assert.equal(r.status, 400)
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(
        r.error?.message ?? '',
        /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      )
      const reserved = await g.call('TagInstanceProfile', {
        InstanceProfileName: 'BatchProfile',
        'Tags.member.1.Key': 'aws:env',
        'Tags.member.1.Value': 'v',
      })
      assert.deepEqual(reserved.error, {
        code: 'InvalidInput',
        message: "Tag keys cannot start with the reserved prefix 'aws:'.",
      })
    })

    it('answers a missing profile with NoSuchEntity', async () => {
      const calls: readonly (readonly [string, Record<string, string>])[] = [
        ['TagInstanceProfile', { 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }],
        ['UntagInstanceProfile', { 'TagKeys.member.1': 'k' }],
        ['ListInstanceProfileTags', {}],
      ]
      for (const [action, params] of calls) {
        const r = await g.call(action, { InstanceProfileName: 'ghost', ...params })
        assert.equal(r.status, 404, action)
        assert.deepEqual(r.error, {
          code: 'NoSuchEntity',
          message: 'Instance Profile ghost cannot be found.',
        })
      }
    })
  })
})

describe('IAM instance profiles: authorization', () => {
  let g: InProcess
  let dev: Credentials
  const denied = (action: string, resource: string) =>
    `User: arn:aws:iam::${ACCOUNT_ID}:user/dev is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`

  before(async () => {
    g = await startInProcess()
    dev = await createUserWithKey(g, 'dev')
    await g.call('CreateRole', {
      RoleName: 'AppRole',
      Path: '/app/',
      AssumeRolePolicyDocument: TRUST,
    })
    await g.call('CreateInstanceProfile', { InstanceProfileName: 'AppProfile', Path: '/app/' })
  })
  after(() => g.close())

  async function allow(name: string, document: string): Promise<void> {
    const r = await g.call('PutUserPolicy', {
      UserName: 'dev',
      PolicyName: name,
      PolicyDocument: document,
    })
    assert.equal(r.status, 200, r.body)
  }

  it('authorizes on the existing profile ARN, path included, and a missing one at the root path', async () => {
    const r = await g.call(
      'GetInstanceProfile',
      { InstanceProfileName: 'AppProfile' },
      { key: dev },
    )
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denied(
        'iam:GetInstanceProfile',
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app/AppProfile`,
      ),
    })
    const missing = await g.call(
      'DeleteInstanceProfile',
      { InstanceProfileName: 'ghost' },
      { key: dev },
    )
    assert.deepEqual(missing.error, {
      code: 'AccessDenied',
      message: denied(
        'iam:DeleteInstanceProfile',
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/ghost`,
      ),
    })
    await allow(
      'Profiles',
      policy(
        'Allow',
        ['iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:TagInstanceProfile'],
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app/*`,
      ),
    )
    assert.equal(
      (await g.call('GetInstanceProfile', { InstanceProfileName: 'AppProfile' }, { key: dev }))
        .status,
      200,
    )
  })

  it('authorizes Add/RemoveRoleToInstanceProfile on the profile, and Add with PassRole on the role', async () => {
    const addRole = () =>
      g.call(
        'AddRoleToInstanceProfile',
        { InstanceProfileName: 'AppProfile', RoleName: 'AppRole' },
        { key: dev },
      )
    const unpassed = await addRole()
    assert.deepEqual(unpassed.error, {
      code: 'AccessDenied',
      message: denied('iam:PassRole', `arn:aws:iam::${ACCOUNT_ID}:role/app/AppRole`),
    })
    await allow('Pass', policy('Allow', 'iam:PassRole', `arn:aws:iam::${ACCOUNT_ID}:role/app/*`))
    const add = await addRole()
    assert.equal(add.status, 200, add.body)
    const remove = await g.call(
      'RemoveRoleFromInstanceProfile',
      { InstanceProfileName: 'AppProfile', RoleName: 'AppRole' },
      { key: dev },
    )
    assert.deepEqual(remove.error, {
      code: 'AccessDenied',
      message: denied(
        'iam:RemoveRoleFromInstanceProfile',
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app/AppProfile`,
      ),
    })
  })

  it('authorizes ListInstanceProfilesForRole on the role', async () => {
    const r = await g.call('ListInstanceProfilesForRole', { RoleName: 'AppRole' }, { key: dev })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denied(
        'iam:ListInstanceProfilesForRole',
        `arn:aws:iam::${ACCOUNT_ID}:role/app/AppRole`,
      ),
    })
    await allow(
      'ForRole',
      policy('Allow', 'iam:ListInstanceProfilesForRole', `arn:aws:iam::${ACCOUNT_ID}:role/app/*`),
    )
    const ok = await g.call('ListInstanceProfilesForRole', { RoleName: 'AppRole' }, { key: dev })
    assert.equal(ok.status, 200, ok.body)
  })

  it('authorizes ListInstanceProfiles on the path it lists', async () => {
    const r = await g.call('ListInstanceProfiles', {}, { key: dev })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denied('iam:ListInstanceProfiles', `arn:aws:iam::${ACCOUNT_ID}:instance-profile/`),
    })
    await allow(
      'ListApp',
      policy(
        'Allow',
        'iam:ListInstanceProfiles',
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app/*`,
      ),
    )
    assert.equal(
      (await g.call('ListInstanceProfiles', { PathPrefix: '/app/' }, { key: dev })).status,
      200,
    )
  })

  it('gives CreateInstanceProfile and TagInstanceProfile the request-tag keys', async () => {
    await allow(
      'CreateTagged',
      policy('Allow', 'iam:CreateInstanceProfile', '*', {
        StringEquals: { 'aws:RequestTag/env': 'dev' },
      }),
    )
    const untagged = await g.call(
      'CreateInstanceProfile',
      { InstanceProfileName: 'Mine' },
      { key: dev },
    )
    assert.deepEqual(untagged.error, {
      code: 'AccessDenied',
      message: denied(
        'iam:CreateInstanceProfile',
        `arn:aws:iam::${ACCOUNT_ID}:instance-profile/Mine`,
      ),
    })
    const tagged = await g.call(
      'CreateInstanceProfile',
      { InstanceProfileName: 'Mine', 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'dev' },
      { key: dev },
    )
    assert.equal(tagged.status, 200, tagged.body)
    await allow(
      'NoOwnerTag',
      policy('Deny', ['iam:TagInstanceProfile', 'iam:UntagInstanceProfile'], '*', {
        'ForAnyValue:StringEquals': { 'aws:TagKeys': 'owner' },
      }),
    )
    const tag = await g.call(
      'TagInstanceProfile',
      {
        InstanceProfileName: 'AppProfile',
        'Tags.member.1.Key': 'owner',
        'Tags.member.1.Value': 'me',
      },
      { key: dev },
    )
    assert.equal(tag.status, 403)
    assert.match(tag.error?.message ?? '', /with an explicit deny in an identity-based policy$/)
    const other = await g.call(
      'TagInstanceProfile',
      {
        InstanceProfileName: 'AppProfile',
        'Tags.member.1.Key': 'cost',
        'Tags.member.1.Value': '1',
      },
      { key: dev },
    )
    assert.equal(other.status, 200, other.body)
  })
})
