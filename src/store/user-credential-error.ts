/**
 * Why an SSH public key or signing certificate operation failed. The store's shared vocabulary
 * (./errors.ts) names neither, so this family brings its own error; the IAM service maps it to
 * AWS's codes and wording (src/services/iam/user-credential-aws-error.ts).
 */
import { StoreError } from './errors.js'

/** What went wrong. */
export type UserCredentialFailure =
  /** The user has no SSH public key of this id. */
  | 'sshPublicKeyNotFound'
  /** The user has this SSH public key already. */
  | 'sshPublicKeyDuplicate'
  /** The user has as many SSH public keys as the quota allows. */
  | 'sshPublicKeyLimit'
  /** The user (or root user) has no signing certificate of this id. */
  | 'certificateNotFound'
  /** A user of the account, or its root user, has this certificate already. */
  | 'certificateDuplicate'
  /** The user (or root user) has as many signing certificates as the quota allows. */
  | 'certificateLimit'

/** An SSH public key or signing certificate operation the store refused. */
export class UserCredentialError extends StoreError {
  override readonly name = 'UserCredentialError'

  /**
   * @param reason - what went wrong
   * @param key - the id looked for (notFound), else the user's name (null: the root user)
   * @param limit - for the two limits, the quota
   */
  constructor(
    readonly reason: UserCredentialFailure,
    readonly key: string | null,
    readonly limit?: number,
  ) {
    super(`user credential ${key ?? 'of the root user'}: ${reason}`)
  }
}
