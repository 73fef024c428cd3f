/**
 * Groups, membership and group inline policies, in process: CreateGroup, GetGroup, ListGroups,
 * UpdateGroup, DeleteGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser,
 * Put/Get/List/DeleteGroupPolicy; and that a group's policies bear on its members' calls.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { textOf } from '../errors/strict-xml.js'
import {
  ACCOUNT_ID,
  createUserWithKey,
  policy,
  startInProcess,
  xmlAll,
  xmlText,
} from '../support/in-process.js'
import type { Credentials, InProcess, Reply } from '../support/in-process.js'

const ARN = `arn:aws:iam::${ACCOUNT_ID}`

function names(r: Reply, path: string, member: string): (string | undefined)[] {
  return xmlAll(r.xml, path).map((m) => xmlText(m, member))
}

describe('IAM groups', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('CreateGroup', () => {
    it('creates a group with a path and returns it', async () => {
      const r = await g.call('CreateGroup', { GroupName: 'Admins', Path: '/ops/' })
      assert.equal(r.status, 200, r.body)
      const group = 'CreateGroupResult/Group'
      assert.equal(xmlText(r.xml, `${group}/GroupName`), 'Admins')
      assert.equal(xmlText(r.xml, `${group}/Path`), '/ops/')
      assert.equal(xmlText(r.xml, `${group}/Arn`), `${ARN}:group/ops/Admins`)
      assert.match(xmlText(r.xml, `${group}/GroupId`) ?? '', /^AGPA[A-Z2-7]{17}$/)
      assert.match(xmlText(r.xml, `${group}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT/)
    })

    it('puts a group without a path at /', async () => {
      const r = await g.call('CreateGroup', { GroupName: 'plain' })
      assert.equal(xmlText(r.xml, 'CreateGroupResult/Group/Path'), '/')
      assert.equal(xmlText(r.xml, 'CreateGroupResult/Group/Arn'), `${ARN}:group/plain`)
    })

    it('refuses a name taken in another case with EntityAlreadyExists (409)', async () => {
      const r = await g.call('CreateGroup', { GroupName: 'ADMINS' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'Group with name ADMINS already exists.',
      })
    })

    const invalid: [string, Record<string, string>, string][] = [
      [
        'no name',
        {},
        "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null",
      ],
      [
        'a name outside the pattern',
        { GroupName: 'no spaces' },
        "1 validation error detected: Value 'no spaces' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      ],
      [
        'a name over 128 characters',
        { GroupName: 'g'.repeat(129) },
        `1 validation error detected: Value '${'g'.repeat(129)}' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128`,
      ],
      [
        'a path without the closing slash',
        { GroupName: 'pathless', Path: '/eng' },
        "1 validation error detected: Value '/eng' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
      ],
    ]
    for (const [what, params, message] of invalid) {
      it(`refuses ${what} with ValidationError (400)`, async () => {
        const r = await g.call('CreateGroup', params)
        assert.equal(r.status, 400)
        assert.deepEqual(r.error, { code: 'ValidationError', message })
      })
    }

    it('accepts a name of 128 characters', async () => {
      const r = await g.call('CreateGroup', { GroupName: 'g'.repeat(128) })
      assert.equal(r.status, 200, r.body)
      assert.equal((await g.call('DeleteGroup', { GroupName: 'g'.repeat(128) })).status, 200)
    })
  })

  describe('GetGroup', () => {
    before(async () => {
      await g.call('CreateGroup', { GroupName: 'crew' })
      for (const name of ['m5', 'm1', 'm3', 'm2', 'm4']) {
        await g.call('CreateUser', { UserName: name, Path: '/members/' })
        await g.call('AddUserToGroup', { GroupName: 'crew', UserName: name })
      }
    })

    it('returns the group and its members, paged with Marker and MaxItems', async () => {
      const seen: (string | undefined)[] = []
      let marker: string | undefined
      let pages = 0
      do {
        const r = await g.call('GetGroup', {
          GroupName: 'CREW',
          MaxItems: '2',
          ...(marker === undefined ? {} : { Marker: marker }),
        })
        assert.equal(r.status, 200, r.body)
        pages++
        assert.equal(xmlText(r.xml, 'GetGroupResult/Group/GroupName'), 'crew')
        seen.push(...names(r, 'GetGroupResult/Users/member', 'UserName'))
        marker = xmlText(r.xml, 'GetGroupResult/Marker')
        const truncated = xmlText(r.xml, 'GetGroupResult/IsTruncated')
        assert.equal(truncated, marker === undefined ? 'false' : 'true')
      } while (marker !== undefined)
      assert.equal(pages, 3)
      assert.deepEqual(seen, ['m1', 'm2', 'm3', 'm4', 'm5'])
    })

    it('gives each member as ListUsers does, without tags or boundary', async () => {
      const r = await g.call('GetGroup', { GroupName: 'crew', MaxItems: '1' })
      const member = xmlAll(r.xml, 'GetGroupResult/Users/member')[0]
      assert.ok(member !== undefined)
      assert.equal(xmlText(member, 'Arn'), `${ARN}:user/members/m1`)
      assert.equal(xmlText(member, 'Path'), '/members/')
      assert.match(xmlText(member, 'UserId') ?? '', /^AIDA/)
      assert.equal(r.body.includes('<Tags'), false)
    })

    it('sends an empty member list as <Users/>', async () => {
      const r = await g.call('GetGroup', { GroupName: 'plain' })
      assert.equal(r.status, 200, r.body)
      assert.ok(r.body.includes('<Users/>'))
      assert.equal(xmlText(r.xml, 'GetGroupResult/IsTruncated'), 'false')
    })

    it('answers a missing group with NoSuchEntity (404)', async () => {
      const r = await g.call('GetGroup', { GroupName: 'ghost' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The group with name ghost cannot be found.',
      })
    })

    it('refuses MaxItems out of range', async () => {
      const r = await g.call('GetGroup', { GroupName: 'crew', MaxItems: '1001' })
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
      })
    })
  })

  describe('ListGroups', () => {
    before(async () => {
      for (const name of ['p3', 'p1', 'p2']) {
        await g.call('CreateGroup', { GroupName: name, Path: '/paged/' })
      }
    })

    it('pages with Marker and MaxItems, sending no Marker on the last page', async () => {
      const first = await g.call('ListGroups', { PathPrefix: '/paged/', MaxItems: '2' })
      assert.deepEqual(names(first, 'ListGroupsResult/Groups/member', 'GroupName'), ['p1', 'p2'])
      assert.equal(xmlText(first.xml, 'ListGroupsResult/IsTruncated'), 'true')
      const marker = xmlText(first.xml, 'ListGroupsResult/Marker') ?? ''
      const second = await g.call('ListGroups', { PathPrefix: '/paged/', Marker: marker })
      assert.deepEqual(names(second, 'ListGroupsResult/Groups/member', 'GroupName'), ['p3'])
      assert.equal(xmlText(second.xml, 'ListGroupsResult/IsTruncated'), 'false')
      assert.equal(xmlText(second.xml, 'ListGroupsResult/Marker'), undefined)
    })

    it('filters by path prefix, and lists every group without one', async () => {
      const ops = await g.call('ListGroups', { PathPrefix: '/ops/' })
      assert.deepEqual(names(ops, 'ListGroupsResult/Groups/member', 'GroupName'), ['Admins'])
      const all = await g.call('ListGroups')
      const every = names(all, 'ListGroupsResult/Groups/member', 'GroupName')
      assert.deepEqual(every, ['Admins', 'crew', 'p1', 'p2', 'p3', 'plain'])
    })

    it('answers an empty listing with <Groups/>', async () => {
      const r = await g.call('ListGroups', { PathPrefix: '/nobody/' })
      assert.equal(r.status, 200)
      assert.ok(r.body.includes('<Groups/>'))
    })

    it('refuses a path prefix that does not begin with a slash', async () => {
      const r = await g.call('ListGroups', { PathPrefix: 'ops' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /at 'pathPrefix' failed to satisfy constraint/)
    })
  })

  describe('UpdateGroup', () => {
    it('renames and moves a group, keeping its id and members', async () => {
      await g.call('CreateGroup', { GroupName: 'before' })
      await g.call('CreateUser', { UserName: 'mover' })
      await g.call('AddUserToGroup', { GroupName: 'before', UserName: 'mover' })
      const old = await g.call('GetGroup', { GroupName: 'before' })
      const id = xmlText(old.xml, 'GetGroupResult/Group/GroupId')

      const r = await g.call('UpdateGroup', {
        GroupName: 'before',
        NewGroupName: 'after',
        NewPath: '/moved/',
      })
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'UpdateGroupResponse')
      assert.equal(xmlText(r.xml, 'UpdateGroupResult'), undefined)

      const got = await g.call('GetGroup', { GroupName: 'after' })
      assert.equal(xmlText(got.xml, 'GetGroupResult/Group/GroupId'), id)
      assert.equal(xmlText(got.xml, 'GetGroupResult/Group/Arn'), `${ARN}:group/moved/after`)
      assert.deepEqual(names(got, 'GetGroupResult/Users/member', 'UserName'), ['mover'])
      const gone = await g.call('GetGroup', { GroupName: 'before' })
      assert.deepEqual(gone.error, {
        code: 'NoSuchEntity',
        message: 'The group with name before cannot be found.',
      })
    })

    it('changes only the path when only NewPath is given, and the case of a name', async () => {
      assert.equal((await g.call('UpdateGroup', { GroupName: 'after', NewPath: '/' })).status, 200)
      const recased = await g.call('UpdateGroup', { GroupName: 'after', NewGroupName: 'AFTER' })
      assert.equal(recased.status, 200, recased.body)
      const got = await g.call('GetGroup', { GroupName: 'after' })
      assert.equal(xmlText(got.xml, 'GetGroupResult/Group/Arn'), `${ARN}:group/AFTER`)
    })

    it("refuses another group's name with EntityAlreadyExists (409)", async () => {
      const r = await g.call('UpdateGroup', { GroupName: 'AFTER', NewGroupName: 'Plain' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'Group with name Plain already exists.',
      })
      assert.equal((await g.call('GetGroup', { GroupName: 'AFTER' })).status, 200)
    })

    it('answers a missing group with NoSuchEntity', async () => {
      const r = await g.call('UpdateGroup', { GroupName: 'nonexisting', NewGroupName: 'new-name' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The group with name nonexisting cannot be found.',
      })
    })

    it('refuses an invalid new name with ValidationError', async () => {
      const r = await g.call('UpdateGroup', { GroupName: 'AFTER', NewGroupName: 'a/b' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /at 'newGroupName' failed to satisfy constraint/)
    })
  })

  describe('DeleteGroup', () => {
    it('refuses while the group has members, inline or attached policies, then deletes', async () => {
      await g.call('CreateGroup', { GroupName: 'doomed' })
      await g.call('CreateUser', { UserName: 'inmate' })
      await g.call('AddUserToGroup', { GroupName: 'doomed', UserName: 'inmate' })
      await g.call('PutGroupPolicy', {
        GroupName: 'doomed',
        PolicyName: 'Inline',
        PolicyDocument: policy('Allow', 'iam:GetUser'),
      })
      await g.store.transaction(async (tx) => {
        await tx.createPolicy({
          accountId: ACCOUNT_ID,
          name: 'Attached',
          document: policy('Allow', 'iam:GetGroup'),
        })
        await tx.attachPolicy({ kind: 'group', accountId: ACCOUNT_ID, name: 'doomed' }, 'Attached')
      })

      const conflicts: [string, () => Promise<unknown>][] = [
        [
          'Cannot delete entity, must remove users from group first.',
          () => g.call('RemoveUserFromGroup', { GroupName: 'doomed', UserName: 'inmate' }),
        ],
        [
          'Cannot delete entity, must delete policies first.',
          () => g.call('DeleteGroupPolicy', { GroupName: 'doomed', PolicyName: 'Inline' }),
        ],
        [
          'Cannot delete entity, must detach all policies first.',
          () =>
            g.store.transaction((tx) =>
              tx.detachPolicy({ kind: 'group', accountId: ACCOUNT_ID, name: 'doomed' }, 'Attached'),
            ),
        ],
      ]
      for (const [message, remove] of conflicts) {
        const r = await g.call('DeleteGroup', { GroupName: 'doomed' })
        assert.equal(r.status, 409)
        assert.deepEqual(r.error, { code: 'DeleteConflict', message })
        await remove()
      }
      const done = await g.call('DeleteGroup', { GroupName: 'DOOMED' })
      assert.equal(done.status, 200, done.body)
      assert.equal(done.xml.name, 'DeleteGroupResponse')
      assert.equal((await g.call('GetGroup', { GroupName: 'doomed' })).status, 404)
      // The former member is in no group and can go.
      assert.equal((await g.call('DeleteUser', { UserName: 'inmate' })).status, 200)
    })

    it('answers a missing group with NoSuchEntity', async () => {
      const r = await g.call('DeleteGroup', { GroupName: 'unknown-group' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The group with name unknown-group cannot be found.',
      })
    })
  })

  describe('membership', () => {
    before(async () => {
      await g.call('CreateUser', { UserName: 'joiner' })
      for (const name of ['club-b', 'club-a', 'club-c']) {
        await g.call('CreateGroup', { GroupName: name })
      }
    })

    it('adds a user to groups idempotently and lists its groups by name', async () => {
      for (const group of ['club-b', 'club-a', 'CLUB-B']) {
        const r = await g.call('AddUserToGroup', { GroupName: group, UserName: 'JOINER' })
        assert.equal(r.status, 200, r.body)
        assert.equal(r.xml.name, 'AddUserToGroupResponse')
      }
      const r = await g.call('ListGroupsForUser', { UserName: 'joiner' })
      assert.equal(r.status, 200, r.body)
      const groups = xmlAll(r.xml, 'ListGroupsForUserResult/Groups/member')
      assert.deepEqual(
        groups.map((m) => xmlText(m, 'GroupName')),
        ['club-a', 'club-b'],
      )
      assert.equal(xmlText(groups[0]!, 'Arn'), `${ARN}:group/club-a`)
      assert.match(xmlText(groups[0]!, 'GroupId') ?? '', /^AGPA/)
      assert.equal(xmlText(r.xml, 'ListGroupsForUserResult/IsTruncated'), 'false')
    })

    it('pages the groups of a user', async () => {
      const first = await g.call('ListGroupsForUser', { UserName: 'joiner', MaxItems: '1' })
      const marker = xmlText(first.xml, 'ListGroupsForUserResult/Marker') ?? ''
      assert.equal(xmlText(first.xml, 'ListGroupsForUserResult/IsTruncated'), 'true')
      const second = await g.call('ListGroupsForUser', { UserName: 'joiner', Marker: marker })
      assert.deepEqual(names(second, 'ListGroupsForUserResult/Groups/member', 'GroupName'), [
        'club-b',
      ])
      assert.equal(xmlText(second.xml, 'ListGroupsForUserResult/Marker'), undefined)
    })

    it('removes a user, and removing a non-member succeeds as in AWS', async () => {
      const r = await g.call('RemoveUserFromGroup', { GroupName: 'club-b', UserName: 'joiner' })
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'RemoveUserFromGroupResponse')
      const again = await g.call('RemoveUserFromGroup', { GroupName: 'club-b', UserName: 'joiner' })
      assert.equal(again.status, 200, again.body)
      const listed = await g.call('ListGroupsForUser', { UserName: 'joiner' })
      assert.deepEqual(names(listed, 'ListGroupsForUserResult/Groups/member', 'GroupName'), [
        'club-a',
      ])
    })

    it('answers a user in no group with <Groups/>', async () => {
      await g.call('CreateUser', { UserName: 'loner' })
      const r = await g.call('ListGroupsForUser', { UserName: 'loner' })
      assert.ok(r.body.includes('<Groups/>'))
    })

    const missing: [string, string, Record<string, string>, string][] = [
      [
        'AddUserToGroup',
        'a missing user',
        { GroupName: 'club-a', UserName: 'nonexistent-user' },
        'The user with name nonexistent-user cannot be found.',
      ],
      [
        'AddUserToGroup',
        'a missing group',
        { GroupName: 'nonexistent-group', UserName: 'joiner' },
        'The group with name nonexistent-group cannot be found.',
      ],
      [
        'AddUserToGroup',
        'both missing (the user first)',
        { GroupName: 'nonexistent-group', UserName: 'any-user' },
        'The user with name any-user cannot be found.',
      ],
      [
        'RemoveUserFromGroup',
        'a missing user',
        { GroupName: 'club-a', UserName: 'nonexistent-user' },
        'The user with name nonexistent-user cannot be found.',
      ],
      [
        'RemoveUserFromGroup',
        'a missing group',
        { GroupName: 'nonexistent-group', UserName: 'joiner' },
        'The group with name nonexistent-group cannot be found.',
      ],
      [
        'RemoveUserFromGroup',
        'both missing (the user first)',
        { GroupName: 'non-existent-group', UserName: 'any-user' },
        'The user with name any-user cannot be found.',
      ],
      [
        'ListGroupsForUser',
        'a missing user',
        { UserName: 'ghost' },
        'The user with name ghost cannot be found.',
      ],
    ]
    for (const [action, what, params, message] of missing) {
      it(`${action} answers ${what} with NoSuchEntity (404)`, async () => {
        const r = await g.call(action, params)
        assert.equal(r.status, 404)
        assert.deepEqual(r.error, { code: 'NoSuchEntity', message })
      })
    }

    it('refuses a request without UserName', async () => {
      const r = await g.call('AddUserToGroup', { GroupName: 'club-a' })
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      })
    })

    it('refuses an eleventh group with LimitExceeded, adding nothing', async () => {
      await g.call('CreateUser', { UserName: 'busy' })
      for (let i = 0; i < 10; i++) {
        await g.call('CreateGroup', { GroupName: `many-${i}` })
        const r = await g.call('AddUserToGroup', { GroupName: `many-${i}`, UserName: 'busy' })
        assert.equal(r.status, 200, r.body)
      }
      await g.call('CreateGroup', { GroupName: 'many-10' })
      const r = await g.call('AddUserToGroup', { GroupName: 'many-10', UserName: 'busy' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'Cannot exceed quota for GroupsPerUser: 10',
      })
      const group = await g.call('GetGroup', { GroupName: 'many-10' })
      assert.ok(group.body.includes('<Users/>'))
      // Adding to a group it is already in stays within the quota.
      const again = await g.call('AddUserToGroup', { GroupName: 'many-3', UserName: 'busy' })
      assert.equal(again.status, 200, again.body)
    })
  })

  describe('group inline policies', () => {
    const document = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["iam:Get*"], "Resource": "arn:aws:iam::123456789012:user/a+b"}]
}`

    before(async () => {
      await g.call('CreateGroup', { GroupName: 'writers' })
    })

    it('lists no policies as <PolicyNames/>', async () => {
      const r = await g.call('ListGroupPolicies', { GroupName: 'writers' })
      assert.equal(r.status, 200, r.body)
      assert.ok(r.body.includes('<PolicyNames/>'))
      assert.equal(xmlText(r.xml, 'ListGroupPoliciesResult/IsTruncated'), 'false')
    })

    it('stores a policy and returns it RFC 3986-encoded', async () => {
      const put = await g.call('PutGroupPolicy', {
        GroupName: 'writers',
        PolicyName: 'Read',
        PolicyDocument: document,
      })
      assert.equal(put.status, 200, put.body)
      assert.equal(put.xml.name, 'PutGroupPolicyResponse')
      const got = await g.call('GetGroupPolicy', { GroupName: 'WRITERS', PolicyName: 'Read' })
      assert.equal(got.status, 200, got.body)
      assert.equal(xmlText(got.xml, 'GetGroupPolicyResult/GroupName'), 'writers')
      assert.equal(xmlText(got.xml, 'GetGroupPolicyResult/PolicyName'), 'Read')
      const encoded = xmlText(got.xml, 'GetGroupPolicyResult/PolicyDocument') ?? ''
      assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/)
      assert.ok(encoded.includes('%20') && encoded.includes('%2B'))
      assert.equal(decodeURIComponent(encoded), document)
    })

    it('replaces a policy of the same name and pages the names', async () => {
      await g.call('PutGroupPolicy', {
        GroupName: 'writers',
        PolicyName: 'Read',
        PolicyDocument: policy('Allow', 'iam:GetGroup'),
      })
      await g.call('PutGroupPolicy', {
        GroupName: 'writers',
        PolicyName: 'Another',
        PolicyDocument: policy('Deny', 'iam:DeleteGroup'),
      })
      const first = await g.call('ListGroupPolicies', { GroupName: 'writers', MaxItems: '1' })
      assert.deepEqual(
        xmlAll(first.xml, 'ListGroupPoliciesResult/PolicyNames/member').map(textOf),
        ['Another'],
      )
      const marker = xmlText(first.xml, 'ListGroupPoliciesResult/Marker') ?? ''
      const second = await g.call('ListGroupPolicies', { GroupName: 'writers', Marker: marker })
      assert.deepEqual(
        xmlAll(second.xml, 'ListGroupPoliciesResult/PolicyNames/member').map(textOf),
        ['Read'],
      )
      const got = await g.call('GetGroupPolicy', { GroupName: 'writers', PolicyName: 'Read' })
      assert.equal(
        decodeURIComponent(xmlText(got.xml, 'GetGroupPolicyResult/PolicyDocument') ?? ''),
        policy('Allow', 'iam:GetGroup'),
      )
    })

    it('refuses a malformed document with MalformedPolicyDocument, storing nothing', async () => {
      const r = await g.call('PutGroupPolicy', {
        GroupName: 'writers',
        PolicyName: 'Bad',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*', Principal: '*' }],
        }),
      })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'MalformedPolicyDocument',
        message: 'Policy document should not specify a principal.',
      })
      const missing = await g.call('GetGroupPolicy', { GroupName: 'writers', PolicyName: 'Bad' })
      assert.equal(missing.status, 404)
    })

    it("refuses policies past the group's 5,120-character quota as IAM words it", async () => {
      await g.call('CreateGroup', { GroupName: 'verbose' })
      const actions = Array.from({ length: 300 }, (_, i) => `iam:GetGroup${i}`)
      const r = await g.call('PutGroupPolicy', {
        GroupName: 'verbose',
        PolicyName: 'Huge',
        PolicyDocument: policy('Allow', actions),
      })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'LimitExceeded',
        message: 'Maximum policy size of 5120 bytes exceeded for group verbose',
      })
      const listed = await g.call('ListGroupPolicies', { GroupName: 'verbose' })
      assert.ok(listed.body.includes('<PolicyNames/>'))
    })

    it('names a missing policy as the group policy, and a missing group as the group', async () => {
      const cases: [string, Record<string, string>, string][] = [
        [
          'GetGroupPolicy',
          { GroupName: 'writers', PolicyName: 'Nope' },
          'The group policy with name Nope cannot be found.',
        ],
        [
          'DeleteGroupPolicy',
          { GroupName: 'writers', PolicyName: 'Nope' },
          'The group policy with name Nope cannot be found.',
        ],
        [
          'GetGroupPolicy',
          { GroupName: 'ghost', PolicyName: 'x' },
          'The group with name ghost cannot be found.',
        ],
        [
          'PutGroupPolicy',
          { GroupName: 'ghost', PolicyName: 'x', PolicyDocument: policy('Allow', 'iam:GetUser') },
          'The group with name ghost cannot be found.',
        ],
        ['ListGroupPolicies', { GroupName: 'ghost' }, 'The group with name ghost cannot be found.'],
      ]
      for (const [action, params, message] of cases) {
        const r = await g.call(action, params)
        assert.equal(r.status, 404, `${action}: ${r.body}`)
        assert.deepEqual(r.error, { code: 'NoSuchEntity', message }, action)
      }
    })

    it('refuses a policy name outside the pattern', async () => {
      const r = await g.call('PutGroupPolicy', {
        GroupName: 'writers',
        PolicyName: 'has space',
        PolicyDocument: policy('Allow', 'iam:GetUser'),
      })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /at 'policyName' failed to satisfy constraint/)
    })

    it('deletes a policy', async () => {
      const r = await g.call('DeleteGroupPolicy', { GroupName: 'writers', PolicyName: 'Another' })
      assert.equal(r.status, 200, r.body)
      assert.equal(r.xml.name, 'DeleteGroupPolicyResponse')
      const listed = await g.call('ListGroupPolicies', { GroupName: 'writers' })
      assert.deepEqual(
        xmlAll(listed.xml, 'ListGroupPoliciesResult/PolicyNames/member').map(textOf),
        ['Read'],
      )
    })
  })

  describe('quota of groups per account', () => {
    it('refuses the 301st group with LimitExceeded', async () => {
      const fresh = await startInProcess()
      try {
        await fresh.store.transaction(async (tx) => {
          for (let i = 0; i < 300; i++) {
            await tx.createGroup({ accountId: ACCOUNT_ID, name: `bulk-${i}` })
          }
        })
        const r = await fresh.call('CreateGroup', { GroupName: 'one-too-many' })
        assert.equal(r.status, 409)
        assert.deepEqual(r.error, {
          code: 'LimitExceeded',
          message: 'Cannot exceed quota for GroupsPerAccount: 300',
        })
        assert.equal((await fresh.call('GetGroup', { GroupName: 'one-too-many' })).status, 404)
      } finally {
        await fresh.close()
      }
    })
  })
})

describe('group policies in authorization', () => {
  let g: InProcess
  let member: Credentials
  const memberArn = `${ARN}:user/staff/member`

  before(async () => {
    g = await startInProcess()
    member = await createUserWithKey(g, 'member', { Path: '/staff/' })
    await g.call('CreateGroup', { GroupName: 'listers' })
    await g.call('PutGroupPolicy', {
      GroupName: 'listers',
      PolicyName: 'ListUsers',
      PolicyDocument: policy('Allow', 'iam:ListUsers'),
    })
  })
  after(() => g.close())

  it("grants a member what the group's policy allows, and stops when the user leaves", async () => {
    const denied = await g.call('ListUsers', {}, { key: member })
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.error, {
      code: 'AccessDenied',
      message: `User: ${memberArn} is not authorized to perform: iam:ListUsers on resource: ${ARN}:user/ because no identity-based policy allows the iam:ListUsers action`,
    })
    await g.call('AddUserToGroup', { GroupName: 'listers', UserName: 'member' })
    assert.equal((await g.call('ListUsers', {}, { key: member })).status, 200)
    await g.call('RemoveUserFromGroup', { GroupName: 'listers', UserName: 'member' })
    const deniedAgain = await g.call('ListUsers', {}, { key: member })
    assert.deepEqual(deniedAgain.error, denied.error)
  })

  it("lets a group's explicit deny override the user's own allow", async () => {
    await g.call('PutUserPolicy', {
      UserName: 'member',
      PolicyName: 'Groups',
      PolicyDocument: policy('Allow', ['iam:ListGroups', 'iam:GetGroup']),
    })
    await g.call('CreateGroup', { GroupName: 'denied' })
    await g.call('PutGroupPolicy', {
      GroupName: 'denied',
      PolicyName: 'NoListing',
      PolicyDocument: policy('Deny', 'iam:ListGroups'),
    })
    assert.equal((await g.call('ListGroups', {}, { key: member })).status, 200)
    await g.call('AddUserToGroup', { GroupName: 'denied', UserName: 'member' })
    const r = await g.call('ListGroups', { PathPrefix: '/x/' }, { key: member })
    assert.equal(r.status, 403)
    assert.deepEqual(r.error, {
      code: 'AccessDenied',
      message: `User: ${memberArn} is not authorized to perform: iam:ListGroups on resource: ${ARN}:group/x/ with an explicit deny in an identity-based policy`,
    })
    // Deleting the group's policy ends the deny.
    await g.call('DeleteGroupPolicy', { GroupName: 'denied', PolicyName: 'NoListing' })
    assert.equal((await g.call('ListGroups', {}, { key: member })).status, 200)
  })

  it('authorizes group operations on the group ARN with its path', async () => {
    await g.call('PutUserPolicy', {
      UserName: 'member',
      PolicyName: 'Groups',
      PolicyDocument: policy(
        'Allow',
        ['iam:GetGroup', 'iam:AddUserToGroup', 'iam:PutGroupPolicy', 'iam:ListGroupsForUser'],
        [`${ARN}:group/team/*`, memberArn],
      ),
    })
    await g.call('CreateGroup', { GroupName: 'inside', Path: '/team/' })
    await g.call('CreateGroup', { GroupName: 'outside' })
    await g.call('CreateUser', { UserName: 'recruit' })

    assert.equal((await g.call('GetGroup', { GroupName: 'inside' }, { key: member })).status, 200)
    const added = await g.call(
      'AddUserToGroup',
      { GroupName: 'inside', UserName: 'recruit' },
      { key: member },
    )
    assert.equal(added.status, 200, added.body)

    const cases: [string, Record<string, string>, string][] = [
      ['iam:GetGroup', { GroupName: 'outside' }, `${ARN}:group/outside`],
      ['iam:AddUserToGroup', { GroupName: 'outside', UserName: 'recruit' }, `${ARN}:group/outside`],
      [
        'iam:PutGroupPolicy',
        { GroupName: 'outside', PolicyName: 'p', PolicyDocument: policy('Allow', 'iam:*') },
        `${ARN}:group/outside`,
      ],
      // A missing group is denied on its ARN at the root path, before NoSuchEntity.
      ['iam:GetGroup', { GroupName: 'nowhere' }, `${ARN}:group/nowhere`],
      ['iam:ListGroupsForUser', { UserName: 'recruit' }, `${ARN}:user/recruit`],
    ]
    for (const [action, params, resource] of cases) {
      const r = await g.call(action.slice(4), params, { key: member })
      assert.equal(r.status, 403, `${action}: ${r.body}`)
      assert.deepEqual(r.error, {
        code: 'AccessDenied',
        message: `User: ${memberArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      })
    }
    const own = await g.call('ListGroupsForUser', { UserName: 'member' }, { key: member })
    assert.equal(own.status, 200, own.body)
    // Nothing the denied calls asked for was written.
    const outside = await g.call('GetGroup', { GroupName: 'outside' })
    assert.ok(outside.body.includes('<Users/>'))
    const policies = await g.call('ListGroupPolicies', { GroupName: 'outside' })
    assert.ok(policies.body.includes('<PolicyNames/>'))
  })
})
