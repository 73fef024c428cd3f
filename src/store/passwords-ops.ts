/** The account password policy, login profiles and passwords: the store port's operations (StoreTx extends them). */

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
}
