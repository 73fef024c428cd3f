/** Groups and their members. */
import { DeleteConflictError, NotFoundError } from '../errors.js'
import type { DeleteConflictReason } from '../errors.js'
import { newUniqueId } from '../ids.js'
import type { Group, GroupOps } from '../store.js'
import type { SqliteContext, Sync } from './context.js'
import { paginate, pathPrefixFilter } from './paginate.js'
import { GROUP_SELECT, USER_SELECT, toGroup, toUser } from './rows.js'
import type { GroupRow } from './rows.js'

function readGroup(ctx: SqliteContext, groupId: string): Group {
  const row = ctx.get<GroupRow>(`${GROUP_SELECT} WHERE g.group_id = ?`, groupId)
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
export function groupOps(ctx: SqliteContext): Sync<GroupOps> {
  return {
    createGroup(input) {
      ctx.requireAccount(input.accountId)
      const groupId = newUniqueId('group', ctx.random)
      ctx.uniquely('group', input.name, () =>
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
        ctx.count('SELECT count(*) FROM groups WHERE account_id = ?', input.accountId),
      )
      return readGroup(ctx, groupId)
    },

    getGroup(accountId, name) {
      return readGroup(ctx, ctx.idOf('group', accountId, name))
    },

    listGroups(accountId, request) {
      const path = pathPrefixFilter('g.path', request?.pathPrefix)
      return paginate(
        ctx,
        `${GROUP_SELECT} WHERE g.account_id = ?${path.sql}`,
        [accountId, ...path.params],
        request,
        toGroup,
      )
    },

    updateGroup(accountId, name, update) {
      const groupId = ctx.idOf('group', accountId, name)
      const { newName, newPath } = update
      if (newName !== undefined) {
        ctx.uniquely('group', newName, () =>
          ctx.run('UPDATE groups SET name = ? WHERE group_id = ?', newName, groupId),
        )
      }
      if (newPath !== undefined) {
        ctx.run('UPDATE groups SET path = ? WHERE group_id = ?', newPath, groupId)
      }
      return readGroup(ctx, groupId)
    },

    deleteGroup(accountId, name) {
      const groupId = ctx.idOf('group', accountId, name)
      for (const [reason, sql] of GROUP_DEPENDENTS) {
        if (ctx.exists(sql, groupId)) throw new DeleteConflictError('group', name, reason)
      }
      ctx.run('DELETE FROM groups WHERE group_id = ?', groupId)
    },

    addUserToGroup(accountId, groupName, userName) {
      const groupId = ctx.idOf('group', accountId, groupName)
      const userId = ctx.idOf('user', accountId, userName)
      ctx.run(
        'INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)',
        groupId,
        userId,
      )
      ctx.ensureWithin(
        'groupsPerUser',
        ctx.count('SELECT count(*) FROM group_members WHERE user_id = ?', userId),
      )
    },

    removeUserFromGroup(accountId, groupName, userName) {
      const groupId = ctx.idOf('group', accountId, groupName)
      const userId = ctx.idOf('user', accountId, userName)
      const { changes } = ctx.run(
        'DELETE FROM group_members WHERE group_id = ? AND user_id = ?',
        groupId,
        userId,
      )
      if (changes === 0) throw new NotFoundError('groupMembership', userName)
    },

    listUsersInGroup(accountId, groupName, request) {
      const groupId = ctx.idOf('group', accountId, groupName)
      return paginate(
        ctx,
        `${USER_SELECT} JOIN group_members m ON m.user_id = u.user_id WHERE m.group_id = ?`,
        [groupId],
        request,
        toUser,
      )
    },

    listGroupsForUser(accountId, userName, request) {
      const userId = ctx.idOf('user', accountId, userName)
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
