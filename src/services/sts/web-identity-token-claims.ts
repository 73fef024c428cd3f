/**
 * The claims set of a GetWebIdentityToken JWT, as the IAM User Guide's "Understanding token
 * claims" (id_roles_providers_outbound_token_claims) names and places them: the standard iss,
 * sub, aud, iat, exp and jti at the top, AWS's own under `https://sts.amazonaws.com/`.
 *
 * Of AWS's own, Gatehouse has what describes its principals: aws_account, principal_id (the
 * model's documentation of GetWebIdentityToken: the principal's ARN, a role session's role),
 * source_region, principal_tags, and for a role session original_session_exp,
 * source_identity and federated_provider (a web identity session's OIDC provider, the value of
 * its aws:FederatedProvider), and the caller's request_tags. Never here, as in AWS's tokens for an account
 * without them: org_id and ou_path (no Gatehouse account is in an AWS Organization), the IAM
 * Identity Center claims (identity_store_user_id, identity_store_arn), and the claims of the
 * compute a session came from (ec2_*, lambda_source_function_arn, glue_credential_issuing_service),
 * which Gatehouse does not run.
 */
import type { JWTPayload } from 'jose'
import type { Tag } from '../../store/store.js'
import { isoSeconds } from '../../protocol/iso-seconds.js'

/** The namespace of AWS's own claims. */
export const STS_CLAIMS_NAMESPACE = 'https://sts.amazonaws.com/'

/** What a token says. */
export interface WebIdentityTokenFacts {
  readonly issuer: string
  /** The principal's ARN: the user's, or a role session's role. */
  readonly subject: string
  readonly audience: readonly string[]
  /** Seconds since the epoch. */
  readonly issuedAt: number
  readonly expiresAt: number
  readonly tokenId: string
  readonly accountId: string
  /** The region the request was signed for (aws:RequestedRegion). */
  readonly region: string
  /** The caller's tags as aws:PrincipalTag has them: a role's with its session's over them. */
  readonly principalTags: readonly Tag[]
  /** A role session's: when it expires, and its source identity (null if it has none). */
  readonly roleSession?: {
    readonly expiresAt: Date
    readonly sourceIdentity: string | null
    /** The OIDC provider's ARN of a session from AssumeRoleWithWebIdentity. */
    readonly federatedProvider?: string | undefined
  }
  /** The request's Tags. */
  readonly requestTags: readonly Tag[]
}

function tagMap(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]))
}

/**
 * The JWT's claims set. Optional claims are left out rather than empty, as AWS's tokens do
 * ("all these claims may not be present in a token at the same time").
 */
export function webIdentityTokenClaims(facts: WebIdentityTokenFacts): JWTPayload {
  const aws: Record<string, unknown> = {
    aws_account: facts.accountId,
    principal_id: facts.subject,
    source_region: facts.region,
  }
  if (facts.principalTags.length > 0) aws['principal_tags'] = tagMap(facts.principalTags)
  if (facts.roleSession !== undefined) {
    // RFC 3339 in whole seconds, as AWS's examples of original_session_exp write it.
    aws['original_session_exp'] = isoSeconds(facts.roleSession.expiresAt)
    if (facts.roleSession.sourceIdentity !== null) {
      aws['source_identity'] = facts.roleSession.sourceIdentity
    }
    if (facts.roleSession.federatedProvider !== undefined) {
      aws['federated_provider'] = facts.roleSession.federatedProvider
    }
  }
  if (facts.requestTags.length > 0) aws['request_tags'] = tagMap(facts.requestTags)
  return {
    iss: facts.issuer,
    sub: facts.subject,
    // A single audience is a string, as AWS's example token has it.
    aud: facts.audience.length === 1 ? (facts.audience[0] ?? '') : [...facts.audience],
    iat: facts.issuedAt,
    exp: facts.expiresAt,
    jti: facts.tokenId,
    [STS_CLAIMS_NAMESPACE]: aws,
  }
}

/** The size the claims set is signed at: the bytes of its JSON, as the JWT encodes it. */
export function claimsSize(claims: JWTPayload): number {
  return Buffer.byteLength(JSON.stringify(claims), 'utf8')
}
