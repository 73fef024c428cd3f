/**
 * The user an IAM operation acts on: the one its UserName names, else the caller itself (IAM
 * "determines the user name implicitly based on the access key ID used to sign the request").
 */
import type { Caller } from '../../auth/caller.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx } from '../../store/store.js'

/** The target's user name, or null for the root user (a root caller without UserName). */
export function targetUserName(caller: Caller, userName: string | undefined): string | null {
  if (userName !== undefined) return userName
  return caller.kind === 'user' ? caller.user.name : null
}

/**
 * The ARN the action is authorized on: the named user's, path included, when it exists; for a
 * user that does not, its ARN at the root path (so a denial is told before NoSuchEntity, and
 * tells nothing of what exists); the caller's own without UserName.
 */
export async function targetUserArn(
  tx: StoreTx,
  caller: Caller,
  userName: string | undefined,
): Promise<string> {
  if (userName === undefined) return caller.arn
  try {
    return (await tx.getUser(caller.accountId, userName)).arn
  } catch (err) {
    if (err instanceof NotFoundError) return entityArn('user', caller.accountId, '/', userName)
    throw err
  }
}
