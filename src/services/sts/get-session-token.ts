/**
 * STS GetSessionToken: temporary credentials for the IAM user (or root user) that calls, with
 * its own permissions, made with MFA when the call gives a code of the caller's own device (the
 * root user's included: aws:MultiFactorAuthPresent is then true for the root session too). No
 * permission is needed (authorize knows); the restrictions on what the credentials can call (no
 * IAM without MFA, only AssumeRole and GetCallerIdentity on STS) are checked when they are used.
 */
import { defineOperation } from '../operation.js'
import { verifyMfa } from './check-mfa.js'
import { issueCredentials, ownKeySession } from './issue-credentials.js'
import { DURATION_SECONDS, SERIAL_NUMBER, TOKEN_CODE } from './shapes.js'

/** Twelve hours, unless the request says otherwise. */
export const DEFAULT_SESSION_SECONDS = 43200

/** The root user's sessions last an hour at most; a longer request gets an hour. */
export const ROOT_MAX_SESSION_SECONDS = 3600

const INPUT = {
  kind: 'structure',
  members: {
    DurationSeconds: DURATION_SECONDS,
    SerialNumber: SERIAL_NUMBER,
    TokenCode: TOKEN_CODE,
  },
} as const

/** GetSessionToken. */
export const GET_SESSION_TOKEN = defineOperation({
  name: 'GetSessionToken',
  action: 'sts:GetSessionToken',
  input: INPUT,
  // A code is used up when it is given.
  writes: (input) => input.SerialNumber !== undefined || input.TokenCode !== undefined,
  resource: () => '*',
  async handle(input, ctx) {
    const { caller } = ctx
    const mfa = await verifyMfa(ctx, input.SerialNumber, input.TokenCode)
    let duration = input.DurationSeconds ?? DEFAULT_SESSION_SECONDS
    // Only long-term keys reach here (session credentials are refused before): a user or root.
    const user = caller.kind === 'user' ? caller.user : null
    if (user === null) duration = Math.min(duration, ROOT_MAX_SESSION_SECONDS)
    const credentials = issueCredentials(
      ctx,
      ownKeySession(caller.accountId, user, mfa.present),
      duration,
    )
    return { Credentials: credentials }
  },
})
