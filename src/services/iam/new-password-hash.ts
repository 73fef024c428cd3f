/**
 * A password about to be set for an IAM user, checked as IAM checks every password set
 * (CreateLoginProfile, UpdateLoginProfile, ChangePassword): against the account's password
 * policy, or AWS's default one without it, and against the user's latest passwords when the
 * policy prevents reuse. What is stored is its hash, never the password.
 */
import { hashPassword, verifyPassword } from '../../auth/password-hash.js'
import {
  passwordPolicyViolation,
  passwordReuseMessage,
  reusePreventionDepth,
} from '../../auth/password-rules.js'
import { AwsError } from '../../errors/aws-error.js'
import type { StoreTx } from '../../store/store.js'

/**
 * The hash to store for `password`, the user's new password; PasswordPolicyViolation if the
 * policy refuses it, NoSuchEntity if the user does not exist.
 */
export async function newPasswordHash(
  tx: StoreTx,
  accountId: string,
  userName: string,
  password: string,
): Promise<string> {
  const policy = await tx.getAccountPasswordPolicy(accountId)
  const violation = passwordPolicyViolation(password, policy)
  if (violation !== null) throw new AwsError('PasswordPolicyViolation', violation)
  const depth = reusePreventionDepth(policy)
  const latest = await tx.getPasswordHistory(accountId, userName, depth)
  // Each earlier hash has its own salt, so the password is hashed again for each; they run side
  // by side on the thread pool.
  const matches = await Promise.all(latest.map((hash) => verifyPassword(password, hash)))
  if (matches.includes(true)) {
    throw new AwsError('PasswordPolicyViolation', passwordReuseMessage(depth))
  }
  return hashPassword(password)
}
