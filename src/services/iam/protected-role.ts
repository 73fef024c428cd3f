/**
 * Service-linked roles are IAM's protected roles: only the service they are linked to may change
 * them, and only DeleteServiceLinkedRole deletes them. IAM marks them by their path,
 * /aws-service-role/<service-principal>/ (CreateServiceLinkedRole's only path).
 */
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import type { Role } from '../../store/store.js'
import type { OperationContext } from '../operation.js'

/** The path prefix of every service-linked role. */
export const SERVICE_LINKED_ROLE_PATH_PREFIX = '/aws-service-role/'

/** The service principal a service-linked role is linked to, or undefined for any other role. */
export function linkedServiceOf(role: Pick<Role, 'path'>): string | undefined {
  if (!role.path.startsWith(SERVICE_LINKED_ROLE_PATH_PREFIX)) return undefined
  const service = role.path.slice(SERVICE_LINKED_ROLE_PATH_PREFIX.length).split('/')[0]
  return service === undefined || service === '' ? undefined : service
}

/**
 * UnmodifiableEntity for a service-linked role, with IAM's message ("Cannot perform the operation
 * on the protected role 'AWSServiceRoleForSupport' - this role is only modifiable by AWS", as
 * IAM answers DeleteRole, UpdateAssumeRolePolicy and the like on such a role).
 */
export function checkRoleModifiable(role: Pick<Role, 'path' | 'name'>): void {
  if (linkedServiceOf(role) !== undefined) {
    throw new AwsError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`,
    )
  }
}

/**
 * checkRoleModifiable for the caller's role of that name; a role that is not there is left to the
 * operation (its own NoSuchEntity).
 */
export async function protectedRoleCheck(ctx: OperationContext, roleName: string): Promise<void> {
  const role = await ctx.tx.getRole(ctx.caller.accountId, roleName).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined
    throw err
  })
  if (role !== undefined) checkRoleModifiable(role)
}
