/**
 * Group membership: AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser (reference §2,
 * "Groups and group membership").
 */
import { NotFoundError } from '../../store/errors.js'
import { defineOperation } from '../operation.js'
import { GROUP_NAME } from './group-shapes.js'
import { groupXml } from './group-results.js'
import { pageEnd, pageRequest } from './results.js'
import { EXISTING_USER_NAME, PAGE_MEMBERS, required } from './shapes.js'
import { targetGroupArn } from './target-group.js'
import { targetUserArn } from './target-user.js'

const MEMBERSHIP_INPUT = {
  kind: 'structure',
  members: { GroupName: required(GROUP_NAME), UserName: required(EXISTING_USER_NAME) },
} as const

/** AddUserToGroup: idempotent; LimitExceeded past the ten groups a user may belong to. */
export const ADD_USER_TO_GROUP = defineOperation({
  name: 'AddUserToGroup',
  action: 'iam:AddUserToGroup',
  input: MEMBERSHIP_INPUT,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    // IAM names a missing user before a missing group (recorded against AWS: both missing gives
    // "The user with name ... cannot be found."); the store would look for the group first.
    const user = await ctx.tx.getUser(ctx.caller.accountId, input.UserName)
    await ctx.tx.addUserToGroup(ctx.caller.accountId, input.GroupName, user.name)
    return undefined
  },
})

/**
 * RemoveUserFromGroup. Removing a user who is not a member succeeds, as it does in AWS (recorded
 * against AWS); a missing user or group is NoSuchEntity, the user named first.
 */
export const REMOVE_USER_FROM_GROUP = defineOperation({
  name: 'RemoveUserFromGroup',
  action: 'iam:RemoveUserFromGroup',
  input: MEMBERSHIP_INPUT,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    const { accountId } = ctx.caller
    const user = await ctx.tx.getUser(accountId, input.UserName)
    const group = await ctx.tx.getGroup(accountId, input.GroupName)
    try {
      await ctx.tx.removeUserFromGroup(accountId, group.name, user.name)
    } catch (err) {
      if (!(err instanceof NotFoundError && err.entity === 'groupMembership')) throw err
    }
    return undefined
  },
})

/** ListGroupsForUser: the groups a user belongs to, by name. */
export const LIST_GROUPS_FOR_USER = defineOperation({
  name: 'ListGroupsForUser',
  action: 'iam:ListGroupsForUser',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listGroupsForUser(
      ctx.caller.accountId,
      input.UserName,
      pageRequest(input),
    )
    return { Groups: page.items.map(groupXml), ...pageEnd(page) }
  },
})
