/**
 * Who signed a request: the account's root user or one of its IAM users, as authentication found
 * them. Later: role sessions and federated users.
 */
import type { RequestPrincipal } from '../policy/index.js'
import type { Account, User } from '../store/store.js'

/** The account's root user, signing with one of the root access keys. */
export interface RootCaller {
  readonly kind: 'root'
  readonly accountId: string
  /** `arn:aws:iam::<account>:root`. */
  readonly arn: string
  readonly accessKeyId: string
  readonly account: Account
}

/** An IAM user, signing with one of its access keys. */
export interface UserCaller {
  readonly kind: 'user'
  readonly accountId: string
  /** The user's ARN, path included. */
  readonly arn: string
  readonly accessKeyId: string
  readonly user: User
}

/** An authenticated caller. */
export type Caller = RootCaller | UserCaller

/** The caller as the policy engine names it (aws:PrincipalArn, aws:userid, ...). */
export function principalOf(caller: Caller): RequestPrincipal {
  switch (caller.kind) {
    case 'root':
      return { type: 'Account', arn: caller.arn, account: caller.accountId }
    case 'user':
      return {
        type: 'User',
        arn: caller.arn,
        account: caller.accountId,
        uniqueId: caller.user.userId,
      }
  }
}

/** The caller's unique id as GetCallerIdentity and aws:userid give it: AIDA..., or the account. */
export function callerUserId(caller: Caller): string {
  return caller.kind === 'root' ? caller.accountId : caller.user.userId
}
