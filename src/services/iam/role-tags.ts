/** Tags of IAM roles: TagRole, UntagRole, ListRoleTags (reference §2, "Tags"). */
import type { TaggableRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { tagListXml } from './role-results.js'
import { ROLE_NAME } from './role-shapes.js'
import { TAG_KEYS } from './shapes.js'
import { targetRoleArn } from './roles.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, TAGS, required } from './shapes.js'

function role(ctx: OperationContext, roleName: string): TaggableRef {
  return { kind: 'role', accountId: ctx.caller.accountId, name: roleName }
}

/**
 * TagRole: adds or replaces; a role's tag keys compare without case, so `dept` replaces
 * `Dept`. LimitExceeded past 50 tags, and nothing of the request is kept.
 */
export const TAG_ROLE = defineOperation({
  name: 'TagRole',
  action: 'iam:TagRole',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await ctx.tx.tagResource(role(ctx, input.RoleName), tags)
    return undefined
  },
})

/** UntagRole: removes the keys given; keys the role does not have are ignored. */
export const UNTAG_ROLE = defineOperation({
  name: 'UntagRole',
  action: 'iam:UntagRole',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input) => ({ 'aws:TagKeys': [...input.TagKeys] }),
  handle: async (input, ctx) => {
    await ctx.tx.untagResource(role(ctx, input.RoleName), input.TagKeys)
    return undefined
  },
})

/** ListRoleTags: by key, Marker/MaxItems paginated. */
export const LIST_ROLE_TAGS = defineOperation({
  name: 'ListRoleTags',
  action: 'iam:ListRoleTags',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listTags(role(ctx, input.RoleName), pageRequest(input))
    return { Tags: tagListXml(page.items), ...pageEnd(page) }
  },
})
