/**
 * The global condition keys AWS puts in every request's context (aws:CurrentTime, aws:SourceIp,
 * aws:PrincipalTag/*, and for temporary credentials aws:TokenIssueTime,
 * aws:MultiFactorAuthPresent, aws:SourceIdentity), beside the principal keys the policy engine
 * derives itself (aws:PrincipalArn, aws:userid, aws:username, aws:PrincipalType,
 * aws:PrincipalAccount).
 */
import type { ContextValue } from '../policy/index.js'
import { isoSeconds } from '../protocol/iso-seconds.js'
import type { Tag } from '../store/store.js'

/** What the request tells about itself. */
export interface RequestFacts {
  readonly now: Date
  /** The client's address as the server saw it. */
  readonly sourceIp: string
  /** Whether the request came over TLS. */
  readonly secureTransport: boolean
  /** The region of the request's credential scope. */
  readonly region: string
  /** The User-Agent header, when there is one. */
  readonly userAgent: string | undefined
}

/** The facts of temporary credentials that become condition keys. */
export interface SessionFacts {
  readonly issuedAt: Date
  /** Whether the session was made with MFA, and when (aws:MultiFactorAuthAge counts from it). */
  readonly mfa: boolean
  readonly sourceIdentity: string | null
  /** The OIDC provider of a web identity session (aws:FederatedProvider). */
  readonly federatedProvider?: string | undefined
}

/**
 * The request's global condition keys, plus `extra` (the operation's own keys, such as
 * aws:RequestTag/* or iam:PermissionsBoundary). `principalTags` are the caller's tags (for a
 * session: its entity's tags, overridden by its session tags); `session` what the caller's
 * temporary credentials say of themselves, undefined for long-term keys.
 * aws:MultiFactorAuthPresent and aws:TokenIssueTime are there only for temporary credentials:
 * AWS omits them for long-term keys.
 */
export function buildContextKeys(
  facts: RequestFacts,
  principalTags: readonly Tag[],
  session: SessionFacts | undefined,
  extra: Readonly<Record<string, ContextValue>> = {},
): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    // As AWS writes them in the request context: ISO 8601 in whole seconds, and epoch seconds.
    'aws:CurrentTime': isoSeconds(facts.now),
    'aws:EpochTime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:SourceIp': facts.sourceIp,
    'aws:SecureTransport': facts.secureTransport ? 'true' : 'false',
    'aws:RequestedRegion': facts.region,
    'aws:ViaAWSService': 'false',
  }
  if (facts.userAgent !== undefined) keys['aws:UserAgent'] = facts.userAgent
  for (const tag of principalTags) keys[`aws:PrincipalTag/${tag.key}`] = tag.value
  if (session !== undefined) {
    keys['aws:TokenIssueTime'] = isoSeconds(session.issuedAt)
    keys['aws:MultiFactorAuthPresent'] = session.mfa ? 'true' : 'false'
    if (session.mfa) {
      const age = Math.max(0, Math.floor((facts.now.getTime() - session.issuedAt.getTime()) / 1000))
      keys['aws:MultiFactorAuthAge'] = String(age)
    }
    if (session.sourceIdentity !== null) keys['aws:SourceIdentity'] = session.sourceIdentity
    // The IdP that authenticated a web identity session's federated identity, on every request
    // the session makes (global condition keys, aws:FederatedProvider).
    if (session.federatedProvider !== undefined) {
      keys['aws:FederatedProvider'] = session.federatedProvider
    }
  }
  // Copied in rather than spread into a new object: the same result, one object fewer.
  for (const key of Object.keys(extra)) keys[key] = extra[key] as ContextValue
  return keys
}
