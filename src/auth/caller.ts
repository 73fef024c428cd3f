/**
 * Who signed a request, as authentication found them: with a long-term access key, the account's
 * root user or one of its IAM users; with temporary credentials (a session token), a role
 * session, a federated user, or the root user or an IAM user with GetSessionToken credentials.
 */
import type { RequestPrincipal } from '../policy/index.js'
import { rootArn } from '../store/arn.js'
import type { Account, Role, User } from '../store/store.js'
import type { SessionClaims } from './session-token.js'

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

/** The root user with credentials from GetSessionToken. */
export interface RootSessionCaller {
  readonly kind: 'rootSession'
  readonly accountId: string
  /** `arn:aws:iam::<account>:root`, as for the root user's own keys. */
  readonly arn: string
  /** ASIA... */
  readonly accessKeyId: string
  readonly account: Account
  readonly session: SessionClaims
}

/** An IAM user with credentials from GetSessionToken. */
export interface UserSessionCaller {
  readonly kind: 'userSession'
  readonly accountId: string
  /** The user's ARN, as for the user's own keys. */
  readonly arn: string
  readonly accessKeyId: string
  /** The user as it is now. */
  readonly user: User
  readonly session: SessionClaims
}

/** A role session, from AssumeRole. */
export interface AssumedRoleCaller {
  readonly kind: 'assumedRole'
  /** The role's account. */
  readonly accountId: string
  /** `arn:aws:sts::<account>:assumed-role/<RoleName>/<SessionName>` (no role path). */
  readonly arn: string
  readonly accessKeyId: string
  /** The role as it is now. */
  readonly role: Role
  readonly sessionName: string
  readonly session: SessionClaims
}

/** A federated user, from GetFederationToken. */
export interface FederatedUserCaller {
  readonly kind: 'federatedUser'
  readonly accountId: string
  /** `arn:aws:sts::<account>:federated-user/<Name>`. */
  readonly arn: string
  readonly accessKeyId: string
  /** The name given to GetFederationToken. */
  readonly name: string
  /** The IAM user that federated it, as it is now; null when the root user did. */
  readonly user: User | null
  readonly session: SessionClaims
}

/** A caller with temporary credentials. */
export type SessionCaller =
  RootSessionCaller | UserSessionCaller | AssumedRoleCaller | FederatedUserCaller

/** An authenticated caller. */
export type Caller = RootCaller | UserCaller | SessionCaller

/** The ARN of a role session: the role's name without its path, then the session's name. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`
}

/** The ARN of a federated user. */
export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`
}

/** The caller's session, for a caller with temporary credentials. */
export function sessionOf(caller: Caller): SessionClaims | undefined {
  return caller.kind === 'root' || caller.kind === 'user' ? undefined : caller.session
}

/** The caller as the policy engine names it (aws:PrincipalArn, aws:userid, ...). */
export function principalOf(caller: Caller): RequestPrincipal {
  switch (caller.kind) {
    case 'root':
    case 'rootSession':
      return { type: 'Account', arn: caller.arn, account: caller.accountId }
    case 'user':
    case 'userSession':
      return {
        type: 'User',
        arn: caller.arn,
        account: caller.accountId,
        uniqueId: caller.user.userId,
      }
    case 'assumedRole':
      return {
        type: 'AssumedRole',
        arn: caller.arn,
        account: caller.accountId,
        roleArn: caller.role.arn,
        uniqueId: caller.role.roleId,
      }
    case 'federatedUser':
      return {
        type: 'FederatedUser',
        arn: caller.arn,
        account: caller.accountId,
        federatedFromUserArn: caller.user?.arn ?? rootArn(caller.accountId),
      }
  }
}

/**
 * The caller's unique id as GetCallerIdentity and aws:userid give it: the account for the root
 * user, AIDA... for a user, `AROA...:<session>` for a role session, `<account>:<name>` for a
 * federated user.
 */
export function callerUserId(caller: Caller): string {
  switch (caller.kind) {
    case 'root':
    case 'rootSession':
      return caller.accountId
    case 'user':
    case 'userSession':
      return caller.user.userId
    case 'assumedRole':
      return `${caller.role.roleId}:${caller.sessionName}`
    case 'federatedUser':
      return `${caller.accountId}:${caller.name}`
  }
}
