/**
 * Inline policies of IAM roles: PutRolePolicy, GetRolePolicy, ListRolePolicies,
 * DeleteRolePolicy (reference §2, "Inline policies").
 */
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { encodePolicyDocument } from '../../protocol/query/encode-policy-document.js'
import { LimitExceededError } from '../../store/errors.js'
import type { PolicyHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { protectedRoleCheck } from './protected-role.js'
import type { OperationContext } from '../operation.js'
import { roleBoundaryKey } from './current-boundary.js'
import { ROLE_NAME } from './role-shapes.js'
import { targetRoleArn } from './roles.js'
import { pageEnd, pageRequest } from './results.js'
import { PAGE_MEMBERS, POLICY_DOCUMENT, POLICY_NAME, required } from './shapes.js'

function holder(ctx: OperationContext, roleName: string): PolicyHolderRef {
  return { kind: 'role', accountId: ctx.caller.accountId, name: roleName }
}

/** PutRolePolicy: creates or replaces; the document must be a valid identity policy. */
export const PUT_ROLE_POLICY = defineOperation({
  name: 'PutRolePolicy',
  action: 'iam:PutRolePolicy',
  input: {
    kind: 'structure',
    members: {
      RoleName: required(ROLE_NAME),
      PolicyName: required(POLICY_NAME),
      PolicyDocument: required(POLICY_DOCUMENT),
    },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    // A role's permissions policy is an identity policy: no Principal, Resource required.
    parsePolicy(input.PolicyDocument, 'identity')
    const role = await ctx.tx.getRole(ctx.caller.accountId, input.RoleName)
    try {
      await ctx.tx.putInlinePolicy(holder(ctx, role.name), input.PolicyName, input.PolicyDocument)
    } catch (err) {
      // IAM words this quota with the role's name, as it does for users ("Maximum policy size
      // of 2048 bytes exceeded for user alice"); only the operation knows the name.
      if (err instanceof LimitExceededError && err.quota === 'inlinePolicySizePerRole') {
        throw new AwsError(
          'LimitExceeded',
          `Maximum policy size of ${err.limit} bytes exceeded for role ${role.name}`,
          { cause: err },
        )
      }
      throw err
    }
    return undefined
  },
})

/** GetRolePolicy: the document RFC 3986-encoded, as IAM returns every policy document. */
export const GET_ROLE_POLICY = defineOperation({
  name: 'GetRolePolicy',
  action: 'iam:GetRolePolicy',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PolicyName: required(POLICY_NAME) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  handle: async (input, ctx) => {
    const role = await ctx.tx.getRole(ctx.caller.accountId, input.RoleName)
    const policy = await ctx.tx.getInlinePolicy(holder(ctx, role.name), input.PolicyName)
    return {
      RoleName: role.name,
      PolicyName: policy.name,
      PolicyDocument: encodePolicyDocument(policy.document),
    }
  },
})

/** ListRolePolicies: the names of a role's inline policies. */
export const LIST_ROLE_POLICIES = defineOperation({
  name: 'ListRolePolicies',
  action: 'iam:ListRolePolicies',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), ...PAGE_MEMBERS },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  handle: async (input, ctx) => {
    const page = await ctx.tx.listInlinePolicies(holder(ctx, input.RoleName), pageRequest(input))
    return { PolicyNames: page.items, ...pageEnd(page) }
  },
})

/** DeleteRolePolicy. */
export const DELETE_ROLE_POLICY = defineOperation({
  name: 'DeleteRolePolicy',
  action: 'iam:DeleteRolePolicy',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PolicyName: required(POLICY_NAME) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    await ctx.tx.deleteInlinePolicy(holder(ctx, input.RoleName), input.PolicyName)
    return undefined
  },
})
