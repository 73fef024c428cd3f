/**
 * The global condition keys AWS puts in every request's context (aws:CurrentTime, aws:SourceIp,
 * aws:PrincipalTag/*, ...), beside the principal keys the policy engine derives itself
 * (aws:PrincipalArn, aws:userid, aws:username, aws:PrincipalType, aws:PrincipalAccount).
 */
import type { ContextValue } from '../policy/index.js'
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
  /** The caller's tags. */
  readonly principalTags: readonly Tag[]
}

/**
 * The request's global condition keys, plus `extra` (the operation's own keys, such as
 * aws:RequestTag/* or iam:PermissionsBoundary). aws:MultiFactorAuthPresent is left out: AWS
 * omits it for long-term access keys, the only credentials Gatehouse accepts so far.
 */
export function buildContextKeys(
  facts: RequestFacts,
  extra: Readonly<Record<string, ContextValue>> = {},
): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {
    'aws:CurrentTime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:SourceIp': facts.sourceIp,
    'aws:SecureTransport': facts.secureTransport ? 'true' : 'false',
    'aws:RequestedRegion': facts.region,
    'aws:ViaAWSService': 'false',
  }
  if (facts.userAgent !== undefined) keys['aws:UserAgent'] = facts.userAgent
  for (const tag of facts.principalTags) keys[`aws:PrincipalTag/${tag.key}`] = tag.value
  return { ...keys, ...extra }
}
