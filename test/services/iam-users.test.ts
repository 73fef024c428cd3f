/** CreateUser, GetUser, ListUsers and DeleteUser, in process, as the root user. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { policy, startInProcess, xmlAll, xmlText } from '../support/in-process.js'
import type { InProcess } from '../support/in-process.js'

describe('IAM users', () => {
  let g: InProcess
  before(async () => {
    g = await startInProcess()
  })
  after(() => g.close())

  describe('CreateUser', () => {
    it('creates a user with a path and returns it', async () => {
      const r = await g.call('CreateUser', { UserName: 'Alice', Path: '/division_abc/' })
      assert.equal(r.status, 200, r.body)
      const user = 'CreateUserResult/User'
      assert.equal(xmlText(r.xml, `${user}/UserName`), 'Alice')
      assert.equal(xmlText(r.xml, `${user}/Path`), '/division_abc/')
      assert.equal(
        xmlText(r.xml, `${user}/Arn`),
        'arn:aws:iam::123456789012:user/division_abc/Alice',
      )
      assert.match(xmlText(r.xml, `${user}/UserId`) ?? '', /^AIDA[A-Z2-7]{17}$/)
      assert.match(xmlText(r.xml, `${user}/CreateDate`) ?? '', /^\d{4}-\d\d-\d\dT/)
    })

    it('refuses a name taken in another case with EntityAlreadyExists (409)', async () => {
      const r = await g.call('CreateUser', { UserName: 'ALICE' })
      assert.equal(r.status, 409)
      assert.deepEqual(r.error, {
        code: 'EntityAlreadyExists',
        message: 'User with name ALICE already exists.',
      })
    })

    it('refuses a name outside the model pattern with ValidationError', async () => {
      const r = await g.call('CreateUser', { UserName: 'bad name!' })
      assert.equal(r.status, 400)
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      })
    })

    it('refuses a name over 64 characters', async () => {
      const r = await g.call('CreateUser', { UserName: 'a'.repeat(65) })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /Member must have length less than or equal to 64$/)
    })

    it('refuses a request without UserName', async () => {
      const r = await g.call('CreateUser', {})
      assert.deepEqual(r.error, {
        code: 'ValidationError',
        message:
          "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      })
    })

    it('refuses a path that does not begin and end with a slash', async () => {
      const r = await g.call('CreateUser', { UserName: 'pathless', Path: '/eng' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /at 'path' failed to satisfy constraint/)
    })

    it('keeps tags, and refuses keys that differ only in case', async () => {
      const tagged = await g.call('CreateUser', {
        UserName: 'tagged',
        'Tags.member.1.Key': 'Dept',
        'Tags.member.1.Value': 'Eng',
      })
      assert.equal(xmlText(tagged.xml, 'CreateUserResult/User/Tags/member/Key'), 'Dept')
      const got = await g.call('GetUser', { UserName: 'tagged' })
      assert.equal(xmlText(got.xml, 'GetUserResult/User/Tags/member/Value'), 'Eng')

      const twice = await g.call('CreateUser', {
        UserName: 'twice',
        'Tags.member.1.Key': 'Dept',
        'Tags.member.1.Value': 'a',
        'Tags.member.2.Key': 'dept',
        'Tags.member.2.Value': 'b',
      })
      assert.equal(twice.status, 400)
      assert.equal(twice.error?.code, 'InvalidInput')
      assert.equal((await g.call('GetUser', { UserName: 'twice' })).status, 404)
    })

    it('sets a permissions boundary that exists, and refuses one that does not', async () => {
      await g.store.transaction((tx) =>
        tx.createPolicy({
          accountId: '123456789012',
          name: 'Boundary',
          document: policy('Allow', 'iam:*'),
        }),
      )
      const arn = 'arn:aws:iam::123456789012:policy/Boundary'
      const bounded = await g.call('CreateUser', { UserName: 'bounded', PermissionsBoundary: arn })
      assert.equal(bounded.status, 200, bounded.body)
      const got = await g.call('GetUser', { UserName: 'bounded' })
      assert.equal(
        xmlText(got.xml, 'GetUserResult/User/PermissionsBoundary/PermissionsBoundaryArn'),
        arn,
      )
      const missing = 'arn:aws:iam::123456789012:policy/Missing'
      const r = await g.call('CreateUser', { UserName: 'unbounded', PermissionsBoundary: missing })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: `Policy ${missing} does not exist or is not attachable.`,
      })
    })
  })

  describe('GetUser', () => {
    it('finds a user by name without regard to case', async () => {
      const r = await g.call('GetUser', { UserName: 'alice' })
      assert.equal(r.status, 200)
      assert.equal(xmlText(r.xml, 'GetUserResult/User/UserName'), 'Alice')
    })

    it('answers a missing user with NoSuchEntity (404)', async () => {
      const r = await g.call('GetUser', { UserName: 'ghost' })
      assert.equal(r.status, 404)
      assert.deepEqual(r.error, {
        code: 'NoSuchEntity',
        message: 'The user with name ghost cannot be found.',
      })
    })

    it('answers from what the store holds now: a change shows in the next GetUser', async () => {
      // GetUser reads through the server's cache (src/auth/auth-cache.ts); every write empties it.
      const get = async (name: string) => {
        const r = await g.call('GetUser', { UserName: name })
        const keys = xmlAll(r.xml, 'GetUserResult/User/Tags/member').map((m) => xmlText(m, 'Key'))
        return { status: r.status, tags: keys }
      }
      assert.deepEqual(await get('cachy'), { status: 404, tags: [] })
      assert.equal((await g.call('CreateUser', { UserName: 'Cachy' })).status, 200)
      assert.deepEqual(await get('cachy'), { status: 200, tags: [] })
      assert.deepEqual(await get('cachy'), { status: 200, tags: [] })
      const tag = { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' }
      assert.equal((await g.call('TagUser', { UserName: 'Cachy', ...tag })).status, 200)
      assert.deepEqual(await get('CACHY'), { status: 200, tags: ['team'] })
      assert.deepEqual(await get('cachy'), { status: 200, tags: ['team'] })
      const moved = await g.call('UpdateUser', { UserName: 'Cachy', NewPath: '/moved/' })
      assert.equal(moved.status, 200)
      const r = await g.call('GetUser', { UserName: 'cachy' })
      assert.equal(xmlText(r.xml, 'GetUserResult/User/Path'), '/moved/')
      assert.equal((await g.call('DeleteUser', { UserName: 'cachy' })).status, 200)
      assert.deepEqual(await get('cachy'), { status: 404, tags: [] })
    })

    it('describes the root user when the root user names nobody', async () => {
      const r = await g.call('GetUser')
      assert.equal(r.status, 200)
      assert.equal(xmlText(r.xml, 'GetUserResult/User/UserId'), '123456789012')
      assert.equal(xmlText(r.xml, 'GetUserResult/User/Arn'), 'arn:aws:iam::123456789012:root')
      assert.equal(xmlText(r.xml, 'GetUserResult/User/UserName'), undefined)
    })
  })

  describe('ListUsers', () => {
    before(async () => {
      for (const name of ['page1', 'page2', 'page3', 'page4', 'page5']) {
        await g.call('CreateUser', { UserName: name, Path: '/paged/' })
      }
    })

    it('pages with Marker and MaxItems, sending no Marker on the last page', async () => {
      const seen: string[] = []
      let marker: string | undefined
      let pages = 0
      do {
        const r = await g.call('ListUsers', {
          PathPrefix: '/paged/',
          MaxItems: '2',
          ...(marker === undefined ? {} : { Marker: marker }),
        })
        assert.equal(r.status, 200, r.body)
        pages++
        for (const member of xmlAll(r.xml, 'ListUsersResult/Users/member')) {
          seen.push(xmlText(member, 'UserName') ?? '')
        }
        marker = xmlText(r.xml, 'ListUsersResult/Marker')
        const truncated = xmlText(r.xml, 'ListUsersResult/IsTruncated')
        assert.equal(truncated, marker === undefined ? 'false' : 'true')
      } while (marker !== undefined)
      assert.equal(pages, 3)
      assert.deepEqual(seen, ['page1', 'page2', 'page3', 'page4', 'page5'])
    })

    it('filters by path prefix and leaves out tags and boundaries', async () => {
      const r = await g.call('ListUsers', { PathPrefix: '/division_abc/' })
      const names = xmlAll(r.xml, 'ListUsersResult/Users/member').map((m) => xmlText(m, 'UserName'))
      assert.deepEqual(names, ['Alice'])
      const all = await g.call('ListUsers')
      assert.equal(all.body.includes('<Tags>'), false)
      assert.equal(all.body.includes('PermissionsBoundary'), false)
    })

    it('answers an empty listing with an empty list', async () => {
      const r = await g.call('ListUsers', { PathPrefix: '/nobody-here/' })
      assert.equal(r.status, 200)
      assert.ok(r.body.includes('<Users/>'))
      assert.equal(xmlText(r.xml, 'ListUsersResult/IsTruncated'), 'false')
    })

    it('refuses MaxItems out of range', async () => {
      const r = await g.call('ListUsers', { MaxItems: '0' })
      assert.equal(r.error?.code, 'ValidationError')
      assert.match(r.error?.message ?? '', /Member must have value greater than or equal to 1$/)
    })
  })

  describe('DeleteUser', () => {
    it('refuses while the user has access keys or inline policies, then deletes', async () => {
      await g.call('CreateUser', { UserName: 'leaving' })
      const key = await g.call('CreateAccessKey', { UserName: 'leaving' })
      const keyId = xmlText(key.xml, 'CreateAccessKeyResult/AccessKey/AccessKeyId') ?? ''
      await g.call('PutUserPolicy', {
        UserName: 'leaving',
        PolicyName: 'ReadOnly',
        PolicyDocument: policy('Allow', 'iam:Get*'),
      })

      const withKey = await g.call('DeleteUser', { UserName: 'leaving' })
      assert.equal(withKey.status, 409)
      assert.deepEqual(withKey.error, {
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must delete access keys first.',
      })
      await g.call('DeleteAccessKey', { UserName: 'leaving', AccessKeyId: keyId })

      const withPolicy = await g.call('DeleteUser', { UserName: 'leaving' })
      assert.deepEqual(withPolicy.error, {
        code: 'DeleteConflict',
        message: 'Cannot delete entity, must delete policies first.',
      })
      await g.call('DeleteUserPolicy', { UserName: 'leaving', PolicyName: 'ReadOnly' })

      const done = await g.call('DeleteUser', { UserName: 'leaving' })
      assert.equal(done.status, 200, done.body)
      assert.equal(done.xml.name, 'DeleteUserResponse')
      assert.equal(xmlText(done.xml, 'DeleteUserResult'), undefined)
      assert.equal((await g.call('GetUser', { UserName: 'leaving' })).status, 404)
    })

    it('refuses while the user is in a group', async () => {
      await g.call('CreateUser', { UserName: 'member' })
      await g.store.transaction(async (tx) => {
        await tx.createGroup({ accountId: '123456789012', name: 'club' })
        await tx.addUserToGroup('123456789012', 'club', 'member')
      })
      const r = await g.call('DeleteUser', { UserName: 'member' })
      assert.equal(r.error?.code, 'DeleteConflict')
    })

    it('answers a missing user with NoSuchEntity', async () => {
      const r = await g.call('DeleteUser', { UserName: 'ghost' })
      assert.equal(r.status, 404)
      assert.equal(r.error?.code, 'NoSuchEntity')
    })
  })
})
