/**
 * IAM users' console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
 * DeleteLoginProfile (reference §2, "Login profiles / passwords"). A login profile says that a
 * user has a password, and when it was made; the password itself is stored only as a hash and
 * never returned. Every password set is checked against the account's password policy.
 */
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import type { LoginProfile } from '../../store/passwords-ops.js'
import { defineOperation } from '../operation.js'
import type { OperationContext } from '../operation.js'
import { newPasswordHash } from './new-password-hash.js'
import { PASSWORD } from './password-shapes.js'
import { BOOLEAN } from './policy-shapes.js'
import { USER_NAME, required } from './shapes.js'
import { NON_USER_CREDENTIALS_MESSAGE, targetUserArn, targetUserName } from './target-user.js'

/** The LoginProfile structure. */
type LoginProfileXml = {
  readonly UserName: string
  readonly CreateDate: Date
  readonly PasswordResetRequired: boolean
}

function loginProfileXml(profile: LoginProfile): LoginProfileXml {
  return {
    UserName: profile.userName,
    CreateDate: profile.createdAt,
    PasswordResetRequired: profile.passwordResetRequired,
  }
}

/**
 * IAM's NoSuchEntity for a user without a login profile (recorded from ChangePassword: "Login
 * Profile for User vs-code-user cannot be found.").
 */
export function noLoginProfile(userName: string): AwsError {
  return new AwsError('NoSuchEntity', `Login Profile for User ${userName} cannot be found.`)
}

/**
 * The user a login profile operation acts on: the one UserName names, else the calling IAM user.
 * Without UserName, a role session or federated user gets IAM's ValidationError, and so does
 * the root user, which AWS lets leave UserName out only in an AssumeRoot session (the model's
 * UserName documentation); Gatehouse has no AssumeRoot, and the root user has no login profile.
 */
function profileUserName(caller: Caller, userName: string | undefined): string {
  const name = targetUserName(caller, userName)
  if (name === null) throw new AwsError('ValidationError', NON_USER_CREDENTIALS_MESSAGE)
  return name
}

/** The ARN the call is authorized on: the target user's (ValidationError first, as above). */
function profileUserArn(input: { readonly UserName?: string }, ctx: OperationContext) {
  profileUserName(ctx.caller, input.UserName)
  return targetUserArn(ctx.tx, ctx.caller, input.UserName)
}

/**
 * CreateLoginProfile: gives a user a console password, checked against the password policy.
 * EntityAlreadyExists if the user has one (UpdateLoginProfile changes it).
 */
export const CREATE_LOGIN_PROFILE = defineOperation({
  name: 'CreateLoginProfile',
  action: 'iam:CreateLoginProfile',
  input: {
    kind: 'structure',
    members: {
      UserName: USER_NAME,
      // The model makes Password optional only for AssumeRoot sessions ("It is required in all
      // other cases"); Gatehouse has none, so it is required here, with the model's message.
      Password: required(PASSWORD),
      PasswordResetRequired: BOOLEAN,
    },
  } as const,
  resource: profileUserArn,
  handle: async (input, ctx) => {
    const accountId = ctx.caller.accountId
    const userName = profileUserName(ctx.caller, input.UserName)
    // Invented message: AWS's own is not on record; this is the wording IAM emulators use.
    const exists = () =>
      new AwsError('EntityAlreadyExists', `Login Profile for user ${userName} already exists.`)
    if ((await ctx.tx.getLoginProfile(accountId, userName)) !== null) throw exists()
    const passwordHash = await newPasswordHash(ctx.tx, accountId, userName, input.Password)
    const profile = await ctx.tx.createLoginProfile({
      accountId,
      userName,
      passwordHash,
      passwordResetRequired: input.PasswordResetRequired ?? false,
    })
    if (profile === null) throw exists()
    return { LoginProfile: loginProfileXml(profile) }
  },
})

/** GetLoginProfile: that the user has a password, since when, and whether it must be reset. */
export const GET_LOGIN_PROFILE = defineOperation({
  name: 'GetLoginProfile',
  action: 'iam:GetLoginProfile',
  input: { kind: 'structure', members: { UserName: USER_NAME } } as const,
  resource: profileUserArn,
  handle: async (input, ctx) => {
    const userName = profileUserName(ctx.caller, input.UserName)
    const profile = await ctx.tx.getLoginProfile(ctx.caller.accountId, userName)
    if (profile === null) throw noLoginProfile(userName)
    return { LoginProfile: loginProfileXml(profile) }
  },
})

/**
 * UpdateLoginProfile: a new password for a user (checked against the password policy), whether
 * it must be reset at the next sign-in, or both; what the call leaves out stays as it was.
 */
export const UPDATE_LOGIN_PROFILE = defineOperation({
  name: 'UpdateLoginProfile',
  action: 'iam:UpdateLoginProfile',
  input: {
    kind: 'structure',
    members: {
      UserName: required(USER_NAME),
      Password: PASSWORD,
      PasswordResetRequired: BOOLEAN,
    },
  } as const,
  resource: (input, ctx) => targetUserArn(ctx.tx, ctx.caller, input.UserName),
  handle: async (input, ctx) => {
    const accountId = ctx.caller.accountId
    const userName = input.UserName
    if ((await ctx.tx.getLoginProfile(accountId, userName)) === null) {
      throw noLoginProfile(userName)
    }
    const passwordHash =
      input.Password === undefined
        ? undefined
        : await newPasswordHash(ctx.tx, accountId, userName, input.Password)
    const updated = await ctx.tx.updateLoginProfile(accountId, userName, {
      ...(passwordHash === undefined ? {} : { passwordHash }),
      ...(input.PasswordResetRequired === undefined
        ? {}
        : { passwordResetRequired: input.PasswordResetRequired }),
    })
    if (updated === null) throw noLoginProfile(userName)
    return undefined
  },
})

/**
 * DeleteLoginProfile: takes away a user's console password. Its access keys stay: "Deleting a
 * user's password does not prevent a user from accessing AWS through the command line
 * interface or the API".
 */
export const DELETE_LOGIN_PROFILE = defineOperation({
  name: 'DeleteLoginProfile',
  action: 'iam:DeleteLoginProfile',
  input: { kind: 'structure', members: { UserName: USER_NAME } } as const,
  resource: profileUserArn,
  handle: async (input, ctx) => {
    const userName = profileUserName(ctx.caller, input.UserName)
    if (!(await ctx.tx.deleteLoginProfile(ctx.caller.accountId, userName))) {
      throw noLoginProfile(userName)
    }
    return undefined
  },
})
