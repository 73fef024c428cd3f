/**
 * The account password policy, login profiles and passwords, and what console sign-in keeps
 * (failed attempts, the password's last use): the store port's operations (StoreTx extends them).
 */

/**
 * An account's password policy (UpdateAccountPasswordPolicy), every member as it was set or as
 * its default filled it in.
 */
export interface PasswordPolicy {
  /** 6 to 128. */
  readonly minimumPasswordLength: number
  readonly requireSymbols: boolean
  readonly requireNumbers: boolean
  readonly requireUppercaseCharacters: boolean
  readonly requireLowercaseCharacters: boolean
  readonly allowUsersToChangePassword: boolean
  /** Days a password is valid, 1 to 1095; null: passwords never expire. */
  readonly maxPasswordAge: number | null
  /** How many of the latest passwords may not be set again, 1 to 24; null: any may. */
  readonly passwordReusePrevention: number | null
  readonly hardExpiry: boolean
}

/** A user's login profile: that it has a console password, never the password. */
export interface LoginProfile {
  readonly accountId: string
  /** The user's name as it is now (a rename carries the profile along). */
  readonly userName: string
  /** When the profile was created: CreateDate. */
  readonly createdAt: Date
  readonly passwordResetRequired: boolean
  /** When the current password was set: where its age (MaxPasswordAge) counts from. */
  readonly passwordSetAt: Date
}

/** A new login profile. */
export interface NewLoginProfile {
  readonly accountId: string
  readonly userName: string
  /** The password's hash (src/auth/password-hash.ts); the store never sees a password. */
  readonly passwordHash: string
  readonly passwordResetRequired: boolean
}

/** A change to a login profile; what is absent stays. */
export interface LoginProfileUpdate {
  /** A new password's hash: it becomes the current password, set now. */
  readonly passwordHash?: string
  readonly passwordResetRequired?: boolean
}

/**
 * A count of failed console sign-ins that locks its subject out: `maxFailures` failures within
 * `windowMs` lock it for `baseLockMs`, and each further lock before the subject has been quiet
 * for SIGN_IN_QUIET_RESET_MS lasts twice as long as the one before, up to `maxLockMs`.
 */
export interface SignInThrottle {
  /**
   * What is counted, e.g. a user name of an account or a source address. The store keeps only
   * its SHA-256: a subject may be a password typed into the user name field.
   */
  readonly subject: string
  /** At least 1. */
  readonly maxFailures: number
  readonly windowMs: number
  readonly baseLockMs: number
  readonly maxLockMs: number
}

/** What reserveSignInAttempt found. */
export type SignInReservation =
  | { readonly allowed: true }
  /** A subject is locked out; nothing was counted. */
  | { readonly allowed: false; readonly lockedUntil: Date }

/**
 * How long a subject must have no failure for the store to forget it, its lockouts with it (the
 * next lock is then the base length again): one day.
 */
export const SIGN_IN_QUIET_RESET_MS = 24 * 60 * 60 * 1000

/**
 * The span within which a password's uses after the first do not move PasswordLastUsed ("If a
 * password is used more than once in a five-minute span, only the first use is returned in this
 * field", the model's documentation of the member).
 */
export const PASSWORD_USE_SPAN_MS = 5 * 60 * 1000

/**
 * How many of a user's latest password hashes the store keeps: the most
 * PasswordReusePrevention can ask about (24).
 */
export const PASSWORD_HISTORY_SIZE = 24

/**
 * The account password policy, login profiles and passwords. Passwords reach the store only as
 * hashes. Every password set (by creating a login profile or by giving one a new password) is
 * also kept in the user's password history, which outlives the login profile (a profile deleted
 * and created again cannot bring back a password the history still holds) and goes with the
 * user.
 */
export interface PasswordOps {
  /** Sets the account's password policy, in place of the one it had. NotFoundError (account). */
  putAccountPasswordPolicy(accountId: string, policy: PasswordPolicy): Promise<void>
  /** The account's password policy, or null if none is set. NotFoundError (account). */
  getAccountPasswordPolicy(accountId: string): Promise<PasswordPolicy | null>
  /** Removes the policy; false, changing nothing, if none was set. NotFoundError (account). */
  deleteAccountPasswordPolicy(accountId: string): Promise<boolean>
  /**
   * Gives a user a login profile with its first password, set now; null, changing nothing, if the
   * user already has one (which AWS error that is is the service's to say). NotFoundError (user).
   */
  createLoginProfile(input: NewLoginProfile): Promise<LoginProfile | null>
  /** The user's login profile, or null if it has none. NotFoundError (user). */
  getLoginProfile(accountId: string, userName: string): Promise<LoginProfile | null>
  /**
   * Changes the user's login profile; null, changing nothing, if it has none. NotFoundError
   * (user).
   */
  updateLoginProfile(
    accountId: string,
    userName: string,
    update: LoginProfileUpdate,
  ): Promise<LoginProfile | null>
  /**
   * Removes the user's login profile (its password stays in the history); false, changing
   * nothing, if it has none. NotFoundError (user).
   */
  deleteLoginProfile(accountId: string, userName: string): Promise<boolean>
  /**
   * SECURITY: the hash of the user's current password, or null without a login profile: only to
   * verify a password with. The caller must not log or return it. NotFoundError (user).
   */
  getPasswordHash(accountId: string, userName: string): Promise<string | null>
  /**
   * SECURITY: the hashes of the user's latest `count` passwords (at most PASSWORD_HISTORY_SIZE),
   * newest first: the current password first while the user has a login profile. Only to check
   * a new password against. NotFoundError (user).
   */
  getPasswordHistory(accountId: string, userName: string, count: number): Promise<readonly string[]>

  /**
   * The account a console sign-in names: `account` is a 12-digit account id or an account alias
   * (without regard to case). Null when it names no account of the store.
   */
  getSignInAccountId(account: string): Promise<string | null>
  /**
   * Counts a console sign-in attempt as a failure of every subject before its credentials are
   * checked, so that attempts made at once cannot pass the limit together; an attempt that turns
   * out not to fail takes its count back (releaseSignInAttempt, clearSignInFailures). The subject
   * whose count reaches its maxFailures is locked from now. If any subject is locked already,
   * counts nothing and says until when (the latest end of their locks).
   */
  reserveSignInAttempt(throttles: readonly SignInThrottle[]): Promise<SignInReservation>
  /**
   * Takes back the failure reserveSignInAttempt counted for each subject (and the lock it
   * started, if its count had reached maxFailures with it): the attempt did not fail.
   */
  releaseSignInAttempt(throttles: readonly SignInThrottle[]): Promise<void>
  /** Forgets the subject's failures and lockouts: its user signed in. */
  clearSignInFailures(subject: string): Promise<void>
  /**
   * Stamps a sign-in with the user's password now, unless its last stamp is less than
   * PASSWORD_USE_SPAN_MS old. NotFoundError (user).
   */
  recordPasswordUse(accountId: string, userName: string): Promise<void>
  /**
   * When the user's password was last used to sign in (PasswordLastUsed), or null if never: it
   * outlives the login profile. NotFoundError (user).
   */
  getPasswordLastUsed(accountId: string, userName: string): Promise<Date | null>
}
