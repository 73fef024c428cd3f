/**
 * Inline policies of IAM users: PutUserPolicy, GetUserPolicy, ListUserPolicies,
 * DeleteUserPolicy (reference §2, "Inline policies").
 */
import { AwsError } from '../../errors/aws-error.js'
import { LimitExceededError } from '../../store/errors.js'
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import { parsePolicy } from '../../policy/index.js'
import type { PolicyHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { userBoundaryKey } from './current-boundary.js'
import { pageEnd, pageRequest } from './results.js'
import {
  EXISTING_USER_NAME,
  PAGE_MEMBERS,
  POLICY_DOCUMENT,
  POLICY_NAME,
  required,
} from './shapes.js'
import { targetUserArn } from './target-user.js'

function holder(ctx: OperationContext, userName: string): PolicyHolderRef {
  return { kind: 'user', accountId: ctx.caller.accountId, name: userName }
}

/** PutUserPolicy: creates or replaces; the document must be a valid identity policy. */
export const PUT_USER_POLICY = defineOperation({
  name: 'PutUserPolicy',
  action: 'iam:PutUserPolicy',
  input: {
    kind: 'structure',
    members: {
      UserName: required(EXISTING_USER_NAME),
      PolicyName: required(POLICY_NAME),
      PolicyDocument: required(POLICY_DOCUMENT),
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input, ctx) => userBoundaryKey(ctx, input.UserName),
  handle: async (input, ctx) => {
    // MalformedPolicyDocument, with IAM's message, for a document IAM would refuse.
    parsePolicy(input.PolicyDocument, 'identity')
    const user = await ctx.tx.getUser(ctx.caller.accountId, input.UserName)
    try {
      await ctx.tx.putInlinePolicy(holder(ctx, user.name), input.PolicyName, input.PolicyDocument)
    } catch (err) {
      // IAM words this quota with the user's name, which only the operation knows
      // (test/cases/parse-errors PE-093: "Maximum policy size of 2048 bytes exceeded for user alice").
      if (err instanceof LimitExceededError && err.quota === 'inlinePolicySizePerUser') {
        throw new AwsError(
          'LimitExceeded',
          `Maximum policy size of ${err.limit} bytes exceeded for user ${user.name}`,
          { cause: err },
        )
      }
      throw err
    }
    return undefined
  },
})

/** GetUserPolicy: the document RFC 3986-encoded, as IAM returns every policy document. */
export const GET_USER_POLICY = defineOperation({
  name: 'GetUserPolicy',
  action: 'iam:GetUserPolicy',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), PolicyName: required(POLICY_NAME) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const user = await ctx.tx.getUser(ctx.caller.accountId, input.UserName)
    const policy = await ctx.tx.getInlinePolicy(holder(ctx, user.name), input.PolicyName)
    return {
      UserName: user.name,
      PolicyName: policy.name,
      PolicyDocument: encodePolicyDocument(policy.document),
    }
  },
})

/** ListUserPolicies: the names of a user's inline policies. */
export const LIST_USER_POLICIES = defineOperation({
  name: 'ListUserPolicies',
  action: 'iam:ListUserPolicies',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listInlinePolicies(holder(ctx, input.UserName), pageRequest(input))
    return { PolicyNames: page.items, ...pageEnd(page) }
  },
})

/** DeleteUserPolicy. */
export const DELETE_USER_POLICY = defineOperation({
  name: 'DeleteUserPolicy',
  action: 'iam:DeleteUserPolicy',
  input: {
    kind: 'structure',
    members: { UserName: required(EXISTING_USER_NAME), PolicyName: required(POLICY_NAME) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input, ctx) => userBoundaryKey(ctx, input.UserName),
  handle: async (input, ctx) => {
    await ctx.tx.deleteInlinePolicy(holder(ctx, input.UserName), input.PolicyName)
    return undefined
  },
})
