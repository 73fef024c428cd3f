/**
 * What each kind of credentials may not call at all, whatever the policies say (STS API
 * reference; iam-guide id_credentials_temp_request, "Compare AWS STS credentials"):
 * - role sessions cannot call GetFederationToken or GetSessionToken;
 * - GetSessionToken credentials cannot call IAM without MFA, nor STS beyond AssumeRole and
 *   GetCallerIdentity; console sign-in's credentials of the same user may call IAM without MFA,
 *   as AWS's console does;
 * - federated users cannot call IAM, nor STS beyond GetCallerIdentity;
 * - the root user cannot assume roles;
 * - GetScopedCredentials takes temporary credentials only, any kind of them: "You cannot call it
 *   with IAM user credentials or root credentials. If you want to scope down IAM user
 *   credentials, first call GetSessionToken" (STS API reference, GetScopedCredentials).
 */
import { AwsError } from '../errors/aws-error.js'
import { INVALID_CLIENT_TOKEN_ID_MESSAGE } from './authenticate.js'
import type { Caller } from './caller.js'

/** AWS's answer to the root user calling AssumeRole. */
export const ROOT_CANNOT_ASSUME_ROLES_MESSAGE = 'Roles may not be assumed by root accounts.'

/** AWS's answer to session credentials calling an STS operation they may not call. */
export function sessionCredentialsMessage(operation: string): string {
  return `Cannot call ${operation} with session credentials`
}

// Invented message: AWS's wording for long-term keys calling GetScopedCredentials is not on record.
// The code is the one the model gives for a calling session that "could not be validated or
// resolved" (InvalidSubjectCredentialsException): long-term keys have no session to scope down.
/** The answer to long-term keys calling GetScopedCredentials. */
export const SCOPED_CREDENTIALS_NEED_SESSION_MESSAGE =
  'GetScopedCredentials must be called with temporary security credentials.'

const SESSION_TOKEN_STS: ReadonlySet<string> = new Set([
  'AssumeRole',
  'GetCallerIdentity',
  'GetScopedCredentials',
])
const FEDERATED_USER_STS: ReadonlySet<string> = new Set([
  'GetCallerIdentity',
  'GetScopedCredentials',
])
const NOT_FOR_ROLE_SESSIONS: ReadonlySet<string> = new Set([
  'GetFederationToken',
  'GetSessionToken',
])

/** Throws AWS's error when `caller`'s credentials may not call `operation` of `service`. */
export function checkSessionRestrictions(caller: Caller, service: string, operation: string): void {
  if (service === 'sts' && operation === 'AssumeRole') {
    if (caller.kind === 'root' || caller.kind === 'rootSession') {
      throw new AwsError('AccessDenied', ROOT_CANNOT_ASSUME_ROLES_MESSAGE)
    }
  }
  let allowedSts: (operation: string) => boolean
  switch (caller.kind) {
    case 'root':
    case 'user':
      if (service === 'sts' && operation === 'GetScopedCredentials') {
        throw new AwsError('InvalidSubjectCredentials', SCOPED_CREDENTIALS_NEED_SESSION_MESSAGE)
      }
      return
    case 'assumedRole':
      allowedSts = (op) => !NOT_FOR_ROLE_SESSIONS.has(op)
      break
    case 'rootSession':
    case 'userSession':
      // IAM refuses these credentials as if it did not know them (reference §3.1, citing
      // https://github.com/99designs/aws-vault/issues/328), unless MFA made the session.
      if (service === 'iam' && !caller.session.mfa && caller.session.console !== true) {
        throw new AwsError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE)
      }
      allowedSts = (op) => SESSION_TOKEN_STS.has(op)
      break
    case 'federatedUser':
      if (service === 'iam') {
        throw new AwsError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE)
      }
      allowedSts = (op) => FEDERATED_USER_STS.has(op)
      break
  }
  if (service === 'sts' && !allowedSts(operation)) {
    throw new AwsError('AccessDenied', sessionCredentialsMessage(operation))
  }
}
