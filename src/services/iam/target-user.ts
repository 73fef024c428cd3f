/**
 * The user an IAM operation acts on: the one its UserName names, else the caller itself (IAM
 * "determines the user name implicitly based on the access key ID used to sign the request").
 */
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import { entityArn } from '../../store/arn.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx } from '../../store/store.js'

/**
 * IAM's answer when UserName is left out by a caller that is no user: a role session or a
 * federated user has no IAM user to stand for (recorded against AWS for `aws iam get-user` with
 * role credentials; moto, LocalStack and the Terraform provider quote it the same).
 */
export const NON_USER_CREDENTIALS_MESSAGE =
  'Must specify userName when calling with non-User credentials'

/**
 * Who the caller is as an implicit target: an IAM user (with its own keys, or with
 * GetSessionToken credentials, whose ARN is the user's own), the root user (likewise, its ARN is
 * the account's root), or neither, which IAM refuses.
 */
function implicitTarget(caller: Caller): {
  readonly userName: string | null
  readonly arn: string
} {
  switch (caller.kind) {
    case 'user':
    case 'userSession':
      return { userName: caller.user.name, arn: caller.user.arn }
    case 'root':
    case 'rootSession':
      return { userName: null, arn: caller.arn }
    case 'assumedRole':
    case 'federatedUser':
      throw new AwsError('ValidationError', NON_USER_CREDENTIALS_MESSAGE)
  }
}

/**
 * The target's user name, or null for the root user (a root caller without UserName);
 * ValidationError for a caller that is neither without UserName.
 */
export function targetUserName(caller: Caller, userName: string | undefined): string | null {
  if (userName !== undefined) return userName
  return implicitTarget(caller).userName
}

/**
 * The ARN a user that does not exist is authorized at: its name at the root path, so that a
 * denial is told before NoSuchEntity and tells nothing of what exists.
 */
export function missingUserArn(accountId: string, userName: string): string {
  return entityArn('user', accountId, '/', userName)
}

/**
 * The ARN the action is authorized on: the named user's, path included, when it exists, else
 * missingUserArn; the caller's own without UserName (ValidationError before any authorization
 * for a caller that is no user).
 */
export async function targetUserArn(
  tx: StoreTx,
  caller: Caller,
  userName: string | undefined,
): Promise<string> {
  if (userName === undefined) return implicitTarget(caller).arn
  try {
    return (await tx.getUser(caller.accountId, userName)).arn
  } catch (err) {
    if (err instanceof NotFoundError) return missingUserArn(caller.accountId, userName)
    throw err
  }
}
