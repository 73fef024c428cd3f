/**
 * Whose credentials a delegation request yields: "At the time of acceptance, IAM records the
 * details and the state of the identity that called this API. This is the identity that gets
 * mapped to the delegated credential" (AcceptDelegationRequest). What is recorded is the session
 * the accepting identity would start from: for temporary credentials, their own session (a role
 * session with its role, session name, session policies, tags and source identity; an IAM user's
 * or the root user's GetSessionToken session), MFA and all; for an IAM user's or the root user's
 * long-term key, a session of that user (or root) without MFA.
 *
 * SECURITY: the recorded session keeps when it began (the approver's session start, or the
 * acceptance for a long-term key), and the delegated credentials count from it, however often the
 * token is traded: a revocation by aws:TokenIssueTime and a policy on aws:MultiFactorAuthAge
 * judge them as they judge the approver's session. A console session's leave to call IAM without
 * MFA is not handed over: it is the console's, not the partner's.
 *
 * The delegated session is that session with the rendered policy as one more scope-down policy
 * (as GetScopedCredentials narrows a session): it can do what the approver could and the policy
 * allows, no more ("You can only delegate permissions to a product provider if you have
 * permissions to the services and actions included in the temporary delegation request", IAM User
 * Guide, access_policies-temporary-delegation).
 */
import type { Caller } from '../../auth/caller.js'
import { sessionOf } from '../../auth/caller.js'
import type { SessionPolicy, SessionPrincipal } from '../../auth/session-token.js'
import type { Tag } from '../../store/store.js'
import { ownKeySession } from '../sts/issue-credentials.js'
import type { SessionDescription } from '../sts/issue-credentials.js'

/** The recorded approver: the ARN it acted as, and the session its credentials start from. */
export interface DelegationApprover {
  /** ApproverId, and the AssumedPrincipal of the delegated credentials. */
  readonly arn: string
  readonly session: SessionDescription
  /** When the session began: the delegated credentials' aws:TokenIssueTime. */
  readonly issuedAt: Date
}

/** Records the identity that accepts a request, at `now`. */
export function approverOf(caller: Caller, now: Date): DelegationApprover {
  const session = sessionOf(caller)
  if (session !== undefined) {
    // SECURITY: the session's key and secret stay out: only what the session is is recorded.
    return {
      arn: caller.arn,
      issuedAt: session.issuedAt,
      session: {
        accountId: session.accountId,
        principal: session.principal,
        policies: session.policies,
        tags: session.tags,
        transitiveTagKeys: session.transitiveTagKeys,
        sourceIdentity: session.sourceIdentity,
        chained: session.chained,
        mfa: session.mfa,
        ...(session.scopeDown === undefined ? {} : { scopeDown: session.scopeDown }),
        ...(session.federatedProvider === undefined
          ? {}
          : { federatedProvider: session.federatedProvider }),
      },
    }
  }
  return {
    arn: caller.arn,
    // AWS states times to the second.
    issuedAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
    session: ownKeySession(caller.accountId, caller.kind === 'user' ? caller.user : null, false),
  }
}

/** The approver as the store keeps it. */
export function writeApprover(approver: DelegationApprover): string {
  return JSON.stringify({
    v: 1,
    arn: approver.arn,
    issuedAt: approver.issuedAt.getTime(),
    session: approver.session,
  })
}

const isString = (value: unknown): value is string => typeof value === 'string'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function hasStrings(value: unknown, members: readonly string[]): boolean {
  return isRecord(value) && members.every((m) => isString(value[m]))
}

function isPolicies(value: unknown): value is SessionPolicy[] {
  return Array.isArray(value) && value.every((p) => hasStrings(p, ['label', 'document']))
}

function isPrincipal(value: unknown): value is SessionPrincipal {
  if (!isRecord(value)) return false
  switch (value['kind']) {
    case 'assumedRole':
      return hasStrings(value, ['roleId', 'roleName', 'roleArn', 'sessionName'])
    case 'federatedUser':
      return (
        isString(value['name']) &&
        (value['federatedBy'] === null ||
          hasStrings(value['federatedBy'], ['userId', 'userName', 'userArn']))
      )
    case 'user':
      return hasStrings(value, ['userId', 'userName', 'userArn'])
    case 'root':
      return true
    default:
      return false
  }
}

/**
 * The approver a request recorded, or undefined when the text is not one this module wrote (the
 * caller treats that as the server's failure).
 */
export function readApprover(text: string): DelegationApprover | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(value) || value['v'] !== 1 || !isString(value['arn'])) return undefined
  const issuedAt = value['issuedAt']
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt)) return undefined
  const s = value['session']
  if (
    !isRecord(s) ||
    !isString(s['accountId']) ||
    !isPrincipal(s['principal']) ||
    !(s['policies'] === null || isPolicies(s['policies'])) ||
    !(Array.isArray(s['tags']) && s['tags'].every((t) => hasStrings(t, ['key', 'value']))) ||
    !(Array.isArray(s['transitiveTagKeys']) && s['transitiveTagKeys'].every(isString)) ||
    !(s['sourceIdentity'] === null || isString(s['sourceIdentity'])) ||
    typeof s['chained'] !== 'boolean' ||
    typeof s['mfa'] !== 'boolean' ||
    !(s['scopeDown'] === undefined || isPolicies(s['scopeDown'])) ||
    !(s['federatedProvider'] === undefined || isString(s['federatedProvider']))
  ) {
    return undefined
  }
  const principal = s['principal']
  const session: SessionDescription = {
    accountId: s['accountId'],
    principal,
    policies: s['policies'],
    tags: s['tags'] as Tag[],
    transitiveTagKeys: s['transitiveTagKeys'],
    sourceIdentity: s['sourceIdentity'],
    chained: s['chained'],
    mfa: s['mfa'],
    ...(s['scopeDown'] === undefined ? {} : { scopeDown: s['scopeDown'] }),
    ...(isString(s['federatedProvider']) ? { federatedProvider: s['federatedProvider'] } : {}),
  }
  return { arn: value['arn'], issuedAt: new Date(issuedAt), session }
}

/** Whether the approver is the account's root user, who may approve four hours at most. */
export function approvedByRoot(approver: DelegationApprover): boolean {
  return approver.session.principal.kind === 'root'
}

/**
 * The session of the delegated credentials: the approver's, narrowed by the request's policy as
 * one more scope-down policy after any it already had.
 */
export function delegatedSession(
  approver: DelegationApprover,
  requestId: string,
  permissionPolicy: string,
): SessionDescription {
  const delegation: SessionPolicy = {
    label: `delegation-request/${requestId}`,
    document: permissionPolicy,
  }
  return {
    ...approver.session,
    scopeDown: [...(approver.session.scopeDown ?? []), delegation],
  }
}
