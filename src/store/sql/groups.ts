/** Groups and their members. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import type { DeleteConflictReason } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { Group, GroupOps } from '../store.js'
import type { SqlContext } from './sql-context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { GROUP_SELECT, USER_SELECT, toGroup, toUser } from './rows.js'
import type { GroupRow } from './rows.js'

async function readGroup(ctx: SqlContext, groupId: string): Promise<Group> {
  const row = await ctx.get<GroupRow>(`${GROUP_SELECT} WHERE g.group_id = ?`, groupId)
  if (row === undefined) throw new NotFoundError('group', groupId)
  return toGroup(row)
}

// What must be gone before a group is deleted, in the order they are checked.
const GROUP_DEPENDENTS: readonly (readonly [DeleteConflictReason, string])[] = [
  ['groupMembers', 'SELECT 1 FROM group_members WHERE group_id = ?'],
  ['inlinePolicies', 'SELECT 1 FROM group_inline_policies WHERE group_id = ?'],
  ['attachedPolicies', 'SELECT 1 FROM group_attached_policies WHERE group_id = ?'],
]

/** The group operations. */
export function groupOps(ctx: SqlContext): GroupOps {
  return {
    async createGroup(input) {
      await ctx.requireAccount(input.accountId)
      const groupId = newUniqueId('group', ctx.random)
      await ctx.uniquely('group', input.name, () =>
        ctx.run(
          'INSERT INTO groups (group_id, account_id, name, path, created_at) VALUES (?, ?, ?, ?, ?)',
          groupId,
          input.accountId,
          input.name,
          input.path ?? '/',
          ctx.now(),
        ),
      )
      ctx.ensureWithin(
        'groupsPerAccount',
        await ctx.count('SELECT count(*) FROM groups WHERE account_id = ?', input.accountId),
      )
      return await readGroup(ctx, groupId)
    },

    async getGroup(accountId, name) {
      return await readGroup(ctx, await ctx.idOf('group', accountId, name))
    },

    async listGroups(accountId, request) {
      const path = pathPrefixFilter('g.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${GROUP_SELECT} WHERE g.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        toGroup,
      )
    },

    async updateGroup(accountId, name, update) {
      const groupId = await ctx.idOf('group', accountId, name)
      const { newName, newPath } = update
      if (newName !== undefined) {
        await ctx.uniquely('group', newName, () =>
          ctx.run('UPDATE groups SET name = ? WHERE group_id = ?', newName, groupId),
        )
      }
      if (newPath !== undefined) {
        await ctx.run('UPDATE groups SET path = ? WHERE group_id = ?', newPath, groupId)
      }
      return await readGroup(ctx, groupId)
    },

    async deleteGroup(accountId, name) {
      const groupId = await ctx.idOf('group', accountId, name)
      for (const [reason, sql] of GROUP_DEPENDENTS) {
        if (await ctx.exists(sql, groupId)) throw new DeleteConflictError('group', name, reason)
      }
      await ctx.run('DELETE FROM groups WHERE group_id = ?', groupId)
    },

    async addUserToGroup(accountId, groupName, userName) {
      const groupId = await ctx.idOf('group', accountId, groupName)
      const userId = await ctx.idOf('user', accountId, userName)
      await ctx.run(
        'INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
        groupId,
        userId,
      )
      ctx.ensureWithin(
        'groupsPerUser',
        await ctx.count('SELECT count(*) FROM group_members WHERE user_id = ?', userId),
      )
    },

    async removeUserFromGroup(accountId, groupName, userName) {
      const groupId = await ctx.idOf('group', accountId, groupName)
      const userId = await ctx.idOf('user', accountId, userName)
      const { changes } = await ctx.run(
        'DELETE FROM group_members WHERE group_id = ? AND user_id = ?',
        groupId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('groupMembership', userName)
    },

    async listUsersInGroup(accountId, groupName, request) {
      const groupId = await ctx.idOf('group', accountId, groupName)
      return paginate(
        ctx,
        `${USER_SELECT} JOIN group_members m ON m.user_id = u.user_id WHERE m.group_id = ?`,
        [groupId],
        request,
        toUser,
      )
    },

    async listGroupsForUser(accountId, userName, request) {
      const userId = await ctx.idOf('user', accountId, userName)
      return paginate(
        ctx,
        `${GROUP_SELECT} JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = ?`,
        [userId],
        request,
        toGroup,
      )
    },
  }
}
