/**
 * The errors of console sign-in (POST /console/sign-in), sent as the awsJson error body
 * `{"__type": "<Code>", "message": "..."}` with the status the catalog of Gatehouse's own
 * endpoints gives each code (src/errors/gatehouse-endpoint-errors.ts).
 */
import { gatehouseEndpointError } from '../../errors/gatehouse-endpoint-errors.js'
import type { JsonServiceError } from '../../protocol/json/json-service-error.js'

/** A code console sign-in sends. */
export type SignInErrorCode =
  | 'ValidationError'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'FailedAuthentication'
  | 'MFACodeRequired'
  | 'PasswordChangeRequired'
  | 'PasswordExpired'
  | 'PasswordPolicyViolation'
  | 'AccessDenied'
  | 'TooManyFailedAttempts'

/** A console sign-in error, with its status. */
export function signInError(
  code: SignInErrorCode,
  message: string,
  options?: ErrorOptions,
): JsonServiceError {
  return gatehouseEndpointError(code, message, options)
}

/**
 * The answer to wrong credentials, whichever was wrong: the AWS console's own words for a failed
 * sign-in.
 */
export const FAILED_AUTHENTICATION_MESSAGE =
  'Your authentication information is incorrect. Please try again.'
