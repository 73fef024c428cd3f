/**
 * The console sign-in's lockout: failures are counted per user name of an account and per source
 * address, in the store, so that every node of a deployment counts the same failures. A user
 * name is counted the same way whether or not such a user exists, so the lockout tells nothing
 * of which users exist. The address's limit is higher: many people may share one address.
 */
import type { SignInThrottle } from '../../store/passwords-ops.js'

const MINUTE = 60_000

/** How many failures within how long lock a subject, and for how long. */
export interface LockoutRule {
  readonly maxFailures: number
  readonly windowMs: number
  /** The first lock; each further one doubles, up to maxLockMs. */
  readonly baseLockMs: number
  readonly maxLockMs: number
}

/** The lockout of one deployment. */
export interface LockoutPolicy {
  readonly user: LockoutRule
  readonly address: LockoutRule
}

/**
 * Five failures of a user name within fifteen minutes lock it for five minutes, then ten,
 * twenty, forty, and an hour at most; twenty failures from one address within fifteen minutes
 * lock the address likewise. A day without failure forgets both.
 */
export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  user: { maxFailures: 5, windowMs: 15 * MINUTE, baseLockMs: 5 * MINUTE, maxLockMs: 60 * MINUTE },
  address: {
    maxFailures: 20,
    windowMs: 15 * MINUTE,
    baseLockMs: 5 * MINUTE,
    maxLockMs: 60 * MINUTE,
  },
}

/**
 * The subject of a user name: the account it was given for (its id, or what was typed when it
 * names no account) and the name without case, as IAM's names compare.
 */
export function userSubject(account: string, userName: string): string {
  return `user\n${account.toLowerCase()}\n${userName.toLowerCase()}`
}

/** The subject of a source address. */
export function addressSubject(sourceIp: string): string {
  return `address\n${sourceIp}`
}

/** What one attempt counts against: its user name and its address. */
export interface AttemptThrottles {
  readonly user: SignInThrottle
  readonly address: SignInThrottle
}

/** The throttles of an attempt for `userName` of `account` from `sourceIp`. */
export function attemptThrottles(
  policy: LockoutPolicy,
  account: string,
  userName: string,
  sourceIp: string,
): AttemptThrottles {
  return {
    user: { subject: userSubject(account, userName), ...policy.user },
    address: { subject: addressSubject(sourceIp), ...policy.address },
  }
}
