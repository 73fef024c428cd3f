/**
 * The errors of console sign-in (POST /console/sign-in), each with its HTTP status, sent as the
 * awsJson error body `{"__type": "<Code>", "message": "..."}`. Sign-in is no AWS API operation:
 * these codes are Gatehouse's, named in AWS's style, and each status says what a client should
 * do: 400 fix the request, 401 give (other) credentials, 403 the credentials are right but the
 * sign-in cannot go on as asked, 429 wait (Retry-After) before trying again.
 */
import { JsonServiceError } from '../../protocol/json/json-service-error.js'
import type { JsonErrorEntry } from '../../protocol/json/json-service-error.js'

/** Every code console sign-in sends, with its status. */
export const SIGN_IN_ERRORS = {
  /** A member missing, of the wrong type or out of its bounds; nothing was checked or counted. */
  ValidationError: { status: 400, fault: 'client' },
  /** A method other than POST. */
  MethodNotAllowed: { status: 405, fault: 'client' },
  /** The body is not sent as application/json. */
  UnsupportedMediaType: { status: 415, fault: 'client' },
  /**
   * The account, user name, password or MFA code is wrong; the same answer whichever, and
   * whether or not the user exists. Counted towards the lockout.
   */
  FailedAuthentication: { status: 401, fault: 'client' },
  /** The password is right and the user has an MFA device: send its current code too. */
  MFACodeRequired: { status: 401, fault: 'client' },
  /** The password is right but has expired or must be reset: send newPassword too. */
  PasswordChangeRequired: { status: 403, fault: 'client' },
  /** The password has expired and the account's HardExpiry lets only an administrator reset it. */
  PasswordExpired: { status: 403, fault: 'client' },
  /** The new password is refused by the account's password policy. */
  PasswordPolicyViolation: { status: 400, fault: 'client' },
  /** The user may not change its own password (iam:ChangePassword), which it must. */
  AccessDenied: { status: 403, fault: 'client' },
  /** Too many failed sign-ins for this user name or from this address: wait, then retry. */
  TooManyFailedAttempts: { status: 429, fault: 'client' },
} as const satisfies Readonly<Record<string, JsonErrorEntry>>

/** A code console sign-in sends. */
export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS

/** A console sign-in error, with its status. */
export function signInError(
  code: SignInErrorCode,
  message: string,
  options?: ErrorOptions,
): JsonServiceError {
  return new JsonServiceError(code, message, SIGN_IN_ERRORS[code], options)
}

/**
 * The answer to wrong credentials, whichever was wrong: the AWS console's own words for a failed
 * sign-in.
 */
export const FAILED_AUTHENTICATION_MESSAGE =
  'Your authentication information is incorrect. Please try again.'
