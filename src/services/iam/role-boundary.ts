/**
 * Permissions boundaries of IAM roles: PutRolePermissionsBoundary,
 * DeleteRolePermissionsBoundary (reference §2, "Permissions boundaries").
 */
import type { BoundaryHolderRef } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { protectedRoleCheck } from './protected-role.js'
import type { OperationContext } from '../operation.js'
import { roleBoundaryKey } from './current-boundary.js'
import { managedPolicyByArn } from './managed-policy-arn.js'
import { ROLE_NAME } from './role-shapes.js'
import { targetRoleArn } from './roles.js'
import { ARN, required } from './shapes.js'

function holder(ctx: OperationContext, roleName: string): BoundaryHolderRef {
  return { kind: 'role', accountId: ctx.caller.accountId, name: roleName }
}

/** PutRolePermissionsBoundary: sets or replaces the boundary with a managed policy. */
export const PUT_ROLE_PERMISSIONS_BOUNDARY = defineOperation({
  name: 'PutRolePermissionsBoundary',
  action: 'iam:PutRolePermissionsBoundary',
  input: {
    kind: 'structure',
    members: { RoleName: required(ROLE_NAME), PermissionsBoundary: required(ARN) },
  } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input) => ({ 'iam:PermissionsBoundary': input.PermissionsBoundary }),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    // The role is looked up first: a missing role is named before a missing policy.
    const role = await ctx.tx.getRole(ctx.caller.accountId, input.RoleName)
    const policy = await managedPolicyByArn(ctx, input.PermissionsBoundary)
    await ctx.tx.putPermissionsBoundary(holder(ctx, role.name), policy.name)
    return undefined
  },
})

/**
 * DeleteRolePermissionsBoundary: a role without a boundary is left as it is. The boundary being
 * removed is the request's iam:PermissionsBoundary, as for DeleteUserPermissionsBoundary.
 */
export const DELETE_ROLE_PERMISSIONS_BOUNDARY = defineOperation({
  name: 'DeleteRolePermissionsBoundary',
  action: 'iam:DeleteRolePermissionsBoundary',
  input: { kind: 'structure', members: { RoleName: required(ROLE_NAME) } } as const,
  resource: (input, ctx) => targetRoleArn(ctx.tx, ctx.caller.accountId, input.RoleName),
  conditionKeys: (input, ctx) => roleBoundaryKey(ctx, input.RoleName),
  handle: async (input, ctx) => {
    // A service-linked role is only modifiable by its service (IAM's protected roles).
    await protectedRoleCheck(ctx, input.RoleName)
    await ctx.tx.deletePermissionsBoundary(holder(ctx, input.RoleName))
    return undefined
  },
})
