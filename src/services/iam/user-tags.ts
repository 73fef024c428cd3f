/**
 * Tags of IAM users: TagUser, UntagUser, ListUserTags (reference §2, "Tags on users, roles,
 * managed policies"; §4.5). A user's tag keys compare without case: `dept` replaces `Dept`.
 */
import type { TaggableRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { checkTags, requestTagKeys } from './check-tags.js'
import { pageEnd, pageRequest } from './results.js'
import { EXISTING_USER_NAME, PAGE_MEMBERS, TAGS, TAG_KEYS, required } from './shapes.js'
import { targetUserArn } from './target-user.js'

function taggable(ctx: OperationContext, userName: string): TaggableRef {
  return { kind: 'user', accountId: ctx.caller.accountId, name: userName }
}

/**
 * TagUser: adds tags or replaces the values of keys the user has (in any case); LimitExceeded
 * when the user would have more than 50.
 */
export const TAG_USER = defineOperation({
  name: 'TagUser',
  action: 'iam:TagUser',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), Tags: required(TAGS) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    const tags = checkTags(input.Tags)
    await ctx.tx.tagResource(taggable(ctx, input.UserName), tags)
    return undefined
  },
})

/** UntagUser: removes the keys given (in any case); keys the user does not have are ignored. */
export const UNTAG_USER = defineOperation({
  name: 'UntagUser',
  action: 'iam:UntagUser',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input) => ({ 'aws:TagKeys': input.TagKeys }),
  handle: async (input, ctx) => {
    await ctx.tx.untagResource(taggable(ctx, input.UserName), input.TagKeys)
    return undefined
  },
})

/** ListUserTags: a user's tags by key, Marker/MaxItems paginated. */
export const LIST_USER_TAGS = defineOperation({
  name: 'ListUserTags',
  action: 'iam:ListUserTags',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listTags(taggable(ctx, input.UserName), pageRequest(input))
    // Tags is a required member: an empty list is sent as <Tags/>, never left out.
    return { Tags: page.items.map((t) => ({ Key: t.key, Value: t.value })), ...pageEnd(page) }
  },
})
