/**
 * The account password policy: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
 * DeleteAccountPasswordPolicy (reference §2, "Account"). None of the three actions has a
 * resource type: each is authorized on `*`.
 */
import { PASSWORD_POLICY_DEFAULTS } from '../../auth/password-rules.js'
import { AwsError } from '../../errors/aws-error.js'
import type { PasswordPolicy } from '../../store/passwords-ops.js'
import { defineOperation } from '../operation.js'
import {
  MAX_PASSWORD_AGE,
  MINIMUM_PASSWORD_LENGTH,
  PASSWORD_REUSE_PREVENTION,
} from './password-shapes.js'
import { BOOLEAN } from './policy-shapes.js'

/** The PasswordPolicy structure, its members in the model's order. */
type PasswordPolicyXml = {
  readonly MinimumPasswordLength: number
  readonly RequireSymbols: boolean
  readonly RequireNumbers: boolean
  readonly RequireUppercaseCharacters: boolean
  readonly RequireLowercaseCharacters: boolean
  readonly AllowUsersToChangePassword: boolean
  readonly ExpirePasswords: boolean
  readonly MaxPasswordAge: number | undefined
  readonly PasswordReusePrevention: number | undefined
  readonly HardExpiry: boolean
}

function policyXml(policy: PasswordPolicy): PasswordPolicyXml {
  return {
    MinimumPasswordLength: policy.minimumPasswordLength,
    RequireSymbols: policy.requireSymbols,
    RequireNumbers: policy.requireNumbers,
    RequireUppercaseCharacters: policy.requireUppercaseCharacters,
    RequireLowercaseCharacters: policy.requireLowercaseCharacters,
    AllowUsersToChangePassword: policy.allowUsersToChangePassword,
    // "Returns true if MaxPasswordAge contains a value greater than 0" (the model).
    ExpirePasswords: policy.maxPasswordAge !== null && policy.maxPasswordAge > 0,
    // Members never set are left out, as AWS's GetAccountPasswordPolicy leaves them out.
    MaxPasswordAge: policy.maxPasswordAge ?? undefined,
    PasswordReusePrevention: policy.passwordReusePrevention ?? undefined,
    HardExpiry: policy.hardExpiry,
  }
}

const UPDATE_INPUT = {
  kind: 'structure',
  members: {
    MinimumPasswordLength: MINIMUM_PASSWORD_LENGTH,
    RequireSymbols: BOOLEAN,
    RequireNumbers: BOOLEAN,
    RequireUppercaseCharacters: BOOLEAN,
    RequireLowercaseCharacters: BOOLEAN,
    AllowUsersToChangePassword: BOOLEAN,
    MaxPasswordAge: MAX_PASSWORD_AGE,
    PasswordReusePrevention: PASSWORD_REUSE_PREVENTION,
    HardExpiry: BOOLEAN,
  },
} as const

/**
 * UpdateAccountPasswordPolicy: sets the whole policy. It "does not support partial updates": a
 * member the call leaves out returns to its default, whatever the policy had before.
 */
export const UPDATE_ACCOUNT_PASSWORD_POLICY = defineOperation({
  name: 'UpdateAccountPasswordPolicy',
  action: 'iam:UpdateAccountPasswordPolicy',
  input: UPDATE_INPUT,
  resource: () => '*',
  handle: async (input, ctx) => {
    const d = PASSWORD_POLICY_DEFAULTS
    await ctx.tx.putAccountPasswordPolicy(ctx.caller.accountId, {
      minimumPasswordLength: input.MinimumPasswordLength ?? d.minimumPasswordLength,
      requireSymbols: input.RequireSymbols ?? d.requireSymbols,
      requireNumbers: input.RequireNumbers ?? d.requireNumbers,
      requireUppercaseCharacters: input.RequireUppercaseCharacters ?? d.requireUppercaseCharacters,
      requireLowercaseCharacters: input.RequireLowercaseCharacters ?? d.requireLowercaseCharacters,
      allowUsersToChangePassword: input.AllowUsersToChangePassword ?? d.allowUsersToChangePassword,
      maxPasswordAge: input.MaxPasswordAge ?? d.maxPasswordAge,
      passwordReusePrevention: input.PasswordReusePrevention ?? d.passwordReusePrevention,
      hardExpiry: input.HardExpiry ?? d.hardExpiry,
    })
    return undefined
  },
})

/**
 * GetAccountPasswordPolicy: the policy, or NoSuchEntity with AWS's wording when none is set
 * (recorded from `aws iam get-account-password-policy`: "The Password Policy with domain name
 * 128440595215 cannot be found.").
 */
export const GET_ACCOUNT_PASSWORD_POLICY = defineOperation({
  name: 'GetAccountPasswordPolicy',
  action: 'iam:GetAccountPasswordPolicy',
  input: { kind: 'structure', members: {} } as const,
  resource: () => '*',
  handle: async (_input, ctx) => {
    const accountId = ctx.caller.accountId
    const policy = await ctx.tx.getAccountPasswordPolicy(accountId)
    if (policy === null) {
      throw new AwsError(
        'NoSuchEntity',
        `The Password Policy with domain name ${accountId} cannot be found.`,
      )
    }
    return { PasswordPolicy: policyXml(policy) }
  },
})

/**
 * DeleteAccountPasswordPolicy: removes the policy (AWS's default password policy binds again),
 * or NoSuchEntity with AWS's wording when none is set (AWS's own example of the cmdlet
 * Remove-IAMAccountPasswordPolicy: "The account policy with name PasswordPolicy cannot be
 * found.").
 */
export const DELETE_ACCOUNT_PASSWORD_POLICY = defineOperation({
  name: 'DeleteAccountPasswordPolicy',
  action: 'iam:DeleteAccountPasswordPolicy',
  input: { kind: 'structure', members: {} } as const,
  resource: () => '*',
  handle: async (_input, ctx) => {
    if (!(await ctx.tx.deleteAccountPasswordPolicy(ctx.caller.accountId))) {
      throw new AwsError(
        'NoSuchEntity',
        'The account policy with name PasswordPolicy cannot be found.',
      )
    }
    return undefined
  },
})
