/** Roles. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import type { DeleteConflictReason } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { Role, RoleOps } from '../store.js'
import type { SqliteContext, Sync } from './context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { ROLE_SELECT, toRole } from './rows.js'
import type { RoleRow } from './rows.js'
import { putTags } from './tags.js'

/** The session duration a role gets unless told otherwise (one hour, as AWS's default). */
export const DEFAULT_MAX_SESSION_DURATION = 3600

function readRole(ctx: SqliteContext, roleId: string): Role {
  const row = ctx.get<RoleRow>(`${ROLE_SELECT} WHERE r.role_id = ?`, roleId)
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
export function roleOps(ctx: SqliteContext): Sync<RoleOps> {
  return {
    createRole(input) {
      ctx.requireAccount(input.accountId)
      const boundaryId =
        input.permissionsBoundary === undefined
          ? null
          : ctx.idOf('policy', input.accountId, input.permissionsBoundary)
      const roleId = newUniqueId('role', ctx.random)
      ctx.uniquely('role', input.name, () =>
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
        ctx.count('SELECT count(*) FROM roles WHERE account_id = ?', input.accountId),
      )
      if (input.tags !== undefined) putTags(ctx, 'role', roleId, input.tags)
      return readRole(ctx, roleId)
    },

    getRole(accountId, name) {
      const row = ctx.get<RoleRow>(
        `${ROLE_SELECT} WHERE r.account_id = ? AND r.name_key = lower(?)`,
        accountId,
        name,
      )
      if (row === undefined) throw new NotFoundError('role', name)
      return toRole(row)
    },

    getRoleById(roleId) {
      return readRole(ctx, roleId)
    },

    listRoles(accountId, request) {
      const path = pathPrefixFilter('r.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${ROLE_SELECT} WHERE r.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        toRole,
      )
    },

    updateRole(accountId, name, update) {
      const roleId = ctx.idOf('role', accountId, name)
      const { description, maxSessionDuration, assumeRolePolicyDocument } = update
      if (description !== undefined) {
        ctx.run('UPDATE roles SET description = ? WHERE role_id = ?', description, roleId)
      }
      if (maxSessionDuration !== undefined) {
        ctx.run(
          'UPDATE roles SET max_session_duration = ? WHERE role_id = ?',
          maxSessionDuration,
          roleId,
        )
      }
      if (assumeRolePolicyDocument !== undefined) {
        ctx.run(
          'UPDATE roles SET assume_role_policy = ? WHERE role_id = ?',
          assumeRolePolicyDocument,
          roleId,
        )
      }
      return readRole(ctx, roleId)
    },

    deleteRole(accountId, name) {
      const roleId = ctx.idOf('role', accountId, name)
      for (const [reason, sql] of ROLE_DEPENDENTS) {
        if (ctx.exists(sql, roleId)) throw new DeleteConflictError('role', name, reason)
      }
      ctx.run('DELETE FROM roles WHERE role_id = ?', roleId)
    },
  }
}
