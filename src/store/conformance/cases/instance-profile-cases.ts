/** Instance profiles and their roles. */
import assert from 'node:assert/strict'
import {
  AlreadyExistsError,
  DeleteConflictError,
  LimitExceededError,
  NotFoundError,
} from '../../errors.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, START, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

async function createRoles(tx: StoreTx, ...names: string[]): Promise<void> {
  for (const name of names) {
    await tx.createRole({ accountId: ACCOUNT, name, assumeRolePolicyDocument: '{}' })
  }
}

async function roleNames(tx: StoreTx, profileName: string): Promise<string[]> {
  return (await tx.getInstanceProfile(ACCOUNT, profileName)).roles.map((role) => role.name)
}

/** The instance profile cases. */
export const instanceProfileCases: CaseGroup = {
  name: 'instance profiles',
  cases(test) {
    test('creates an instance profile with an AIPA id, its ARN and no roles', async (c) => {
      await c.tx(async (tx) => {
        const profile = await tx.createInstanceProfile({
          accountId: ACCOUNT,
          name: 'WebServer',
          path: '/web/',
        })
        assert.match(profile.instanceProfileId, /^AIPA[A-Z2-7]{17}$/)
        assert.deepEqual(profile, {
          accountId: ACCOUNT,
          instanceProfileId: profile.instanceProfileId,
          name: 'WebServer',
          path: '/web/',
          arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web/WebServer`,
          createdAt: START,
          roles: [],
        })
        assert.deepEqual(await tx.getInstanceProfile(ACCOUNT, 'webserver'), profile)
      })
    })

    test('refuses an instance profile name that differs only in case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'Web' })
        await rejectsWith(
          tx.createInstanceProfile({ accountId: ACCOUNT, name: 'WEB' }),
          AlreadyExistsError,
          { entity: 'instanceProfile', key: 'WEB' },
        )
        await rejectsWith(tx.getInstanceProfile(ACCOUNT, 'db'), NotFoundError, {
          entity: 'instanceProfile',
          key: 'db',
        })
      })
    })

    test('holds one role, refusing a second or the same one again', async (c) => {
      await c.tx(async (tx) => {
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'web' })
        await createRoles(tx, 'Server', 'other')
        await tx.addRoleToInstanceProfile(ACCOUNT, 'WEB', 'server')
        const profile = await tx.getInstanceProfile(ACCOUNT, 'web')
        assert.deepEqual(profile.roles, [await tx.getRole(ACCOUNT, 'Server')])
        for (const role of ['other', 'Server']) {
          await rejectsWith(tx.addRoleToInstanceProfile(ACCOUNT, 'web', role), LimitExceededError, {
            quota: 'rolesPerInstanceProfile',
            limit: 1,
          })
        }
        assert.deepEqual(await roleNames(tx, 'web'), ['Server'])
      })
    })

    test(
      'holds several roles where the quota allows, by name, each once',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'web' })
          await createRoles(tx, 'b', 'A')
          await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'b')
          await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'a')
          assert.deepEqual(await roleNames(tx, 'web'), ['A', 'b'])
          await tx.removeRoleFromInstanceProfile(ACCOUNT, 'web', 'a')
          await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'a')
          await rejectsWith(tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'B'), AlreadyExistsError, {
            entity: 'instanceProfileRole',
          })
        })
      },
      { limits: { rolesPerInstanceProfile: 3 } },
    )

    test('removes a role, reporting one that is not in it as not found', async (c) => {
      await c.tx(async (tx) => {
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'web' })
        await createRoles(tx, 'server')
        await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'server')
        await tx.removeRoleFromInstanceProfile(ACCOUNT, 'web', 'SERVER')
        assert.deepEqual(await roleNames(tx, 'web'), [])
        await rejectsWith(
          tx.removeRoleFromInstanceProfile(ACCOUNT, 'web', 'server'),
          NotFoundError,
          {
            entity: 'instanceProfileRole',
            key: 'server',
          },
        )
        await rejectsWith(tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'nobody'), NotFoundError, {
          entity: 'role',
        })
        await rejectsWith(tx.addRoleToInstanceProfile(ACCOUNT, 'db', 'server'), NotFoundError, {
          entity: 'instanceProfile',
        })
      })
    })

    test('lists the instance profiles of a role', async (c) => {
      await c.tx(async (tx) => {
        await createRoles(tx, 'server', 'other')
        for (const name of ['web', 'Api', 'db']) {
          await tx.createInstanceProfile({ accountId: ACCOUNT, name })
        }
        await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'server')
        await tx.addRoleToInstanceProfile(ACCOUNT, 'api', 'server')
        await tx.addRoleToInstanceProfile(ACCOUNT, 'db', 'other')
        const profiles = await tx.listInstanceProfilesForRole(ACCOUNT, 'Server')
        assert.deepEqual(
          profiles.items.map((p) => [p.name, p.roles.map((r) => r.name)]),
          [
            ['Api', ['server']],
            ['web', ['server']],
          ],
        )
        await rejectsWith(tx.listInstanceProfilesForRole(ACCOUNT, 'nobody'), NotFoundError)
      })
    })

    test('lists instance profiles by name under a path prefix', async (c) => {
      await c.tx(async (tx) => {
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'b', path: '/web/' })
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'a' })
        await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'C', path: '/web/' })
        const all = await tx.listInstanceProfiles(ACCOUNT)
        assert.deepEqual(
          all.items.map((p) => p.name),
          ['a', 'b', 'C'],
        )
        const web = await tx.listInstanceProfiles(ACCOUNT, { pathPrefix: '/web/' })
        assert.deepEqual(
          web.items.map((p) => p.name),
          ['b', 'C'],
        )
      })
    })

    test('refuses to delete an instance profile that holds a role', async (c) => {
      await c.tx(async (tx) => {
        await tx.createInstanceProfile({
          accountId: ACCOUNT,
          name: 'web',
          tags: [{ key: 'k', value: 'v' }],
        })
        await createRoles(tx, 'server')
        await tx.addRoleToInstanceProfile(ACCOUNT, 'web', 'server')
        await rejectsWith(tx.deleteInstanceProfile(ACCOUNT, 'web'), DeleteConflictError, {
          entity: 'instanceProfile',
          reason: 'instanceProfileRoles',
        })
        await tx.removeRoleFromInstanceProfile(ACCOUNT, 'web', 'server')
        await tx.deleteInstanceProfile(ACCOUNT, 'Web')
        await rejectsWith(tx.getInstanceProfile(ACCOUNT, 'web'), NotFoundError)
        await rejectsWith(tx.deleteInstanceProfile(ACCOUNT, 'web'), NotFoundError)
        await tx.deleteRole(ACCOUNT, 'server')
      })
    })

    test(
      'refuses an instance profile past the quota of the account',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createInstanceProfile({ accountId: ACCOUNT, name: 'a' })
          await rejectsWith(
            tx.createInstanceProfile({ accountId: ACCOUNT, name: 'b' }),
            LimitExceededError,
            { quota: 'instanceProfilesPerAccount', limit: 1 },
          )
        })
      },
      { limits: { instanceProfilesPerAccount: 1 } },
    )
  },
}
