/** Instance profiles and the roles in them. */
import { entityArn } from '../arn.js'
import { DeleteConflictError, NotFoundError } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { InstanceProfile, InstanceProfileOps } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { ROLE_SELECT, toRole } from './rows.js'
import type { RoleRow } from './rows.js'
import { putTags } from './tags.js'

interface InstanceProfileRow {
  readonly sort_key: string
  readonly instance_profile_id: string
  readonly account_id: string
  readonly name: string
  readonly path: string
  readonly created_at: number
}

const INSTANCE_PROFILE_SELECT = `SELECT i.instance_profile_id, i.account_id, i.name, i.path,
  i.created_at, i.name_key AS sort_key
FROM instance_profiles i`

async function toInstanceProfile(
  ctx: SqlContext,
  row: InstanceProfileRow,
): Promise<InstanceProfile> {
  const roles = (
    await ctx.all<RoleRow>(
      `${ROLE_SELECT} JOIN instance_profile_roles x ON x.role_id = r.role_id
       WHERE x.instance_profile_id = ? ORDER BY r.name_key`,
      row.instance_profile_id,
    )
  ).map(toRole)
  return {
    accountId: row.account_id,
    instanceProfileId: row.instance_profile_id,
    name: row.name,
    path: row.path,
    arn: entityArn('instanceProfile', row.account_id, row.path, row.name),
    createdAt: new Date(row.created_at),
    roles,
  }
}

async function readInstanceProfile(
  ctx: SqlContext,
  id: string,
  name: string,
): Promise<InstanceProfile> {
  const row = await ctx.get<InstanceProfileRow>(
    `${INSTANCE_PROFILE_SELECT} WHERE i.instance_profile_id = ?`,
    id,
  )
  if (row === undefined) throw new NotFoundError('instanceProfile', name)
  return await toInstanceProfile(ctx, row)
}

/** The instance profile operations. */
export function instanceProfileOps(ctx: SqlContext): InstanceProfileOps {
  return {
    async createInstanceProfile(input) {
      await ctx.requireAccount(input.accountId)
      const id = newUniqueId('instanceProfile', ctx.random)
      await ctx.uniquely('instanceProfile', input.name, () =>
        ctx.run(
          `INSERT INTO instance_profiles (instance_profile_id, account_id, name, path, created_at)
           VALUES (?, ?, ?, ?, ?)`,
          id,
          input.accountId,
          input.name,
          input.path ?? '/',
          ctx.now(),
        ),
      )
      ctx.ensureWithin(
        'instanceProfilesPerAccount',
        await ctx.count(
          'SELECT count(*) FROM instance_profiles WHERE account_id = ?',
          input.accountId,
        ),
      )
      if (input.tags !== undefined) await putTags(ctx, 'instanceProfile', id, input.tags)
      return await readInstanceProfile(ctx, id, input.name)
    },

    async getInstanceProfile(accountId, name) {
      return await readInstanceProfile(
        ctx,
        await ctx.idOf('instanceProfile', accountId, name),
        name,
      )
    },

    async listInstanceProfiles(accountId, request) {
      const path = pathPrefixFilter('i.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${INSTANCE_PROFILE_SELECT} WHERE i.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        (row: InstanceProfileRow) => toInstanceProfile(ctx, row),
      )
    },

    async deleteInstanceProfile(accountId, name) {
      const id = await ctx.idOf('instanceProfile', accountId, name)
      if (
        await ctx.exists('SELECT 1 FROM instance_profile_roles WHERE instance_profile_id = ?', id)
      ) {
        throw new DeleteConflictError('instanceProfile', name, 'instanceProfileRoles')
      }
      await ctx.run('DELETE FROM instance_profiles WHERE instance_profile_id = ?', id)
    },

    async addRoleToInstanceProfile(accountId, profileName, roleName) {
      const id = await ctx.idOf('instanceProfile', accountId, profileName)
      const roleId = await ctx.idOf('role', accountId, roleName)
      // The quota is checked before the insert: with AWS's quota of one role, adding the role
      // already there is LimitExceeded, as in AWS, not a duplicate.
      ctx.ensureWithin(
        'rolesPerInstanceProfile',
        (await ctx.count(
          'SELECT count(*) FROM instance_profile_roles WHERE instance_profile_id = ?',
          id,
        )) + 1,
      )
      await ctx.uniquely('instanceProfileRole', roleName, () =>
        ctx.run(
          'INSERT INTO instance_profile_roles (instance_profile_id, role_id) VALUES (?, ?)',
          id,
          roleId,
        ),
      )
    },

    async removeRoleFromInstanceProfile(accountId, profileName, roleName) {
      const id = await ctx.idOf('instanceProfile', accountId, profileName)
      const roleId = await ctx.idOf('role', accountId, roleName)
      const { changes } = await ctx.run(
        'DELETE FROM instance_profile_roles WHERE instance_profile_id = ? AND role_id = ?',
        id,
        roleId,
      )
      if (changes === 0) throw new NotFoundError('instanceProfileRole', roleName)
    },

    async listInstanceProfilesForRole(accountId, roleName, request) {
      const roleId = await ctx.idOf('role', accountId, roleName)
      return paginate(
        ctx,
        `${INSTANCE_PROFILE_SELECT} JOIN instance_profile_roles x
           ON x.instance_profile_id = i.instance_profile_id
         WHERE x.role_id = ?`,
        [roleId],
        request,
        (row: InstanceProfileRow) => toInstanceProfile(ctx, row),
      )
    },
  }
}
