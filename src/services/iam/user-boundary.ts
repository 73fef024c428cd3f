/**
 * Permissions boundaries of IAM users: PutUserPermissionsBoundary, DeleteUserPermissionsBoundary
 * (reference §2, "Permissions boundaries").
 */
import type { BoundaryHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { userBoundaryKey } from './current-boundary.js'
import { managedPolicyByArn } from './managed-policy-arn.js'
import { ARN, USER_NAME, required } from './shapes.js'
import { targetUserArn } from './target-user.js'

function boundaryHolder(ctx: OperationContext, userName: string): BoundaryHolderRef {
  return { kind: 'user', accountId: ctx.caller.accountId, name: userName }
}

/**
 * PutUserPermissionsBoundary: sets or replaces the user's boundary with a managed policy of the
 * account. The request's iam:PermissionsBoundary is the policy asked for, so a policy can allow
 * setting only an approved boundary.
 */
export const PUT_USER_PERMISSIONS_BOUNDARY = defineOperation({
  name: 'PutUserPermissionsBoundary',
  action: 'iam:PutUserPermissionsBoundary',
  input: {
    kind: 'structure',
    members: { UserName: required(USER_NAME), PermissionsBoundary: required(ARN) },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  conditionKeys: (input) => ({ 'iam:PermissionsBoundary': input.PermissionsBoundary }),
  handle: async (input, ctx) => {
    const user = await ctx.tx.getUser(ctx.caller.accountId, input.UserName)
    const policy = await managedPolicyByArn(ctx, input.PermissionsBoundary)
    await ctx.tx.putPermissionsBoundary(boundaryHolder(ctx, user.name), policy.name)
    return undefined
  },
})

/**
 * DeleteUserPermissionsBoundary: a user without a boundary is left as it is. IAM gives this call
 * the boundary being removed as iam:PermissionsBoundary: what AWS's delegation pattern denies
 * on ("Deny iam:DeleteUserPermissionsBoundary if iam:PermissionsBoundary is ..."). Without the
 * key such a Deny would never match and a boundary could be removed.
 */
export const DELETE_USER_PERMISSIONS_BOUNDARY = defineOperation({
  name: 'DeleteUserPermissionsBoundary',
  action: 'iam:DeleteUserPermissionsBoundary',
  input: { kind: 'structure', members: { UserName: required(USER_NAME) } } as const,
  conditionKeys: (input, ctx) => userBoundaryKey(ctx, input.UserName),
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const user = await ctx.tx.getUser(ctx.caller.accountId, input.UserName)
    await ctx.tx.deletePermissionsBoundary(boundaryHolder(ctx, user.name))
    return undefined
  },
})
