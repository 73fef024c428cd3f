/**
 * The catalog of the errors Gatehouse's own endpoints send (console sign-in, the container
 * credentials endpoint), beside AWS's (./catalog.ts): no AWS model defines these endpoints, so
 * their codes are Gatehouse's, named in AWS's style, each with the HTTP status it is sent with.
 * Each status says what a client should do: 400 fix the request, 401 give (other) credentials,
 * 403 the credentials are right but the call cannot go on as asked, 405/415 send it another
 * way, 429 wait (Retry-After) before trying again.
 */
import { JsonServiceError } from '../protocol/json/json-service-error.js'
import type { JsonErrorEntry } from '../protocol/json/json-service-error.js'

/** Every code Gatehouse's own endpoints send, with its status. */
export const GATEHOUSE_ENDPOINT_ERRORS = {
  /** A member missing, of the wrong type or out of its bounds; nothing was checked or counted. */
  ValidationError: { status: 400, fault: 'client' },
  /** A method the endpoint does not answer. */
  MethodNotAllowed: { status: 405, fault: 'client' },
  /** The body is not sent as application/json. */
  UnsupportedMediaType: { status: 415, fault: 'client' },
  /**
   * Console sign-in: the account, user name, password or MFA code is wrong; the same answer
   * whichever, and whether or not the user exists. Counted towards the lockout.
   */
  FailedAuthentication: { status: 401, fault: 'client' },
  /** Console sign-in: the password is right and the user has an MFA device: send its code too. */
  MFACodeRequired: { status: 401, fault: 'client' },
  /** Console sign-in: the password is right but has expired or must be reset: send newPassword. */
  PasswordChangeRequired: { status: 403, fault: 'client' },
  /** Console sign-in: the password has expired and HardExpiry lets only an administrator reset it. */
  PasswordExpired: { status: 403, fault: 'client' },
  /** Console sign-in: the new password is refused by the account's password policy. */
  PasswordPolicyViolation: { status: 400, fault: 'client' },
  /** Console sign-in: the user may not change its own password (iam:ChangePassword), which it must. */
  AccessDenied: { status: 403, fault: 'client' },
  /** Console sign-in: too many failures for this user name or from this address: wait, then retry. */
  TooManyFailedAttempts: { status: 429, fault: 'client' },
  /** Container credentials: the request carries no workload token. */
  MissingAuthorizationToken: { status: 401, fault: 'client' },
  /** Container credentials: the token names no workload, or its workload was deleted. */
  InvalidToken: { status: 401, fault: 'client' },
} as const satisfies Readonly<Record<string, JsonErrorEntry>>

/** A code Gatehouse's own endpoints send. */
export type GatehouseEndpointErrorCode = keyof typeof GATEHOUSE_ENDPOINT_ERRORS

/** An error of Gatehouse's own endpoints, with the status the catalog gives its code. */
export function gatehouseEndpointError(
  code: GatehouseEndpointErrorCode,
  message: string,
  options?: ErrorOptions,
): JsonServiceError {
  return new JsonServiceError(code, message, GATEHOUSE_ENDPOINT_ERRORS[code], options)
}
