/**
 * Tags of customer managed policies: TagPolicy, UntagPolicy, ListPolicyTags (reference §2, "Tags
 * on users, roles, managed policies"). A policy's tag keys are compared with case.
 */
import type { ManagedPolicy, TaggableRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { requestTagKeys } from './check-tags.js'
import { checkPolicyTags, existingPolicy, policyArnResource } from './managed-policies.js'
import { TAG_KEYS } from './shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { ARN, PAGE_MEMBERS, TAGS, required } from './shapes.js'

function taggable(policy: ManagedPolicy): TaggableRef {
  return { kind: 'policy', accountId: policy.accountId, name: policy.name }
}

/** TagPolicy: adds tags or replaces their values; LimitExceeded past 50. */
export const TAG_POLICY = defineOperation({
  name: 'TagPolicy',
  action: 'iam:TagPolicy',
  input: {
    kind: 'structure',
    members: { PolicyArn: required(ARN), Tags: required(TAGS) },
  } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  conditionKeys: (input) => requestTagKeys(input.Tags),
  handle: async (input, ctx) => {
    // The tags are checked before the policy is looked up, as IAM does.
    const tags = checkPolicyTags(input.Tags)
    const policy = await existingPolicy(ctx, input.PolicyArn)
    await ctx.tx.tagResource(taggable(policy), tags)
    return undefined
  },
})

/** UntagPolicy: removes the keys given; keys the policy does not have are ignored. */
export const UNTAG_POLICY = defineOperation({
  name: 'UntagPolicy',
  action: 'iam:UntagPolicy',
  input: {
    kind: 'structure',
    members: { PolicyArn: required(ARN), TagKeys: required(TAG_KEYS) },
  } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  conditionKeys: (input) => ({ 'aws:TagKeys': input.TagKeys }),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    await ctx.tx.untagResource(taggable(policy), input.TagKeys)
    return undefined
  },
})

/** ListPolicyTags: by key; Tags is always sent, empty or not (the model marks it required). */
export const LIST_POLICY_TAGS = defineOperation({
  name: 'ListPolicyTags',
  action: 'iam:ListPolicyTags',
  input: { kind: 'structure', members: { PolicyArn: required(ARN), ...PAGE_MEMBERS } } as const,
  resource: (input) => policyArnResource(input.PolicyArn),
  handle: async (input, ctx) => {
    const policy = await existingPolicy(ctx, input.PolicyArn)
    const page = await ctx.tx.listTags(taggable(policy), pageRequest(input))
    return {
      Tags: page.items.map((t) => ({ Key: t.key, Value: t.value })),
      ...pageEnd(page),
    }
  },
})
