/**
 * UpdateUser and UpdateGroup on the new name and path as well as the old: "To change a user
 * name, the requester must have appropriate permissions on both the source object and the target
 * object. For example, to change Bob to Robert, the entity making the request must have
 * permission on Bob and Robert, or must have permission on all (*)" (IAM API reference,
 * UpdateUser; UpdateGroup says the same of groups).
 */
import { entityArn } from '../../store/arn.js'
import type { Authorization } from '../operation.js'

/** Where an entity is: its path and name. */
export interface EntityPlace {
  readonly path: string
  readonly name: string
}

/**
 * The further authorization a rename or move needs: `action` on the entity's ARN after it, when
 * that differs from its ARN now (a new name in another case is another ARN); nothing otherwise.
 */
export function renameAuthorizations(
  action: string,
  kind: 'user' | 'group',
  accountId: string,
  current: EntityPlace,
  change: { readonly newPath: string | undefined; readonly newName: string | undefined },
): readonly Authorization[] {
  const before = entityArn(kind, accountId, current.path, current.name)
  const after = entityArn(
    kind,
    accountId,
    change.newPath ?? current.path,
    change.newName ?? current.name,
  )
  return after === before ? [] : [{ action, resource: after }]
}
