/**
 * ChangePassword (reference §2, "Login profiles / passwords"): an IAM user changes its own
 * console password, giving the current one. Authorized as iam:ChangePassword on the caller's own
 * user; AllowUsersToChangePassword grants that to every IAM user (see selfServicePasswordPolicy).
 */
import type { Caller } from '../../auth/caller.js'
import { verifyPassword } from '../../auth/password-hash.js'
import { AwsError } from '../../errors/aws-error.js'
import type { User } from '../../store/store.js'
import { defineOperation } from '../operation.js'
import { noLoginProfile } from './login-profiles.js'
import { newPasswordHash } from './new-password-hash.js'
import { PASSWORD } from './password-shapes.js'
import { required } from './shapes.js'

/**
 * The IAM user calling, with its own keys or GetSessionToken credentials. Anyone else gets
 * InvalidUserType, as "If this command is called using account (root) credentials, the command
 * returns an InvalidUserType error" (the AWS CLI's documentation of change-password); a role
 * session or a federated user is no IAM user either.
 */
function callingUser(caller: Caller): User {
  if (caller.kind === 'user' || caller.kind === 'userSession') return caller.user
  throw new AwsError(
    'InvalidUserType',
    // Invented message: AWS's wording is not on record.
    'ChangePassword changes the password of the IAM user calling it: call it with the credentials of an IAM user.',
  )
}

/**
 * ChangePassword: checks OldPassword against the user's current password, then sets NewPassword
 * as UpdateLoginProfile would (the password policy and reuse prevention apply), and clears
 * PasswordResetRequired, which asked for exactly this change. An expired password may be
 * changed here even under HardExpiry, which binds the console only (the model's HardExpiry
 * documentation).
 */
export const CHANGE_PASSWORD = defineOperation({
  name: 'ChangePassword',
  action: 'iam:ChangePassword',
  input: {
    kind: 'structure',
    members: { OldPassword: required(PASSWORD), NewPassword: required(PASSWORD) },
  } as const,
  resource: (_input, ctx) => callingUser(ctx.caller).arn,
  handle: async (input, ctx) => {
    const user = callingUser(ctx.caller)
    const current = await ctx.tx.getPasswordHash(user.accountId, user.name)
    if (current === null) throw noLoginProfile(user.name)
    if (!(await verifyPassword(input.OldPassword, current))) {
      throw new AwsError(
        'AccessDenied',
        // Invented message: AWS's answer to a wrong OldPassword is not on record. The caller
        // proves who it is with the old password, so a wrong one is a refusal, like a denial.
        'The old password is incorrect.',
      )
    }
    const passwordHash = await newPasswordHash(ctx.tx, user.accountId, user.name, input.NewPassword)
    const updated = await ctx.tx.updateLoginProfile(user.accountId, user.name, {
      passwordHash,
      passwordResetRequired: false,
    })
    if (updated === null) throw noLoginProfile(user.name)
    return undefined
  },
})
