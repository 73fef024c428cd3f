/** Roles. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import type { DeleteConflictReason } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { Role, RoleOps } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { ROLE_SELECT, toRole } from './rows.js'
import type { RoleRow } from './rows.js'
import { putTags } from './tags.js'

/** The session duration a role gets unless told otherwise (one hour, as AWS's default). */
export const DEFAULT_MAX_SESSION_DURATION = 3600

async function readRole(ctx: SqlContext, roleId: string): Promise<Role> {
  const row = await ctx.get<RoleRow>(`${ROLE_SELECT} WHERE r.role_id = ?`, roleId)
  if (row === undefined) throw new NotFoundError('role', roleId)
  return toRole(row)
}

// What must be gone before a role is deleted, in the order they are checked.
const ROLE_DEPENDENTS: readonly (readonly [DeleteConflictReason, string])[] = [
  ['inlinePolicies', 'SELECT 1 FROM role_inline_policies WHERE role_id = ?'],
  ['attachedPolicies', 'SELECT 1 FROM role_attached_policies WHERE role_id = ?'],
  ['instanceProfiles', 'SELECT 1 FROM instance_profile_roles WHERE role_id = ?'],
]

/** The role operations. */
export function roleOps(ctx: SqlContext): RoleOps {
  return {
    async createRole(input) {
      await ctx.requireAccount(input.accountId)
      const boundaryId =
        input.permissionsBoundary === undefined
          ? null
          : await ctx.idOf('policy', input.accountId, input.permissionsBoundary)
      const roleId = newUniqueId('role', ctx.random)
      await ctx.uniquely('role', input.name, () =>
        ctx.run(
          `INSERT INTO roles (role_id, account_id, name, path, assume_role_policy, description,
             max_session_duration, boundary_policy_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          roleId,
          input.accountId,
          input.name,
          input.path ?? '/',
          input.assumeRolePolicyDocument,
          input.description ?? null,
          input.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
          boundaryId,
          ctx.now(),
        ),
      )
      ctx.ensureWithin(
        'rolesPerAccount',
        await ctx.count('SELECT count(*) FROM roles WHERE account_id = ?', input.accountId),
      )
      if (input.tags !== undefined) await putTags(ctx, 'role', roleId, input.tags)
      return await readRole(ctx, roleId)
    },

    async getRole(accountId, name) {
      const row = await ctx.get<RoleRow>(
        `${ROLE_SELECT} WHERE r.account_id = ? AND r.name_key = lower(?)`,
        accountId,
        name,
      )
      if (row === undefined) throw new NotFoundError('role', name)
      return toRole(row)
    },

    async getRoleById(roleId) {
      return await readRole(ctx, roleId)
    },

    async listRoles(accountId, request) {
      const path = pathPrefixFilter('r.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${ROLE_SELECT} WHERE r.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        toRole,
      )
    },

    async updateRole(accountId, name, update) {
      const roleId = await ctx.idOf('role', accountId, name)
      const { description, maxSessionDuration, assumeRolePolicyDocument } = update
      if (description !== undefined) {
        await ctx.run('UPDATE roles SET description = ? WHERE role_id = ?', description, roleId)
      }
      if (maxSessionDuration !== undefined) {
        await ctx.run(
          'UPDATE roles SET max_session_duration = ? WHERE role_id = ?',
          maxSessionDuration,
          roleId,
        )
      }
      if (assumeRolePolicyDocument !== undefined) {
        await ctx.run(
          'UPDATE roles SET assume_role_policy = ? WHERE role_id = ?',
          assumeRolePolicyDocument,
          roleId,
        )
      }
      return await readRole(ctx, roleId)
    },

    async deleteRole(accountId, name) {
      const roleId = await ctx.idOf('role', accountId, name)
      for (const [reason, sql] of ROLE_DEPENDENTS) {
        if (await ctx.exists(sql, roleId)) throw new DeleteConflictError('role', name, reason)
      }
      await ctx.run('DELETE FROM roles WHERE role_id = ?', roleId)
    },
  }
}
