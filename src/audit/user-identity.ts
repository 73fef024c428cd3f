/**
 * CloudTrail's userIdentity element for each kind of caller, and the user name LookupEvents
 * files the event under. Shapes follow the CloudTrail User Guide's userIdentity page (types
 * Root, IAMUser, AssumedRole, FederatedUser, Unknown; principalId `AROA...:session` for a role
 * session; sessionContext with attributes and sessionIssuer; sourceIdentity in sessionContext)
 * and real records: an IAM user's long-term key has no sessionContext (CreateAccessKey records),
 * a session's sessionContext lists sessionIssuer, webIdFederationData and attributes in that
 * order, and a federated user's sessionIssuer is the IAMUser that federated it
 * (GetFederationToken then GetCallerIdentity, DataDog/stratus-red-team detonation logs).
 */
import type { Caller } from '../auth/caller.js'
import { callerUserId } from '../auth/caller.js'
import type { SessionClaims } from '../auth/session-token.js'
import type { FederatedUserIdentity, ServiceIdentity } from './audit-event.js'
import type { JsonObject } from './json-value.js'
import { rootArn } from '../store/arn.js'
import { isoSeconds } from '../protocol/iso-seconds.js'

/** sessionContext of temporary credentials: who issued them, when, and with or without MFA. */
function sessionContext(session: SessionClaims, sessionIssuer: JsonObject): JsonObject {
  return {
    sessionIssuer,
    // Present and empty unless the session came from web identity federation, as in AWS's
    // records; then it names the OIDC provider (records of GitHub Actions' OIDC role sessions:
    // `{"federatedProvider": "arn:aws:iam::...:oidc-provider/...", "attributes": {}}`).
    webIdFederationData:
      session.federatedProvider === undefined
        ? {}
        : { federatedProvider: session.federatedProvider, attributes: {} },
    attributes: {
      creationDate: isoSeconds(session.issuedAt),
      // A string, not a boolean, in every AWS record.
      mfaAuthenticated: session.mfa ? 'true' : 'false',
    },
    ...(session.sourceIdentity === null ? {} : { sourceIdentity: session.sourceIdentity }),
  }
}

/**
 * userIdentity for a request. Without a caller (authentication failed or never happened) the
 * type is `Unknown`, "an identity type that CloudTrail cannot determine" (userIdentity page),
 * with the access key the request named if it named one: nothing else about it is known, and
 * claiming an account for an unverified key would file the event in someone else's trail.
 */
export function userIdentity(
  caller: Caller | undefined,
  accessKeyId: string | undefined,
  withoutCaller?: FederatedUserIdentity | ServiceIdentity,
): JsonObject {
  if (caller === undefined) {
    // AssumeRoleWithWebIdentity and AssumeRoleWithSAML records name who federated, with no key;
    // a service's own call names the service.
    if (withoutCaller !== undefined) return { ...withoutCaller }
    return { type: 'Unknown', ...(accessKeyId === undefined ? {} : { accessKeyId }) }
  }
  const base = {
    principalId: callerUserId(caller),
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
  }
  switch (caller.kind) {
    case 'root':
      return { type: 'Root', ...base }
    case 'user':
      return { type: 'IAMUser', ...base, userName: caller.user.name }
    case 'rootSession':
      // GetSessionToken credentials: the root user's own identity, with the session's context.
      return { type: 'Root', ...base, sessionContext: sessionContext(caller.session, {}) }
    case 'userSession':
      return {
        type: 'IAMUser',
        ...base,
        userName: caller.user.name,
        sessionContext: sessionContext(caller.session, {}),
      }
    case 'assumedRole':
      return {
        type: 'AssumedRole',
        ...base,
        sessionContext: sessionContext(caller.session, {
          type: 'Role',
          principalId: caller.role.roleId,
          arn: caller.role.arn,
          accountId: caller.role.accountId,
          userName: caller.role.name,
        }),
      }
    case 'federatedUser': {
      // The userIdentity page: "If the credentials were obtained with root or IAM user
      // credentials to call AWS STS GetFederationToken, the element provides information about
      // the root account or IAM user".
      const issuer: JsonObject =
        caller.user === null
          ? {
              type: 'Root',
              principalId: caller.accountId,
              arn: rootArn(caller.accountId),
              accountId: caller.accountId,
            }
          : {
              type: 'IAMUser',
              principalId: caller.user.userId,
              arn: caller.user.arn,
              accountId: caller.user.accountId,
              userName: caller.user.name,
            }
      return {
        type: 'FederatedUser',
        ...base,
        sessionContext: sessionContext(caller.session, issuer),
      }
    }
  }
}

/**
 * The name LookupEvents' `Username` attribute matches, as CloudTrail's event history shows it:
 * an IAM user's name, `root` for the root user, the session name of a role session, the name
 * of a federated user; null when the caller is not known.
 */
export function lookupUsername(
  caller: Caller | undefined,
  withoutCaller?: FederatedUserIdentity | ServiceIdentity,
): string | null {
  // A service's own call is filed under no user name, as AWS's event history shows it.
  if (caller === undefined) {
    return withoutCaller?.type === 'AWSService' ? null : (withoutCaller?.userName ?? null)
  }
  switch (caller.kind) {
    case 'root':
    case 'rootSession':
      return 'root'
    case 'user':
    case 'userSession':
      return caller.user.name
    case 'assumedRole':
      return caller.sessionName
    case 'federatedUser':
      return caller.name
  }
}
