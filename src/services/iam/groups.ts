/**
 * IAM groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup (reference §2, "Groups
 * and group membership").
 */
import { entityArn } from '../../store/arn.js'
import { defineOperation } from '../operation.js'
import { GROUP_NAME } from './group-shapes.js'
import { groupXml } from './group-results.js'
import { ifFound } from './if-found.js'
import { renameAuthorizations } from './rename-authorization.js'
import { pageEnd, pageRequest, userXml } from './results.js'
import { PAGE_MEMBERS, PATH, PATH_PREFIX, required } from './shapes.js'
import { targetGroupArn } from './target-group.js'

/** CreateGroup. */
export const CREATE_GROUP = defineOperation({
  name: 'CreateGroup',
  action: 'iam:CreateGroup',
  input: {
    kind: 'structure',
    members: { Path: PATH, GroupName: required(GROUP_NAME) },
  } as const,
  resource: (input, ctx) =>
    entityArn('group', ctx.caller.accountId, input.Path ?? '/', input.GroupName),
  handle: async (input, ctx) => {
    const group = await ctx.tx.createGroup({
      accountId: ctx.caller.accountId,
      name: input.GroupName,
      ...(input.Path === undefined ? {} : { path: input.Path }),
    })
    return { Group: groupXml(group) }
  },
})

/** GetGroup: the group and a page of its members (Marker/MaxItems page the members). */
export const GET_GROUP = defineOperation({
  name: 'GetGroup',
  action: 'iam:GetGroup',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    const group = await ctx.tx.getGroup(ctx.caller.accountId, input.GroupName)
    const page = await ctx.tx.listUsersInGroup(group.accountId, group.name, pageRequest(input))
    return {
      Group: groupXml(group),
      // As in ListUsers, members come without their tags and boundaries.
      Users: page.items.map((user) => userXml(user, [], false)),
      ...pageEnd(page),
    }
  },
})

/** ListGroups: by name, filtered by path prefix, Marker/MaxItems paginated. */
export const LIST_GROUPS = defineOperation({
  name: 'ListGroups',
  action: 'iam:ListGroups',
  input: { kind: 'structure', members: { PathPrefix: PATH_PREFIX, ...PAGE_MEMBERS } } as const,
  // Authorized on the path it lists, as ListUsers is ("... on resource: ...:group/").
  resource: (input, ctx) => entityArn('group', ctx.caller.accountId, input.PathPrefix ?? '/', ''),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listGroups(ctx.caller.accountId, {
      ...pageRequest(input),
      ...(input.PathPrefix === undefined ? {} : { pathPrefix: input.PathPrefix }),
    })
    return { Groups: page.items.map(groupXml), ...pageEnd(page) }
  },
})

/**
 * UpdateGroup: renames or moves a group; its id, members and policies stay with it.
 * EntityAlreadyExists when another group has the new name in any case. Authorized on the
 * group's ARN before and after.
 */
export const UPDATE_GROUP = defineOperation({
  name: 'UpdateGroup',
  action: 'iam:UpdateGroup',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), NewPath: PATH, NewGroupName: GROUP_NAME },
  } as const,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  alsoAuthorize: async (input, ctx) => {
    // A group that does not exist is placed where its ARN for authorization puts it: at `/`.
    const group = await ifFound(ctx.tx.getGroup(ctx.caller.accountId, input.GroupName))
    return renameAuthorizations(
      'iam:UpdateGroup',
      'group',
      ctx.caller.accountId,
      group ?? { path: '/', name: input.GroupName },
      { newPath: input.NewPath, newName: input.NewGroupName },
    )
  },
  handle: async (input, ctx) => {
    await ctx.tx.updateGroup(ctx.caller.accountId, input.GroupName, {
      ...(input.NewGroupName === undefined ? {} : { newName: input.NewGroupName }),
      ...(input.NewPath === undefined ? {} : { newPath: input.NewPath }),
    })
    return undefined
  },
})

/** DeleteGroup: refused with DeleteConflict while it has members, inline or attached policies. */
export const DELETE_GROUP = defineOperation({
  name: 'DeleteGroup',
  action: 'iam:DeleteGroup',
  input: { kind: 'structure', members: { GroupName: required(GROUP_NAME) } } as const,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteGroup(ctx.caller.accountId, input.GroupName)
    return undefined
  },
})
