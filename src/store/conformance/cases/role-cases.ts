/** Roles. */
import assert from 'node:assert/strict'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../errors.js'
import { ACCOUNT, POLICY_DOCUMENT, START, TRUST_POLICY, holder, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

/** The role cases. */
export const roleCases: CaseGroup = {
  name: 'roles',
  cases(test) {
    test('creates a role with an AROA id, its trust policy as given and defaults', async (c) => {
      const role = await c.tx((tx) =>
        tx.createRole({
          accountId: ACCOUNT,
          name: 'Deployer',
          assumeRolePolicyDocument: TRUST_POLICY,
        }),
      )
      assert.match(role.roleId, /^AROA[A-Z2-7]{17}$/)
      assert.deepEqual(role, {
        accountId: ACCOUNT,
        roleId: role.roleId,
        name: 'Deployer',
        path: '/',
        arn: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
        createdAt: START,
        assumeRolePolicyDocument: TRUST_POLICY,
        description: null,
        maxSessionDuration: 3600,
        permissionsBoundaryArn: null,
      })
    })

    test('creates a role with a path, description, session duration, boundary and tags', async (c) => {
      await c.tx(async (tx) => {
        await tx.createPolicy({ accountId: ACCOUNT, name: 'Boundary', document: POLICY_DOCUMENT })
        const role = await tx.createRole({
          accountId: ACCOUNT,
          name: 'Deployer',
          path: '/service/',
          assumeRolePolicyDocument: TRUST_POLICY,
          description: 'deploys things',
          maxSessionDuration: 43200,
          permissionsBoundary: 'Boundary',
          tags: [{ key: 'env', value: 'prod' }],
        })
        assert.equal(role.arn, `arn:aws:iam::${ACCOUNT}:role/service/Deployer`)
        assert.equal(role.description, 'deploys things')
        assert.equal(role.maxSessionDuration, 43200)
        assert.equal(role.permissionsBoundaryArn, `arn:aws:iam::${ACCOUNT}:policy/Boundary`)
        assert.deepEqual(await tx.getRole(ACCOUNT, 'deployer'), role)
        assert.deepEqual(await tx.getRoleById(role.roleId), role)
        const tags = await tx.listTags({ kind: 'role', accountId: ACCOUNT, name: 'Deployer' })
        assert.deepEqual(tags.items, [{ key: 'env', value: 'prod' }])
      })
    })

    test('refuses a role name that differs only in case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createRole({
          accountId: ACCOUNT,
          name: 'Deployer',
          assumeRolePolicyDocument: '{}',
        })
        await rejectsWith(
          tx.createRole({ accountId: ACCOUNT, name: 'DEPLOYER', assumeRolePolicyDocument: '{}' }),
          AlreadyExistsError,
          { entity: 'role', key: 'DEPLOYER' },
        )
        await rejectsWith(tx.getRole(ACCOUNT, 'other'), NotFoundError, { entity: 'role' })
        await rejectsWith(tx.getRoleById('AROAAAAAAAAAAAAAAAAAA'), NotFoundError)
      })
    })

    test('updates only what it is given, and removes a description given as null', async (c) => {
      await c.tx(async (tx) => {
        await tx.createRole({
          accountId: ACCOUNT,
          name: 'r',
          assumeRolePolicyDocument: '{}',
          description: 'first',
        })
        const longer = await tx.updateRole(ACCOUNT, 'R', { maxSessionDuration: 7200 })
        assert.equal(longer.description, 'first')
        assert.equal(longer.maxSessionDuration, 7200)
        const trusted = await tx.updateRole(ACCOUNT, 'r', {
          assumeRolePolicyDocument: TRUST_POLICY,
        })
        assert.equal(trusted.assumeRolePolicyDocument, TRUST_POLICY)
        assert.equal(trusted.maxSessionDuration, 7200)
        const described = await tx.updateRole(ACCOUNT, 'r', { description: 'second' })
        assert.equal(described.description, 'second')
        const cleared = await tx.updateRole(ACCOUNT, 'r', { description: null })
        assert.equal(cleared.description, null)
        assert.equal(cleared.assumeRolePolicyDocument, TRUST_POLICY)
        await rejectsWith(tx.updateRole(ACCOUNT, 'missing', { description: 'x' }), NotFoundError)
      })
    })

    test('refuses to delete a role with inline or attached policies or instance profiles', async (c) => {
      await c.tx(async (tx) => {
        await tx.createRole({ accountId: ACCOUNT, name: 'r', assumeRolePolicyDocument: '{}' })
        await tx.putInlinePolicy(holder('role', 'r'), 'inline', POLICY_DOCUMENT)
        await tx.createPolicy({ accountId: ACCOUNT, name: 'P', document: POLICY_DOCUMENT })
        await tx.attachPolicy(holder('role', 'r'), 'P')
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'ip' })
        await tx.addRoleToInstanceProfile(ACCOUNT, 'ip', 'r')
        const conflict = (reason: string) =>
          rejectsWith(tx.deleteRole(ACCOUNT, 'r'), DeleteConflictError, { entity: 'role', reason })
        await conflict('inlinePolicies')
        await tx.deleteInlinePolicy(holder('role', 'r'), 'inline')
        await conflict('attachedPolicies')
        await tx.detachPolicy(holder('role', 'r'), 'P')
        await conflict('instanceProfiles')
        await tx.removeRoleFromInstanceProfile(ACCOUNT, 'ip', 'r')
        await tx.deleteRole(ACCOUNT, 'R')
        await rejectsWith(tx.getRole(ACCOUNT, 'r'), NotFoundError)
      })
    })

    test('deletes a role with its tags, so a new role of that name starts bare', async (c) => {
      await c.tx(async (tx) => {
        const first = await tx.createRole({
          accountId: ACCOUNT,
          name: 'r',
          assumeRolePolicyDocument: '{}',
          tags: [{ key: 'a', value: 'b' }],
        })
        await tx.deleteRole(ACCOUNT, 'r')
        await rejectsWith(tx.getRoleById(first.roleId), NotFoundError)
        await tx.createRole({ accountId: ACCOUNT, name: 'R', assumeRolePolicyDocument: '{}' })
        const tags = await tx.listTags({ kind: 'role', accountId: ACCOUNT, name: 'r' })
        assert.deepEqual(tags.items, [])
      })
    })

    test(
      'refuses a role past the quota of the account',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createRole({ accountId: ACCOUNT, name: 'a', assumeRolePolicyDocument: '{}' })
          await rejectsWith(
            tx.createRole({ accountId: ACCOUNT, name: 'b', assumeRolePolicyDocument: '{}' }),
            LimitExceededError,
            { quota: 'rolesPerAccount', limit: 1 },
          )
        })
      },
      { limits: { rolesPerAccount: 1 } },
    )

    test('lists roles by name under a path prefix', async (c) => {
      await c.tx(async (tx) => {
        for (const [name, path] of [
          ['web', '/app/'],
          ['Api', '/app/'],
          ['batch', '/jobs/'],
        ] as const) {
          await tx.createRole({ accountId: ACCOUNT, name, path, assumeRolePolicyDocument: '{}' })
        }
        const app = await tx.listRoles(ACCOUNT, { pathPrefix: '/app' })
        assert.deepEqual(
          app.items.map((role) => role.name),
          ['Api', 'web'],
        )
        const all = await tx.listRoles(ACCOUNT)
        assert.deepEqual(
          all.items.map((role) => role.name),
          ['Api', 'batch', 'web'],
        )
      })
    })
  },
}
