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
import type { JsonObject, JsonValue } from './json-value.js'
import { rootArn } from '../store/arn.js'
import { isoSeconds } from '../protocol/iso-seconds.js'

/** sessionContext of temporary credentials: who issued them, when, and with or without MFA. */
function sessionContext(session: SessionClaims, sessionIssuer: JsonObject): JsonObject {
  // Members set one by one rather than spread: the same members in the same order, cheaper on
  // the request path.
  const context: Record<string, JsonValue> = {
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
  }
  if (session.sourceIdentity !== null) context['sourceIdentity'] = session.sourceIdentity
  return context
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
    return accessKeyId === undefined ? { type: 'Unknown' } : { type: 'Unknown', accessKeyId }
  }
  // The members every identity has, in AWS's order, then the user's name and the session's
  // context where the kind has them: set one by one rather than spread, on the request path.
  const identity: Record<string, JsonValue> = {
    type: IDENTITY_TYPES[caller.kind],
    principalId: callerUserId(caller),
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
  }
  if (caller.kind === 'user' || caller.kind === 'userSession') {
    identity['userName'] = caller.user.name
  }
  if (caller.kind !== 'root' && caller.kind !== 'user') {
    identity['sessionContext'] = sessionContext(caller.session, sessionIssuer(caller))
  }
  return identity
}

/** userIdentity's type for each kind of caller. */
const IDENTITY_TYPES: Readonly<Record<Caller['kind'], string>> = {
  root: 'Root',
  // GetSessionToken credentials: the root user's own identity, with the session's context.
  rootSession: 'Root',
  user: 'IAMUser',
  userSession: 'IAMUser',
  assumedRole: 'AssumedRole',
  federatedUser: 'FederatedUser',
}

/** Who issued a session's credentials: nobody named for GetSessionToken's, else a role or a user. */
function sessionIssuer(caller: Exclude<Caller, { kind: 'root' | 'user' }>): JsonObject {
  switch (caller.kind) {
    case 'rootSession':
    case 'userSession':
      return {}
    case 'assumedRole':
      return {
        type: 'Role',
        principalId: caller.role.roleId,
        arn: caller.role.arn,
        accountId: caller.role.accountId,
        userName: caller.role.name,
      }
    case 'federatedUser':
      // The userIdentity page: "If the credentials were obtained with root or IAM user
      // credentials to call AWS STS GetFederationToken, the element provides information about
      // the root account or IAM user".
      return caller.user === null
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
  }
}

/** A kept userIdentity text, with everything it was made of. */
interface KeptIdentity {
  readonly arn: string
  readonly accountId: string
  readonly accessKeyId: string
  /** The user's id and name; unused for the root user and for sessions. */
  readonly userId: string | undefined
  readonly userName: string | undefined
  /**
   * A session's entity as authentication found it (its role, user or account object; null for
   * a federated user of the root user); unused for long-term keys.
   */
  readonly entity: object | null | undefined
  readonly text: string
}

/**
 * The last userIdentity text of each user (and of each account's root user) signing with a
 * long-term key, by the cached User (or Account) object that authentication hands every request
 * of that key; and of each session, by the claims object the auth cache keeps for its token.
 * Most calls are made by few callers, and their userIdentity has nothing of the request in it.
 * Weak, so that an entity or token the cache lets go of takes its text along.
 */
const keptIdentities = new WeakMap<object, KeptIdentity>()

/** A session caller's entity, which its sessionContext.sessionIssuer (and userName) come from. */
function sessionEntity(caller: Exclude<Caller, { kind: 'root' | 'user' }>): object | null {
  switch (caller.kind) {
    case 'rootSession':
      return caller.account
    case 'userSession':
      return caller.user
    case 'assumedRole':
      return caller.role
    case 'federatedUser':
      return caller.user
  }
}

/**
 * userIdentity as JSON text: `JSON.stringify(userIdentity(...))`. The text is kept and reused
 * while every value it was made of is the same (compared each time, so that a renamed user,
 * another key of the same user, or a session's role read anew after a change gets a text of
 * its own). A session's claims never change: the rest of its text is made of them.
 */
export function userIdentityJson(
  caller: Caller | undefined,
  accessKeyId: string | undefined,
  withoutCaller?: FederatedUserIdentity | ServiceIdentity,
): string {
  if (caller === undefined) return JSON.stringify(userIdentity(caller, accessKeyId, withoutCaller))
  const longTerm = caller.kind === 'user' || caller.kind === 'root'
  const holder: unknown = longTerm
    ? caller.kind === 'user'
      ? caller.user
      : caller.account
    : caller.session
  // Anything but an object cannot key a WeakMap (none that authentication makes).
  if (typeof holder !== 'object' || holder === null) {
    return JSON.stringify(userIdentity(caller, accessKeyId, withoutCaller))
  }
  const userId = caller.kind === 'user' ? caller.user.userId : undefined
  const userName = caller.kind === 'user' ? caller.user.name : undefined
  const entity = longTerm ? undefined : sessionEntity(caller)
  const kept = keptIdentities.get(holder)
  if (
    kept !== undefined &&
    kept.arn === caller.arn &&
    kept.accountId === caller.accountId &&
    kept.accessKeyId === caller.accessKeyId &&
    kept.userId === userId &&
    kept.userName === userName &&
    kept.entity === entity
  ) {
    return kept.text
  }
  const text = JSON.stringify(userIdentity(caller, accessKeyId, withoutCaller))
  keptIdentities.set(holder, {
    arn: caller.arn,
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
    userId,
    userName,
    entity,
    text,
  })
  return text
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
