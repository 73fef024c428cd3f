/** The group an IAM operation acts on, as the ARN it is authorized on. */
import type { Caller } from '../../auth/caller.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx } from '../../store/store.js'

/**
 * The named group's ARN, path included, when it exists; for a group that does not, its ARN at
 * the root path, so a denial is told before NoSuchEntity and tells nothing of what exists.
 */
export async function targetGroupArn(
  tx: StoreTx,
  caller: Caller,
  groupName: string,
): Promise<string> {
  try {
    return (await tx.getGroup(caller.accountId, groupName)).arn
  } catch (err) {
    if (err instanceof NotFoundError) return entityArn('group', caller.accountId, '/', groupName)
    throw err
  }
}
