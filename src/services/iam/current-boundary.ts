/**
 * iam:PermissionsBoundary for actions on an existing user or role: the ARN of the boundary the
 * entity has now. The Service Authorization Reference lists the key for AttachUserPolicy,
 * PutRolePolicy, DeleteRole and others, and AWS's delegation pattern rests on it ("allow
 * iam:AttachUserPolicy only if iam:PermissionsBoundary is X" lets an administrator manage only
 * the users it cannot free of X). An entity without a boundary, or one that does not exist,
 * gives no key, so such a condition does not match.
 */
import type { ContextValue } from '../../policy/index.js'
import type { OperationContext } from '../operation.js'
import { ifFound } from './if-found.js'

function boundaryKey(boundaryArn: string | null | undefined): Record<string, ContextValue> {
  return boundaryArn === null || boundaryArn === undefined
    ? {}
    : { 'iam:PermissionsBoundary': boundaryArn }
}

/** The named user's current boundary as iam:PermissionsBoundary, if it has one. */
export async function userBoundaryKey(
  ctx: OperationContext,
  userName: string,
): Promise<Record<string, ContextValue>> {
  const user = await ifFound(ctx.tx.getUser(ctx.caller.accountId, userName))
  return boundaryKey(user?.permissionsBoundaryArn)
}

/** The named role's current boundary as iam:PermissionsBoundary, if it has one. */
export async function roleBoundaryKey(
  ctx: OperationContext,
  roleName: string,
): Promise<Record<string, ContextValue>> {
  const role = await ifFound(ctx.tx.getRole(ctx.caller.accountId, roleName))
  return boundaryKey(role?.permissionsBoundaryArn)
}
