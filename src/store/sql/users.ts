/** Users. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import type { DeleteConflictReason } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { Tag, User, UserOps } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { USER_SELECT, toUser } from './rows.js'
import type { UserRow } from './rows.js'
import { putTags } from './tags.js'

/** A user by unique id; NotFoundError naming `name` if it is gone. */
export async function readUser(
  ctx: SqlContext,
  userId: string,
  name: string = userId,
): Promise<User> {
  const row = await ctx.get<UserRow>(`${USER_SELECT} WHERE u.user_id = ?`, userId)
  if (row === undefined) throw new NotFoundError('user', name)
  return toUser(row)
}

// What must be gone before a user is deleted, in the order they are checked: each table's rows
// of the user (its `user_id`).
const USER_DEPENDENTS: readonly (readonly [DeleteConflictReason, string])[] = [
  // AWS's list of what must go before a user starts with its password.
  ['loginProfile', 'login_profiles'],
  ['accessKeys', 'access_keys'],
  ['signingCertificates', 'signing_certificates'],
  ['sshPublicKeys', 'ssh_public_keys'],
  ['serviceSpecificCredentials', 'service_specific_credentials'],
  ['mfaDevices', 'virtual_mfa_devices'],
  ['inlinePolicies', 'user_inline_policies'],
  ['attachedPolicies', 'user_attached_policies'],
  ['groupMemberships', 'group_members'],
]

/**
 * A user by name with the first of USER_DEPENDENTS it still has (null when none): one statement
 * where a check per table took ten, each a round through the driver.
 */
const USER_WITH_DEPENDENT = `SELECT u.user_id AS user_id, CASE
${USER_DEPENDENTS.map(
  ([reason, table]) =>
    `  WHEN EXISTS (SELECT 1 FROM ${table} d WHERE d.user_id = u.user_id) THEN '${reason}'`,
).join('\n')}
  END AS dependent
FROM users u WHERE u.account_id = ? AND u.name_key = lower(?)`

/** A row of getUserDetails: the user's, with one of its tags and its password's last use. */
interface UserDetailsRow extends UserRow {
  readonly tag_key: string | null
  readonly tag_value: string | null
  readonly password_last_used: number | null
}

/** The user operations. */
export function userOps(ctx: SqlContext): UserOps {
  return {
    async createUser(input) {
      await ctx.requireAccount(input.accountId)
      const boundaryId =
        input.permissionsBoundary === undefined
          ? null
          : await ctx.idOf('policy', input.accountId, input.permissionsBoundary)
      const userId = newUniqueId('user', ctx.random)
      const path = input.path ?? '/'
      const createdAt = ctx.now()
      await ctx.uniquely('user', input.name, () =>
        ctx.run(
          `INSERT INTO users (user_id, account_id, name, path, boundary_policy_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          userId,
          input.accountId,
          input.name,
          path,
          boundaryId,
          createdAt,
        ),
      )
      ctx.ensureWithin(
        'usersPerAccount',
        await ctx.count('SELECT count(*) FROM users WHERE account_id = ?', input.accountId),
      )
      if (input.tags !== undefined) await putTags(ctx, 'user', userId, input.tags)
      // The boundary's ARN is the policy's, read with the user; without one, the record is
      // what was just written, and reading it back would cost a statement for nothing.
      if (boundaryId !== null) return await readUser(ctx, userId)
      return toUser({
        user_id: userId,
        account_id: input.accountId,
        name: input.name,
        path,
        created_at: createdAt,
        sort_key: input.name.toLowerCase(),
        boundary_account_id: null,
        boundary_path: null,
        boundary_name: null,
      })
    },

    async getUser(accountId, name) {
      const row = await ctx.get<UserRow>(
        `${USER_SELECT} WHERE u.account_id = ? AND u.name_key = lower(?)`,
        accountId,
        name,
      )
      if (row === undefined) throw new NotFoundError('user', name)
      return toUser(row)
    },

    async getUserDetails(accountId, name) {
      // One statement, a row per tag (one with null tag columns for a user without tags), so
      // that GetUser costs one read rather than a read each for the user, its tags and its
      // password's use.
      const rows = await ctx.all<UserDetailsRow>(
        `SELECT u.user_id, u.account_id, u.name, u.path, u.created_at, u.name_key AS sort_key,
           b.account_id AS boundary_account_id, b.path AS boundary_path, b.name AS boundary_name,
           t.key AS tag_key, t.value AS tag_value, pu.last_used_at AS password_last_used
         FROM users u LEFT JOIN policies b ON b.policy_id = u.boundary_policy_id
           LEFT JOIN user_tags t ON t.user_id = u.user_id
           LEFT JOIN password_uses pu ON pu.user_id = u.user_id
         WHERE u.account_id = ? AND u.name_key = lower(?)
         ORDER BY ${ctx.bytewise('t.key_norm')}`,
        accountId,
        name,
      )
      const first = rows[0]
      if (first === undefined) throw new NotFoundError('user', name)
      const tags: Tag[] = []
      for (const row of rows) {
        if (row.tag_key !== null) tags.push({ key: row.tag_key, value: row.tag_value ?? '' })
      }
      return {
        user: toUser(first),
        tags,
        passwordLastUsed:
          first.password_last_used === null ? null : new Date(first.password_last_used),
      }
    },

    async getUserById(userId) {
      return await readUser(ctx, userId)
    },

    async listUsers(accountId, request) {
      const path = pathPrefixFilter('u.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${USER_SELECT} WHERE u.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        toUser,
      )
    },

    async updateUser(accountId, name, update) {
      const userId = await ctx.idOf('user', accountId, name)
      const { newName, newPath } = update
      if (newName !== undefined) {
        await ctx.uniquely('user', newName, () =>
          ctx.run('UPDATE users SET name = ? WHERE user_id = ?', newName, userId),
        )
      }
      if (newPath !== undefined) {
        await ctx.run('UPDATE users SET path = ? WHERE user_id = ?', newPath, userId)
      }
      return await readUser(ctx, userId)
    },

    async deleteUser(accountId, name) {
      const row = await ctx.get<{ user_id: string; dependent: DeleteConflictReason | null }>(
        USER_WITH_DEPENDENT,
        accountId,
        name,
      )
      if (row === undefined) throw new NotFoundError('user', name)
      if (row.dependent !== null) throw new DeleteConflictError('user', name, row.dependent)
      await ctx.run('DELETE FROM users WHERE user_id = ?', row.user_id)
    },
  }
}
