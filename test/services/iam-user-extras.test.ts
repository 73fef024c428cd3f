/**
 * The rest of IAM's user operations, in process: UpdateUser, TagUser, UntagUser, ListUserTags,
 * PutUserPermissionsBoundary, DeleteUserPermissionsBoundary and GetAccessKeyLastUsed, with their
 * condition keys and the resources they are authorized on.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  ACCOUNT_ID,
  ROOT_KEY,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`

function tagsOf(r: Reply, path: string): { Key: string; Value: string }[] {
  return xmlAll(r.xml, path).map((m) => ({
    Key: xmlText(m, 'Key') ?? '',
    Value: xmlText(m, 'Value') ?? '',
  }))
}

function tagParams(tags: readonly (readonly [string, string])[]): Record<string, string> {
  const params: Record<string, string> = {}
  tags.forEach(([key, value], i) => {
    params[`Tags.member.${i + 1}.Key`] = key
    params[`Tags.member.${i + 1}.Value`] = value
  })
  return params
}

function denial(callerArn: string, action: string, resource: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

async function createManagedPolicy(g: InProcess, name: string, document: string): Promise<string> {
  const created = await g.store.transaction((tx) =>
    tx.createPolicy({ accountId: ACCOUNT_ID, name, document }),
  )
  return created.arn
}

describe('UpdateUser', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  it('renames and moves a user, which keeps its id, keys, policies, groups and tags', async () => {
    const key = await createUserWithKey(g, 'bob', {
      'Tags.member.1.Key': 'Dept',
      'Tags.member.1.Value': 'Eng',
    })
    await g.call('PutUserPolicy', {
      UserName: 'bob',
      PolicyName: 'Self',
      PolicyDocument: policy('Allow', 'iam:GetUser'),
    })
    await g.call('CreateGroup', { GroupName: 'team' })
    await g.call('AddUserToGroup', { GroupName: 'team', UserName: 'bob' })
    const id = xmlText(
      (await g.call('GetUser', { UserName: 'bob' })).xml,
      'GetUserResult/User/UserId',
    )

    const r = await g.call('UpdateUser', {
      UserName: 'BOB',
      NewUserName: 'robert',
      NewPath: '/renamed/',
    })
    assert.equal(r.status, 200, r.body)
    assert.equal(r.xml.name, 'UpdateUserResponse')
    assert.equal(xmlText(r.xml, 'UpdateUserResult'), undefined)

    const got = await g.call('GetUser', { UserName: 'robert' })
    assert.equal(xmlText(got.xml, 'GetUserResult/User/UserId'), id)
    assert.equal(xmlText(got.xml, 'GetUserResult/User/Arn'), `${ARN}:user/renamed/robert`)
    assert.equal(xmlText(got.xml, 'GetUserResult/User/Tags/member/Key'), 'Dept')
    const old = await g.call('GetUser', { UserName: 'bob' })
    assert.deepEqual(old.error, {
      code: 'NoSuchEntity',
      message: 'The user with name bob cannot be found.',
    })
    const groups = await g.call('ListGroupsForUser', { UserName: 'robert' })
    assert.equal(xmlText(groups.xml, 'ListGroupsForUserResult/Groups/member/GroupName'), 'team')
    const policies = await g.call('ListUserPolicies', { UserName: 'robert' })
    assert.equal(xmlText(policies.xml, 'ListUserPoliciesResult/PolicyNames/member'), 'Self')

    // The old key signs as the renamed user, under its new name and path.
    const self = await g.call('GetUser', {}, { key })
    assert.equal(self.status, 200, self.body)
    assert.equal(xmlText(self.xml, 'GetUserResult/User/UserName'), 'robert')
    assert.equal(xmlText(self.xml, 'GetUserResult/User/Arn'), `${ARN}:user/renamed/robert`)
  })

  it('changes only what is given, and may change the case of a name', async () => {
    assert.equal((await g.call('UpdateUser', { UserName: 'robert' })).status, 200)
    const moved = await g.call('UpdateUser', { UserName: 'robert', NewPath: '/' })
    assert.equal(moved.status, 200, moved.body)
    const recased = await g.call('UpdateUser', { UserName: 'robert', NewUserName: 'Robert' })
    assert.equal(recased.status, 200, recased.body)
    const got = await g.call('GetUser', { UserName: 'robert' })
    assert.equal(xmlText(got.xml, 'GetUserResult/User/Arn'), `${ARN}:user/Robert`)
  })

  it("refuses another user's name, in any case, with EntityAlreadyExists (409)", async () => {
    await g.call('CreateUser', { UserName: 'carol' })
    const r = await g.call('UpdateUser', { UserName: 'Robert', NewUserName: 'CAROL' })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'EntityAlreadyExists',
      message: 'User with name CAROL already exists.',
    })
    // Nothing half-written: neither the name nor a path given with it changed.
    const path = await g.call('UpdateUser', {
      UserName: 'Robert',
      NewUserName: 'carol',
      NewPath: '/half/',
    })
    assert.equal(path.status, 409)
    const got = await g.call('GetUser', { UserName: 'Robert' })
    assert.equal(xmlText(got.xml, 'GetUserResult/User/Path'), '/')
  })

  it('answers a missing user with NoSuchEntity (404)', async () => {
    const r = await g.call('UpdateUser', { UserName: 'nonexistent-user', NewUserName: 'x' })
    assert.equal(r.status, 404)
    assert.deepEqual(r.error, {
      code: 'NoSuchEntity',
      message: 'The user with name nonexistent-user cannot be found.',
    })
  })

  const invalid: [string, Record<string, string>, string][] = [
    [
      'a new name over 64 characters',
      { UserName: 'carol', NewUserName: 'n'.repeat(65) },
      `1 validation error detected: Value '${'n'.repeat(65)}' at 'newUserName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ],
    [
      'a new path without slashes',
      { UserName: 'carol', NewPath: 'eng' },
      "1 validation error detected: Value 'eng' at 'newPath' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
    ],
    [
      'no user name',
      { NewUserName: 'x' },
      "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    ],
  ]
  for (const [what, params, message] of invalid) {
    it(`refuses ${what} with ValidationError (400)`, async () => {
      const r = await g.call('UpdateUser', params)
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, { code: 'ValidationError', message })
    })
  }

  it("is authorized on the user's ARN with its path", async () => {
    const admin = await createUserWithKey(g, 'admin')
    await g.call('PutUserPolicy', {
      UserName: 'admin',
      PolicyName: 'Rename',
      PolicyDocument: policy('Allow', 'iam:UpdateUser', `${ARN}:user/interns/*`),
    })
    await g.call('CreateUser', { UserName: 'intern', Path: '/interns/' })
    const allowed = await g.call(
      'UpdateUser',
      { UserName: 'intern', NewUserName: 'intern2' },
      { key: admin },
    )
    assert.equal(allowed.status, 200, allowed.body)
    const r = await g.call('UpdateUser', { UserName: 'carol', NewPath: '/x/' }, { key: admin })
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: denial(`${ARN}:user/admin`, 'iam:UpdateUser', `${ARN}:user/carol`),
    })
  })
})

describe('user tags', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
    await g.call('CreateUser', { UserName: 'tagged' })
  })
  after(() => g.close())

  it('starts with no tags as <Tags/>', async () => {
    const r = await g.call('ListUserTags', { UserName: 'tagged' })
    assert.equal(r.status, 200, r.body)
    assert.ok(r.body.includes('<Tags/>'))
    assert.equal(xmlText(r.xml, 'ListUserTagsResult/IsTruncated'), 'false')
  })

  it('adds tags, replaces a key given in another case, and lists them by key', async () => {
    const first = await g.call('TagUser', {
      UserName: 'tagged',
      ...tagParams([
        ['Team', 'Platform'],
        ['Environment', 'Test'],
        ['Empty', ''],
      ]),
    })
    assert.equal(first.status, 200, first.body)
    assert.equal(first.xml.name, 'TagUserResponse')
    const replaced = await g.call('TagUser', {
      UserName: 'TAGGED',
      ...tagParams([['team', 'Core']]),
    })
    assert.equal(replaced.status, 200, replaced.body)
    const r = await g.call('ListUserTags', { UserName: 'tagged' })
    assert.deepEqual(tagsOf(r, 'ListUserTagsResult/Tags/member'), [
      { Key: 'Empty', Value: '' },
      { Key: 'Environment', Value: 'Test' },
      { Key: 'team', Value: 'Core' },
    ])
    const got = await g.call('GetUser', { UserName: 'tagged' })
    assert.equal(tagsOf(got, 'GetUserResult/User/Tags/member').length, 3)
  })

  it('pages the tags with MaxItems and Marker', async () => {
    const first = await g.call('ListUserTags', { UserName: 'tagged', MaxItems: '2' })
    assert.equal(xmlText(first.xml, 'ListUserTagsResult/IsTruncated'), 'true')
    const marker = xmlText(first.xml, 'ListUserTagsResult/Marker') ?? ''
    const second = await g.call('ListUserTags', { UserName: 'tagged', Marker: marker })
    assert.deepEqual(tagsOf(second, 'ListUserTagsResult/Tags/member'), [
      { Key: 'team', Value: 'Core' },
    ])
    assert.equal(xmlText(second.xml, 'ListUserTagsResult/Marker'), undefined)
  })

  it('removes keys without regard to case, ignoring keys the user does not have', async () => {
    const r = await g.call('UntagUser', {
      UserName: 'tagged',
      'TagKeys.member.1': 'TEAM',
      'TagKeys.member.2': 'NotThere',
    })
    assert.equal(r.status, 200, r.body)
    assert.equal(r.xml.name, 'UntagUserResponse')
    const listed = await g.call('ListUserTags', { UserName: 'tagged' })
    assert.deepEqual(
      tagsOf(listed, 'ListUserTagsResult/Tags/member').map((t) => t.Key),
      ['Empty', 'Environment'],
    )
  })

  it('holds 50 tags and refuses a 51st with LimitExceeded, writing none of the request', async () => {
    await g.call('CreateUser', { UserName: 'full' })
    const fifty = Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`] as const)
    const filled = await g.call('TagUser', { UserName: 'full', ...tagParams(fifty) })
    assert.equal(filled.status, 200, filled.body)
    // Replacing a value at the quota keeps the count.
    const replace = await g.call('TagUser', { UserName: 'full', ...tagParams([['K7', 'new']]) })
    assert.equal(replace.status, 200, replace.body)

    const r = await g.call('TagUser', {
      UserName: 'full',
      ...tagParams([
        ['k8', 'changed'],
        ['extra', 'x'],
      ]),
    })
    assert.equal(r.status, 409)
    assert.deepEqual(r.error, {
      code: 'LimitExceeded',
      message: 'The number of tags has reached the maximum limit.',
    })
    const listed = await g.call('ListUserTags', { UserName: 'full', MaxItems: '100' })
    const tags = tagsOf(listed, 'ListUserTagsResult/Tags/member')
    assert.equal(tags.length, 50)
    assert.deepEqual(
      tags.find((t) => t.Key === 'k8'),
      { Key: 'k8', Value: 'v8' },
    )
    assert.deepEqual(
      tags.find((t) => t.Key.toLowerCase() === 'k7'),
      { Key: 'K7', Value: 'new' },
    )
  })

  const invalid: [string, string, Record<string, string>, string, string][] = [
    [
      'more than 50 tags in one request',
      'TagUser',
      tagParams(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'] as const)),
      'ValidationError',
      "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    ],
    [
      'a reserved aws: key',
      'TagUser',
      tagParams([['AWS:owner', 'me']]),
      'InvalidInput',
      "Tag keys cannot start with the reserved prefix 'aws:'.",
    ],
    [
      'keys that differ only in case',
      'TagUser',
      tagParams([
        ['Dept', 'a'],
        ['dept', 'b'],
      ]),
      'InvalidInput',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    ],
    [
      'a key outside the pattern',
      'TagUser',
      tagParams([['no#hash', 'v']]),
      'ValidationError',
      "at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ],
    [
      'no tags',
      'TagUser',
      {},
      'ValidationError',
      "Value null at 'tags' failed to satisfy constraint: Member must not be null",
    ],
    [
      'no tag keys',
      'UntagUser',
      {},
      'ValidationError',
      "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    ],
    [
      'more than 50 keys',
      'UntagUser',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`TagKeys.member.${i + 1}`, 'k'])),
      'ValidationError',
      "at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50",
    ],
  ]
  for (const [what, action, params, code, message] of invalid) {
    it(`${action} refuses ${what} with ${code}, changing nothing`, async () => {
      const r = await g.call(action, { UserName: 'tagged', ...params })
      assert.equal(r.status, 400, r.body)
      assert.equal(r.error?.code, code)
      assert.ok(r.error?.message.includes(message), r.error?.message)
      const listed = await g.call('ListUserTags', { UserName: 'tagged' })
      assert.equal(tagsOf(listed, 'ListUserTagsResult/Tags/member').length, 2)
    })
  }

  for (const [action, params] of [
    ['TagUser', tagParams([['a', 'b']])],
    ['UntagUser', { 'TagKeys.member.1': 'a' }],
    ['ListUserTags', {}],
  ] as const) {
    it(`${action} answers a missing user with NoSuchEntity (404)`, async () => {
      const r = await g.call(action, { UserName: 'nonexistent-user', ...params })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The user with name nonexistent-user cannot be found.',
      })
    })
  }

  describe('condition keys', () => {
    let tagger: Credentials
    const taggerArn = `${ARN}:user/tagger`

    before(async () => {
      tagger = await createUserWithKey(g, 'tagger')
      await g.call('PutUserPolicy', {
        UserName: 'tagger',
        PolicyName: 'Tagging',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:TagUser',
              Resource: `${ARN}:user/*`,
              Condition: {
                StringEquals: { 'aws:RequestTag/Dept': ['Eng', 'Ops'] },
                'ForAllValues:StringEquals': { 'aws:TagKeys': ['Dept'] },
              },
            },
            {
              Effect: 'Allow',
              Action: 'iam:UntagUser',
              Resource: `${ARN}:user/*`,
              Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Dept', 'Temp'] } },
            },
            { Effect: 'Allow', Action: 'iam:ListUserTags', Resource: `${ARN}:user/tagged` },
          ],
        }),
      })
    })

    it('gives TagUser aws:RequestTag/<key> and aws:TagKeys', async () => {
      const ok = await g.call(
        'TagUser',
        { UserName: 'tagged', ...tagParams([['Dept', 'Eng']]) },
        { key: tagger },
      )
      assert.equal(ok.status, 200, ok.body)
      const cases: (readonly (readonly [string, string])[])[] = [
        [['Dept', 'Sales']],
        [
          ['Dept', 'Ops'],
          ['Cost', '1'],
        ],
      ]
      for (const tags of cases) {
        const r = await g.call(
          'TagUser',
          { UserName: 'tagged', ...tagParams(tags) },
          { key: tagger },
        )
        assert.deepEqual(r.error, {
          code: 'AccessDenied',
          message: denial(taggerArn, 'iam:TagUser', `${ARN}:user/tagged`),
        })
      }
    })

    it('gives UntagUser aws:TagKeys', async () => {
      const denied = await g.call(
        'UntagUser',
        { UserName: 'tagged', 'TagKeys.member.1': 'Dept', 'TagKeys.member.2': 'Environment' },
        { key: tagger },
      )
      assert.deepEqual(denied.error, {
        code: 'AccessDenied',
        message: denial(taggerArn, 'iam:UntagUser', `${ARN}:user/tagged`),
      })
      const ok = await g.call(
        'UntagUser',
        { UserName: 'tagged', 'TagKeys.member.1': 'Dept' },
        { key: tagger },
      )
      assert.equal(ok.status, 200, ok.body)
      const listed = await g.call('ListUserTags', { UserName: 'tagged' }, { key: tagger })
      assert.deepEqual(
        tagsOf(listed, 'ListUserTagsResult/Tags/member').map((t) => t.Key),
        ['Empty', 'Environment'],
      )
    })

    it("authorizes ListUserTags on the user's ARN", async () => {
      const r = await g.call('ListUserTags', { UserName: 'full' }, { key: tagger })
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: denial(taggerArn, 'iam:ListUserTags', `${ARN}:user/full`),
      })
    })
  })
})

describe('user permissions boundaries', () => {
  let g: InProcess
  let readOnly: string
  let listOnly: string
  let bounded: Credentials
  const boundedArn = `${ARN}:user/bounded`

  before(async () => {
    g = await startInProcess()
    readOnly = await createManagedPolicy(g, 'ReadOnly', policy('Allow', ['iam:Get*', 'iam:List*']))
    listOnly = await createManagedPolicy(g, 'ListOnly', policy('Allow', 'iam:ListUsers'))
    bounded = await createUserWithKey(g, 'bounded')
    await g.call('PutUserPolicy', {
      UserName: 'bounded',
      PolicyName: 'Everything',
      PolicyDocument: policy('Allow', 'iam:*'),
    })
  })
  after(() => g.close())

  it('sets a boundary, which GetUser shows and which limits the user', async () => {
    const r = await g.call('PutUserPermissionsBoundary', {
      UserName: 'Bounded',
      PermissionsBoundary: listOnly,
    })
    assert.equal(r.status, 200, r.body)
    assert.equal(r.xml.name, 'PutUserPermissionsBoundaryResponse')
    const got = await g.call('GetUser', { UserName: 'bounded' })
    assert.equal(
      xmlText(got.xml, 'GetUserResult/User/PermissionsBoundary/PermissionsBoundaryType'),
      'PermissionsBoundaryPolicy',
    )
    assert.equal(
      xmlText(got.xml, 'GetUserResult/User/PermissionsBoundary/PermissionsBoundaryArn'),
      listOnly,
    )
    assert.equal((await g.call('ListUsers', {}, { key: bounded })).status, 200)
    const denied = await g.call('ListGroups', {}, { key: bounded })
    assert.deepEqual(denied.error, {
      code: 'AccessDenied',
      message: `User: ${boundedArn} is not authorized to perform: iam:ListGroups on resource: ${ARN}:group/ because no permissions boundary allows the iam:ListGroups action`,
    })
  })

  it('replaces the boundary with another', async () => {
    await g.call('PutUserPermissionsBoundary', {
      UserName: 'bounded',
      PermissionsBoundary: readOnly,
    })
    const got = await g.call('GetUser', { UserName: 'bounded' })
    assert.equal(
      xmlText(got.xml, 'GetUserResult/User/PermissionsBoundary/PermissionsBoundaryArn'),
      readOnly,
    )
    assert.equal((await g.call('ListGroups', {}, { key: bounded })).status, 200)
    assert.equal(
      (await g.call('CreateGroup', { GroupName: 'nope' }, { key: bounded })).error?.code,
      'AccessDenied',
    )
  })

  it('deletes the boundary, lifting its limit; deleting none succeeds', async () => {
    const r = await g.call('DeleteUserPermissionsBoundary', { UserName: 'bounded' })
    assert.equal(r.status, 200, r.body)
    assert.equal(r.xml.name, 'DeleteUserPermissionsBoundaryResponse')
    const got = await g.call('GetUser', { UserName: 'bounded' })
    assert.equal(got.body.includes('PermissionsBoundary'), false)
    assert.equal((await g.call('CreateGroup', { GroupName: 'yes' }, { key: bounded })).status, 200)
    const again = await g.call('DeleteUserPermissionsBoundary', { UserName: 'bounded' })
    assert.equal(again.status, 200, again.body)
  })

  const refused: [string, string, Record<string, string>, number, string, string][] = [
    [
      'a policy that does not exist',
      'PutUserPermissionsBoundary',
      { UserName: 'bounded', PermissionsBoundary: `${ARN}:policy/Missing` },
      404,
      'NoSuchEntity',
      `Policy ${ARN}:policy/Missing does not exist or is not attachable.`,
    ],
    [
      'a policy at another path than its own',
      'PutUserPermissionsBoundary',
      { UserName: 'bounded', PermissionsBoundary: `${ARN}:policy/elsewhere/ReadOnly` },
      404,
      'NoSuchEntity',
      `Policy ${ARN}:policy/elsewhere/ReadOnly does not exist or is not attachable.`,
    ],
    [
      'an ARN that names no policy',
      'PutUserPermissionsBoundary',
      { UserName: 'bounded', PermissionsBoundary: `${ARN}:user/bounded` },
      400,
      'InvalidInput',
      `ARN ${ARN}:user/bounded is not valid.`,
    ],
    [
      'a missing user',
      'PutUserPermissionsBoundary',
      { UserName: 'ghost', PermissionsBoundary: `${ARN}:policy/ReadOnly` },
      404,
      'NoSuchEntity',
      'The user with name ghost cannot be found.',
    ],
    [
      'a missing user',
      'DeleteUserPermissionsBoundary',
      { UserName: 'ghost' },
      404,
      'NoSuchEntity',
      'The user with name ghost cannot be found.',
    ],
    [
      'an ARN under 20 characters',
      'PutUserPermissionsBoundary',
      { UserName: 'bounded', PermissionsBoundary: 'arn:aws:iam::1:x' },
      400,
      'ValidationError',
      "1 validation error detected: Value 'arn:aws:iam::1:x' at 'permissionsBoundary' failed to satisfy constraint: Member must have length greater than or equal to 20",
    ],
    [
      'a user name over 64 characters',
      'DeleteUserPermissionsBoundary',
      { UserName: 'u'.repeat(65) },
      400,
      'ValidationError',
      `1 validation error detected: Value '${'u'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ],
    [
      'no boundary',
      'PutUserPermissionsBoundary',
      { UserName: 'bounded' },
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'permissionsBoundary' failed to satisfy constraint: Member must not be null",
    ],
  ]
  for (const [what, action, params, status, code, message] of refused) {
    it(`${action} refuses ${what} with ${code} (${status})`, async () => {
      const r = await g.call(action, params)
      assert.equal(r.status, status, r.body)
      assert.deepEqual(r.error, { code, message })
    })
  }

  describe('iam:PermissionsBoundary', () => {
    let delegate: Credentials
    const delegateArn = `${ARN}:user/delegate`

    before(async () => {
      delegate = await createUserWithKey(g, 'delegate')
      // AWS's delegation pattern: set only the approved boundary, never remove it.
      await g.call('PutUserPolicy', {
        UserName: 'delegate',
        PolicyName: 'Delegation',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iam:PutUserPermissionsBoundary',
              Resource: '*',
              Condition: { StringEquals: { 'iam:PermissionsBoundary': listOnly } },
            },
            { Effect: 'Allow', Action: 'iam:DeleteUserPermissionsBoundary', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 'iam:DeleteUserPermissionsBoundary',
              Resource: '*',
              Condition: { StringEquals: { 'iam:PermissionsBoundary': listOnly } },
            },
          ],
        }),
      })
      await g.call('CreateUser', { UserName: 'worker' })
    })

    it('is the policy asked for on PutUserPermissionsBoundary', async () => {
      const ok = await g.call(
        'PutUserPermissionsBoundary',
        { UserName: 'worker', PermissionsBoundary: listOnly },
        { key: delegate },
      )
      assert.equal(ok.status, 200, ok.body)
      const r = await g.call(
        'PutUserPermissionsBoundary',
        { UserName: 'worker', PermissionsBoundary: readOnly },
        { key: delegate },
      )
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: denial(delegateArn, 'iam:PutUserPermissionsBoundary', `${ARN}:user/worker`),
      })
    })

    it('is the boundary being removed on DeleteUserPermissionsBoundary', async () => {
      const r = await g.call(
        'DeleteUserPermissionsBoundary',
        { UserName: 'worker' },
        { key: delegate },
      )
      assert.equal(r.status, 403)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: ${delegateArn} is not authorized to perform: iam:DeleteUserPermissionsBoundary on resource: ${ARN}:user/worker with an explicit deny in an identity-based policy`,
      })
      const got = await g.call('GetUser', { UserName: 'worker' })
      assert.equal(
        xmlText(got.xml, 'GetUserResult/User/PermissionsBoundary/PermissionsBoundaryArn'),
        listOnly,
      )
      // Another boundary, or none, is not what the deny protects.
      await g.call('PutUserPermissionsBoundary', {
        UserName: 'worker',
        PermissionsBoundary: readOnly,
      })
      const other = await g.call(
        'DeleteUserPermissionsBoundary',
        { UserName: 'worker' },
        { key: delegate },
      )
      assert.equal(other.status, 200, other.body)
      const none = await g.call(
        'DeleteUserPermissionsBoundary',
        { UserName: 'worker' },
        { key: delegate },
      )
      assert.equal(none.status, 200, none.body)
    })
  })
})

describe('GetAccessKeyLastUsed', () => {
  let g: InProcess
  let keyId: string

  before(async () => {
    g = await startInProcess()
    keyId = (await createUserWithKey(g, 'owner', { Path: '/team/' })).accessKeyId
  })
  after(() => g.close())

  it('answers a key never used with N/A and no date', async () => {
    const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: keyId })
    assert.equal(r.status, 200, r.body)
    const result = 'GetAccessKeyLastUsedResult'
    assert.equal(xmlText(r.xml, `${result}/UserName`), 'owner')
    assert.equal(xmlText(r.xml, `${result}/AccessKeyLastUsed/ServiceName`), 'N/A')
    assert.equal(xmlText(r.xml, `${result}/AccessKeyLastUsed/Region`), 'N/A')
    assert.equal(xmlText(r.xml, `${result}/AccessKeyLastUsed/LastUsedDate`), undefined)
  })

  it('answers a used key with when, which service and which region', async () => {
    await g.store.transaction((tx) =>
      tx.recordAccessKeyUse(keyId, {
        at: new Date('2026-03-01T10:20:30Z'),
        region: 'eu-west-1',
        service: 'iam',
      }),
    )
    const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: keyId })
    const used = 'GetAccessKeyLastUsedResult/AccessKeyLastUsed'
    assert.equal(xmlText(r.xml, `${used}/LastUsedDate`), '2026-03-01T10:20:30Z')
    assert.equal(xmlText(r.xml, `${used}/ServiceName`), 'iam')
    assert.equal(xmlText(r.xml, `${used}/Region`), 'eu-west-1')
  })

  it("gives a root key's use without a UserName: this very call, signed with it", async () => {
    const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: ROOT_KEY.accessKeyId })
    assert.equal(r.status, 200, r.body)
    const used = 'GetAccessKeyLastUsedResult/AccessKeyLastUsed'
    assert.equal(xmlText(r.xml, 'GetAccessKeyLastUsedResult/UserName'), undefined)
    assert.equal(xmlText(r.xml, `${used}/ServiceName`), 'iam')
    assert.equal(xmlText(r.xml, `${used}/Region`), 'us-east-1')
    assert.match(xmlText(r.xml, `${used}/LastUsedDate`) ?? '', /^2026-03-15T12:00:00/)
  })

  it("answers an unknown key, or another account's, with AWS's AccessDenied", async () => {
    const foreign = await g.store.transaction(async (tx) => {
      const account = await tx.createAccount({ accountId: '210987654321' })
      const key = await tx.createAccessKey({ accountId: account.accountId, userName: null })
      return key.accessKey.accessKeyId
    })
    for (const id of ['AKIAIOSFODNN7EXAMPLE', foreign]) {
      const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: id })
      assert.equal(r.status, 403, r.body)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: ${ARN}:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${id}`,
      })
    }
  })

  it('refuses an id under 16 characters with ValidationError', async () => {
    const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: 'AKIA123' })
    assert.deepEqual(r.error, {
      code: 'ValidationError',
      message:
        "1 validation error detected: Value 'AKIA123' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16",
    })
  })

  it("is authorized on the key's user, path included", async () => {
    const auditor = await createUserWithKey(g, 'auditor')
    await g.call('PutUserPolicy', {
      UserName: 'auditor',
      PolicyName: 'Audit',
      PolicyDocument: policy('Allow', 'iam:GetAccessKeyLastUsed', `${ARN}:user/team/*`),
    })
    const ok = await g.call('GetAccessKeyLastUsed', { AccessKeyId: keyId }, { key: auditor })
    assert.equal(ok.status, 200, ok.body)
    assert.equal(xmlText(ok.xml, 'GetAccessKeyLastUsedResult/UserName'), 'owner')
    const auditorArn = `${ARN}:user/auditor`
    const cases: [string, string][] = [
      [auditor.accessKeyId, auditorArn],
      [ROOT_KEY.accessKeyId, `${ARN}:root`],
    ]
    for (const [id, resource] of cases) {
      const r = await g.call('GetAccessKeyLastUsed', { AccessKeyId: id }, { key: auditor })
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: denial(auditorArn, 'iam:GetAccessKeyLastUsed', resource),
      })
    }
  })
})
