/** Groups and group membership. */
import assert from 'node:assert/strict'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../errors.js'
import { ACCOUNT, OTHER_ACCOUNT, POLICY_DOCUMENT, START, holder, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

/** The group cases. */
export const groupCases: CaseGroup = {
  name: 'groups',
  cases(test) {
    test('creates a group with an AGPA id and its ARN, and finds it without case', async (c) => {
      await c.tx(async (tx) => {
        const group = await tx.createGroup({ accountId: ACCOUNT, name: 'Admins', path: '/ops/' })
        assert.match(group.groupId, /^AGPA[A-Z2-7]{17}$/)
        assert.deepEqual(group, {
          accountId: ACCOUNT,
          groupId: group.groupId,
          name: 'Admins',
          path: '/ops/',
          arn: `arn:aws:iam::${ACCOUNT}:group/ops/Admins`,
          createdAt: START,
        })
        assert.deepEqual(await tx.getGroup(ACCOUNT, 'ADMINS'), group)
      })
    })

    test('refuses a group name that differs only in case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT, name: 'Admins' })
        await rejectsWith(
          tx.createGroup({ accountId: ACCOUNT, name: 'admins' }),
          AlreadyExistsError,
          {
            entity: 'group',
            key: 'admins',
          },
        )
        await tx.createGroup({ accountId: OTHER_ACCOUNT, name: 'admins' })
        await rejectsWith(tx.getGroup(ACCOUNT, 'nobody'), NotFoundError, { entity: 'group' })
      })
    })

    test('renames and moves a group, refusing a taken name', async (c) => {
      await c.tx(async (tx) => {
        const before = await tx.createGroup({ accountId: ACCOUNT, name: 'admins' })
        await tx.createGroup({ accountId: ACCOUNT, name: 'devs' })
        const after = await tx.updateGroup(ACCOUNT, 'admins', { newName: 'Ops', newPath: '/x/' })
        assert.equal(after.groupId, before.groupId)
        assert.equal(after.arn, `arn:aws:iam::${ACCOUNT}:group/x/Ops`)
        await rejectsWith(tx.updateGroup(ACCOUNT, 'ops', { newName: 'DEVS' }), AlreadyExistsError)
        await rejectsWith(tx.getGroup(ACCOUNT, 'admins'), NotFoundError)
      })
    })

    test('adds and removes members, adding twice being harmless', async (c) => {
      await c.tx(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT, name: 'admins' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.createUser({ accountId: ACCOUNT, name: 'Alice' })
        await tx.addUserToGroup(ACCOUNT, 'admins', 'bob')
        await tx.addUserToGroup(ACCOUNT, 'ADMINS', 'alice')
        await tx.addUserToGroup(ACCOUNT, 'admins', 'BOB')
        const members = await tx.listUsersInGroup(ACCOUNT, 'admins')
        assert.deepEqual(
          members.items.map((user) => user.name),
          ['Alice', 'bob'],
        )
        await tx.removeUserFromGroup(ACCOUNT, 'admins', 'bob')
        const left = await tx.listUsersInGroup(ACCOUNT, 'admins')
        assert.deepEqual(
          left.items.map((user) => user.name),
          ['Alice'],
        )
      })
    })

    test('reports removing a user who is not a member as not found', async (c) => {
      await c.tx(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT, name: 'admins' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await rejectsWith(tx.removeUserFromGroup(ACCOUNT, 'admins', 'bob'), NotFoundError, {
          entity: 'groupMembership',
          key: 'bob',
        })
        await rejectsWith(tx.addUserToGroup(ACCOUNT, 'admins', 'carol'), NotFoundError, {
          entity: 'user',
        })
        await rejectsWith(tx.addUserToGroup(ACCOUNT, 'devs', 'bob'), NotFoundError, {
          entity: 'group',
        })
        await rejectsWith(tx.listUsersInGroup(ACCOUNT, 'devs'), NotFoundError)
        await rejectsWith(tx.listGroupsForUser(ACCOUNT, 'carol'), NotFoundError)
      })
    })

    test('lists the groups of a user by name, following renames', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        for (const name of ['devs', 'Admins', 'ops']) {
          await tx.createGroup({ accountId: ACCOUNT, name })
          await tx.addUserToGroup(ACCOUNT, name, 'bob')
        }
        await tx.updateUser(ACCOUNT, 'bob', { newName: 'robert' })
        await tx.updateGroup(ACCOUNT, 'ops', { newName: 'zeta' })
        const groups = await tx.listGroupsForUser(ACCOUNT, 'robert')
        assert.deepEqual(
          groups.items.map((group) => group.name),
          ['Admins', 'devs', 'zeta'],
        )
      })
    })

    test(
      'refuses a membership past the groups-per-user quota',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
          for (const name of ['a', 'b', 'c']) await tx.createGroup({ accountId: ACCOUNT, name })
          await tx.addUserToGroup(ACCOUNT, 'a', 'bob')
          await tx.addUserToGroup(ACCOUNT, 'b', 'bob')
          await tx.addUserToGroup(ACCOUNT, 'b', 'bob')
          await rejectsWith(tx.addUserToGroup(ACCOUNT, 'c', 'bob'), LimitExceededError, {
            quota: 'groupsPerUser',
            limit: 2,
          })
          assert.equal((await tx.listUsersInGroup(ACCOUNT, 'c')).items.length, 0)
        })
      },
      { limits: { groupsPerUser: 2 } },
    )

    test(
      'refuses a group past the quota of the account',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createGroup({ accountId: ACCOUNT, name: 'a' })
          await rejectsWith(tx.createGroup({ accountId: ACCOUNT, name: 'b' }), LimitExceededError, {
            quota: 'groupsPerAccount',
          })
          await rejectsWith(tx.getGroup(ACCOUNT, 'b'), NotFoundError)
        })
      },
      { limits: { groupsPerAccount: 1 } },
    )

    test('refuses to delete a group with members, inline or attached policies', async (c) => {
      await c.tx(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT, name: 'admins' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.addUserToGroup(ACCOUNT, 'admins', 'bob')
        await tx.putInlinePolicy(holder('group', 'admins'), 'inline', POLICY_DOCUMENT)
        await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
        await tx.attachPolicy(holder('group', 'admins'), 'P')
        const conflict = (reason: string) =>
          rejectsWith(tx.deleteGroup(ACCOUNT, 'admins'), DeleteConflictError, {
            entity: 'group',
            reason,
          })
        await conflict('groupMembers')
        await tx.removeUserFromGroup(ACCOUNT, 'admins', 'bob')
        await conflict('inlinePolicies')
        await tx.deleteInlinePolicy(holder('group', 'admins'), 'inline')
        await conflict('attachedPolicies')
        await tx.detachPolicy(holder('group', 'admins'), 'P')
        await tx.deleteGroup(ACCOUNT, 'ADMINS')
        await rejectsWith(tx.getGroup(ACCOUNT, 'admins'), NotFoundError)
        await rejectsWith(tx.deleteGroup(ACCOUNT, 'admins'), NotFoundError)
      })
    })

    test('lists groups by name under a path prefix', async (c) => {
      await c.tx(async (tx) => {
        await tx.createGroup({ accountId: ACCOUNT, name: 'b', path: '/eng/' })
        await tx.createGroup({ accountId: ACCOUNT, name: 'A', path: '/eng/web/' })
        await tx.createGroup({ accountId: ACCOUNT, name: 'c' })
        await tx.createGroup({ accountId: OTHER_ACCOUNT, name: 'd', path: '/eng/' })
        const all = await tx.listGroups(ACCOUNT)
        assert.deepEqual(
          all.items.map((group) => group.name),
          ['A', 'b', 'c'],
        )
        const eng = await tx.listGroups(ACCOUNT, { pathPrefix: '/eng/' })
        assert.deepEqual(
          eng.items.map((group) => group.name),
          ['A', 'b'],
        )
      })
    })
  },
}
