/**
 * Inline policies of IAM groups: PutGroupPolicy, GetGroupPolicy, ListGroupPolicies,
 * DeleteGroupPolicy (reference §2, "Inline policies"). Every member of a group is granted what
 * its group's policies allow.
 */
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import { LimitExceededError } from '../../store/errors.js'
import type { PolicyHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { GROUP_NAME } from './group-shapes.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, POLICY_DOCUMENT, POLICY_NAME, required } from './shapes.js'
import { targetGroupArn } from './target-group.js'

function holder(ctx: OperationContext, groupName: string): PolicyHolderRef {
  return { kind: 'group', accountId: ctx.caller.accountId, name: groupName }
}

const GROUP_POLICY_INPUT = {
  kind: 'structure',
  members: { GroupName: required(GROUP_NAME), PolicyName: required(POLICY_NAME) },
} as const

/** PutGroupPolicy: creates or replaces; the document must be a valid identity policy. */
export const PUT_GROUP_POLICY = defineOperation({
  name: 'PutGroupPolicy',
  action: 'iam:PutGroupPolicy',
  input: {
    kind: 'structure',
    members: { ...GROUP_POLICY_INPUT.members, PolicyDocument: required(POLICY_DOCUMENT) },
  } as const,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    // MalformedPolicyDocument, with IAM's message, for a document IAM would refuse.
    parsePolicy(input.PolicyDocument, 'identity')
    const group = await ctx.tx.getGroup(ctx.caller.accountId, input.GroupName)
    try {
      await ctx.tx.putInlinePolicy(holder(ctx, group.name), input.PolicyName, input.PolicyDocument)
    } catch (err) {
      // IAM words this quota with the holder's name, as it does for a user's ("Maximum policy
      // size of 2048 bytes exceeded for user alice"); only the operation knows the name.
      if (err instanceof LimitExceededError && err.quota === 'inlinePolicySizePerGroup') {
        throw new AwsError(
          'LimitExceeded',
          `Maximum policy size of ${err.limit} bytes exceeded for group ${group.name}`,
          { cause: err },
        )
      }
      throw err
    }
    return undefined
  },
})

/** GetGroupPolicy: the document RFC 3986-encoded, as IAM returns every policy document. */
export const GET_GROUP_POLICY = defineOperation({
  name: 'GetGroupPolicy',
  action: 'iam:GetGroupPolicy',
  input: GROUP_POLICY_INPUT,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    const group = await ctx.tx.getGroup(ctx.caller.accountId, input.GroupName)
    const policy = await ctx.tx.getInlinePolicy(holder(ctx, group.name), input.PolicyName)
    return {
      GroupName: group.name,
      PolicyName: policy.name,
      PolicyDocument: encodePolicyDocument(policy.document),
    }
  },
})

/** ListGroupPolicies: the names of a group's inline policies. */
export const LIST_GROUP_POLICIES = defineOperation({
  name: 'ListGroupPolicies',
  action: 'iam:ListGroupPolicies',
  input: {
    kind: 'structure',
    members: { GroupName: required(GROUP_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listInlinePolicies(holder(ctx, input.GroupName), pageRequest(input))
    return { PolicyNames: page.items, ...pageEnd(page) }
  },
})

/** DeleteGroupPolicy. */
export const DELETE_GROUP_POLICY = defineOperation({
  name: 'DeleteGroupPolicy',
  action: 'iam:DeleteGroupPolicy',
  input: GROUP_POLICY_INPUT,
  resource: (input, ctx) => targetGroupArn(ctx.tx, ctx.caller, input.GroupName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteInlinePolicy(holder(ctx, input.GroupName), input.PolicyName)
    return undefined
  },
})
