/** Users. */
import assert from 'node:assert/strict'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../errors.js'
import { ACCOUNT, OTHER_ACCOUNT, POLICY_DOCUMENT, START, holder, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

/** The user cases. */
export const userCases: CaseGroup = {
  name: 'users',
  cases(test) {
    test('creates a user with an AIDA id, the root path and its ARN', async (c) => {
      const user = await c.tx((tx) => tx.createUser({ accountId: ACCOUNT, name: 'Alice' }))
      assert.match(user.userId, /^AIDA[A-Z2-7]{17}$/)
      assert.deepEqual(user, {
        accountId: ACCOUNT,
        userId: user.userId,
        name: 'Alice',
        path: '/',
        arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
        createdAt: START,
        permissionsBoundaryArn: null,
      })
    })

    test('puts the path in the ARN', async (c) => {
      const user = await c.tx((tx) =>
        tx.createUser({
          accountId: ACCOUNT,
          name: 'JaneDoe',
          path: '/division_abc/subdivision_xyz/',
        }),
      )
      assert.equal(user.path, '/division_abc/subdivision_xyz/')
      assert.equal(user.arn, `arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/JaneDoe`)
    })

    test('finds a user by name without regard to case, and by id', async (c) => {
      await c.tx(async (tx) => {
        const created = await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        assert.deepEqual(await tx.getUser(ACCOUNT, 'alice'), created)
        assert.deepEqual(await tx.getUser(ACCOUNT, 'ALICE'), created)
        assert.deepEqual(await tx.getUserById(created.userId), created)
      })
    })

    test('reads a user with its tags in key order and its password use in one call', async (c) => {
      await c.tx(async (tx) => {
        const boundary = await tx.createPolicy({
          accountId: ACCOUNT,
          name: 'Boundary',
          document: POLICY_DOCUMENT,
        })
        const created = await tx.createUser({
          accountId: ACCOUNT,
          name: 'Alice',
          permissionsBoundary: 'Boundary',
          tags: [
            { key: 'team', value: 'blue' },
            { key: 'Cost', value: '' },
            { key: 'b', value: 'x' },
          ],
        })
        assert.equal(created.permissionsBoundaryArn, boundary.arn)
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'alice' })
        const tags = (await tx.listTags({ kind: 'user', accountId: ACCOUNT, name: 'alice' })).items
        assert.deepEqual(
          tags.map((t) => t.key),
          ['b', 'Cost', 'team'],
        )
        assert.deepEqual(await tx.getUserDetails(ACCOUNT, 'ALICE'), {
          user: created,
          tags,
          passwordLastUsed: null,
        })
        await tx.recordPasswordUse(ACCOUNT, 'alice')
        assert.deepEqual((await tx.getUserDetails(ACCOUNT, 'alice')).passwordLastUsed, START)
        const bare = await tx.createUser({ accountId: ACCOUNT, name: 'Bob' })
        assert.deepEqual(await tx.getUserDetails(ACCOUNT, 'bob'), {
          user: bare,
          tags: [],
          passwordLastUsed: null,
        })
        await rejectsWith(tx.getUserDetails(ACCOUNT, 'nobody'), NotFoundError, {
          entity: 'user',
          key: 'nobody',
        })
      })
    })

    test('refuses a name that differs only in case, within one account', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        await rejectsWith(
          tx.createUser({ accountId: ACCOUNT, name: 'aLICE' }),
          AlreadyExistsError,
          {
            entity: 'user',
            key: 'aLICE',
          },
        )
        const other = await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'alice' })
        assert.equal(other.accountId, OTHER_ACCOUNT)
      })
    })

    test('reports a missing user as not found', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(tx.getUser(ACCOUNT, 'nobody'), NotFoundError, {
          entity: 'user',
          key: 'nobody',
        })
        await rejectsWith(tx.getUserById('AIDAAAAAAAAAAAAAAAAAA'), NotFoundError, {
          entity: 'user',
        })
        await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'elsewhere' })
        await rejectsWith(tx.getUser(ACCOUNT, 'elsewhere'), NotFoundError)
      })
    })

    test('renames a user, keeping its id', async (c) => {
      await c.tx(async (tx) => {
        const before = await tx.createUser({ accountId: ACCOUNT, name: 'alice', path: '/a/' })
        const after = await tx.updateUser(ACCOUNT, 'ALICE', { newName: 'Alicia' })
        assert.equal(after.userId, before.userId)
        assert.equal(after.name, 'Alicia')
        assert.equal(after.arn, `arn:aws:iam::${ACCOUNT}:user/a/Alicia`)
        await rejectsWith(tx.getUser(ACCOUNT, 'alice'), NotFoundError)
        assert.deepEqual(await tx.getUser(ACCOUNT, 'alicia'), after)
      })
    })

    test('lets a user change the case of its own name', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        assert.equal((await tx.updateUser(ACCOUNT, 'alice', { newName: 'ALICE' })).name, 'ALICE')
      })
    })

    test('moves a user to another path', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const moved = await tx.updateUser(ACCOUNT, 'alice', { newPath: '/eng/' })
        assert.equal(moved.path, '/eng/')
        assert.equal(moved.name, 'alice')
        assert.equal(moved.arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`)
      })
    })

    test('refuses to rename a user to a name taken without regard to case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await rejectsWith(tx.updateUser(ACCOUNT, 'alice', { newName: 'BOB' }), AlreadyExistsError, {
          entity: 'user',
          key: 'BOB',
        })
        await rejectsWith(tx.updateUser(ACCOUNT, 'carol', { newPath: '/x/' }), NotFoundError)
        assert.equal((await tx.getUser(ACCOUNT, 'alice')).name, 'alice')
      })
    })

    test('deletes a user, so that its name can be used again', async (c) => {
      await c.tx(async (tx) => {
        const first = await tx.createUser({
          accountId: ACCOUNT,
          name: 'alice',
          tags: [{ key: 'team', value: 'a' }],
        })
        await tx.deleteUser(ACCOUNT, 'ALICE')
        await rejectsWith(tx.getUser(ACCOUNT, 'alice'), NotFoundError)
        await rejectsWith(tx.deleteUser(ACCOUNT, 'alice'), NotFoundError, { entity: 'user' })
        const second = await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        assert.notEqual(second.userId, first.userId)
        const tags = await tx.listTags({ kind: 'user', accountId: ACCOUNT, name: 'alice' })
        assert.deepEqual(tags.items, [])
      })
    })

    test('refuses to delete a user with keys, inline or attached policies or groups', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const key = await tx.createAccessKey({ accountId: ACCOUNT, userName: 'alice' })
        await tx.putInlinePolicy(holder('user', 'alice'), 'inline', POLICY_DOCUMENT)
        await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
        await tx.attachPolicy(holder('user', 'alice'), 'P')
        await tx.createGroup({ accountId: ACCOUNT, name: 'admins' })
        await tx.addUserToGroup(ACCOUNT, 'admins', 'alice')
        const conflict = (reason: string) =>
          rejectsWith(tx.deleteUser(ACCOUNT, 'alice'), DeleteConflictError, {
            entity: 'user',
            key: 'alice',
            reason,
          })
        await conflict('accessKeys')
        await tx.deleteAccessKey(ACCOUNT, 'alice', key.accessKey.accessKeyId)
        await conflict('inlinePolicies')
        await tx.deleteInlinePolicy(holder('user', 'alice'), 'inline')
        await conflict('attachedPolicies')
        await tx.detachPolicy(holder('user', 'alice'), 'P')
        await conflict('groupMemberships')
        await tx.removeUserFromGroup(ACCOUNT, 'admins', 'alice')
        await tx.deleteUser(ACCOUNT, 'alice')
      })
    })

    test('deletes a user together with its permissions boundary', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'Boundary', document: POLICY_DOCUMENT })
        await tx.createUser({ accountId: ACCOUNT, name: 'alice', permissionsBoundary: 'Boundary' })
        await tx.deleteUser(ACCOUNT, 'alice')
        assert.equal((await tx.getPolicy(ACCOUNT, 'Boundary')).permissionsBoundaryUsageCount, 0)
        await tx.deletePolicy(ACCOUNT, 'Boundary')
      })
    })

    test('creates a user with a permissions boundary and tags', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'Boundary', document: POLICY_DOCUMENT })
        const user = await tx.createUser({
          accountId: ACCOUNT,
          name: 'alice',
          permissionsBoundary: 'boundary',
          tags: [{ key: 'team', value: 'blue' }],
        })
        assert.equal(user.permissionsBoundaryArn, `arn:aws:iam::${ACCOUNT}:policy/Boundary`)
        const tags = await tx.listTags({ kind: 'user', accountId: ACCOUNT, name: 'alice' })
        assert.deepEqual(tags.items, [{ key: 'team', value: 'blue' }])
      })
    })

    test('creates no user whose permissions boundary does not exist', async (c) => {
      await c.tx(async (tx) => {
        await rejectsWith(
          tx.createUser({ accountId: ACCOUNT, name: 'alice', permissionsBoundary: 'Missing' }),
          NotFoundError,
          { entity: 'policy', key: 'Missing' },
        )
        await rejectsWith(tx.getUser(ACCOUNT, 'alice'), NotFoundError)
      })
    })

    test(
      'refuses a user past the quota of the account',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createUser({ accountId: ACCOUNT, name: 'a' })
          await tx.createUser({ accountId: ACCOUNT, name: 'b' })
          await rejectsWith(tx.createUser({ accountId: ACCOUNT, name: 'c' }), LimitExceededError, {
            quota: 'usersPerAccount',
            limit: 2,
          })
          await rejectsWith(tx.getUser(ACCOUNT, 'c'), NotFoundError)
          await tx.createUser({ accountId: OTHER_ACCOUNT, name: 'c' })
          await tx.deleteUser(ACCOUNT, 'a')
          await tx.createUser({ accountId: ACCOUNT, name: 'c' })
        })
      },
      { limits: { usersPerAccount: 2 } },
    )
  },
}
