/**
 * STS AssumeRoleWithWebIdentity for OpenID Connect ID tokens: unsigned; the token's `iss` names
 * an IAM OIDC provider of the role's account (its URL without `https://`), the token is verified
 * with the issuer's published keys and its audience with the provider's client ids, and the
 * role's trust policy must allow sts:AssumeRoleWithWebIdentity to Principal
 * `{"Federated": "<provider ARN>"}`, with the provider's condition keys (`<host/path>:aud`,
 * `:sub`, `:oaud`, `:amr`, ...). The session is a role session like AssumeRole's.
 *
 * Issuers are fetched over https; an issuer on this machine's loopback interface
 * (`http://127.0.0.1:PORT`, `http://localhost:PORT`) may use plain http, so that an issuer beside
 * the server, or a test's, needs no certificate. Its IAM provider's URL is then
 * `https://127.0.0.1:PORT`, as IAM takes only https URLs: the name is what matches. The
 * ProviderId parameter is for OAuth 2.0 providers (Login with Amazon, Facebook), which Gatehouse
 * does not serve; with an OIDC token it is ignored, as AWS says to leave it out.
 */
import { isLoopbackUrl } from '../../auth/federation/oidc-key-source.js'
import {
  peekIssuer,
  verifyWebIdentityToken,
} from '../../auth/federation/verify-web-identity-token.js'
import type { TrustedOidcProvider } from '../../auth/federation/verify-web-identity-token.js'
import { parseRoleArn } from '../../auth/role-by-arn.js'
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import { OidcProviderNotFoundError } from '../../store/oidc-provider-errors.js'
import { INVALID_ROLE_ARN_MESSAGE } from './assume-role.js'
import { defineFederatedOperation } from './federated-operation.js'
import type { FederationContext } from './federated-operation.js'
import {
  identityProviderSourceIdentity,
  identityProviderTags,
} from './identity-provider-attributes.js'
import type { SessionTags } from './session-tags.js'
import {
  POLICY_ARNS,
  ROLE_DURATION_SECONDS,
  ROLE_SESSION_NAME,
  SESSION_POLICY,
  STS_ARN,
  required,
} from './shapes.js'
import { startFederatedSession } from './start-federated-session.js'
import { webIdentityConditionKeys } from './web-identity-condition-keys.js'

/** clientTokenType: the token, 4 to 20,000 characters, never quoted in an error. */
const WEB_IDENTITY_TOKEN = { kind: 'string', min: 4, max: 20_000, sensitive: true } as const

/** urlType: ProviderId. */
const PROVIDER_ID = { kind: 'string', min: 4, max: 2048 } as const

const INPUT = {
  kind: 'structure',
  members: {
    RoleArn: required(STS_ARN),
    RoleSessionName: required(ROLE_SESSION_NAME),
    WebIdentityToken: required(WEB_IDENTITY_TOKEN),
    ProviderId: PROVIDER_ID,
    PolicyArns: POLICY_ARNS,
    Policy: SESSION_POLICY,
    DurationSeconds: ROLE_DURATION_SECONDS,
  },
} as const

/** The claim AWS reads session tags from ("PrincipalTag web identity token", id_session-tags). */
export const TAGS_CLAIM = 'https://aws.amazon.com/tags'
/** The claim AWS reads the source identity from. */
export const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity'

/** AWS's answer to a token whose issuer is no IAM OIDC provider of the role's account. */
export function noProviderMessage(issuer: string): string {
  return `No OpenIDConnect provider found in your account for ${issuer}`
}

/**
 * The provider name an issuer stands for (the URL without its scheme), or undefined for an issuer
 * that may not be trusted: https, or http on the loopback interface only.
 */
function providerName(issuer: string): string | undefined {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) {
    return undefined
  }
  const name = issuer.slice(url.protocol.length + 2)
  return name === '' || /[?#\s]/.test(name) ? undefined : name
}

/**
 * Whether a stored provider's name is the issuer's. SECURITY: only the host is compared without
 * case; the path is the issuer's own (a multi-tenant IdP's `/Tenant` and `/tenant` are two
 * issuers), so the store's case-blind lookup is checked again here.
 */
function sameName(stored: string, issuerName: string): boolean {
  const split = (name: string): [string, string] => {
    const slash = name.indexOf('/')
    return slash < 0 ? [name, ''] : [name.slice(0, slash), name.slice(slash)]
  }
  const [storedHost, storedPath] = split(stored)
  const [host, path] = split(issuerName)
  return storedHost.toLowerCase() === host.toLowerCase() && storedPath === path
}

/** The IAM OIDC provider of `accountId` that `issuer` stands for. */
async function trustedProvider(
  ctx: FederationContext,
  accountId: string,
  issuer: string,
): Promise<TrustedOidcProvider> {
  const name = providerName(issuer)
  if (name === undefined) throw new AwsError('InvalidIdentityToken', noProviderMessage(issuer))
  const provider = await ctx.store.transaction(
    async (tx) => {
      try {
        return await tx.getOidcProvider(accountId, name)
      } catch (err) {
        if (err instanceof OidcProviderNotFoundError || err instanceof NotFoundError) {
          return undefined
        }
        throw err
      }
    },
    { readOnly: true },
  )
  if (provider === undefined || !sameName(provider.name, name)) {
    throw new AwsError('InvalidIdentityToken', noProviderMessage(issuer))
  }
  return { name: provider.name, arn: provider.arn, clientIds: provider.clientIds }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The session tags of the tags claim: `{"principal_tags": {"Key": ["Value"]},
 * "transitive_tag_keys": ["Key"]}` (IAM User Guide, "Passing session tags using
 * AssumeRoleWithWebIdentity").
 */
function claimedTags(claim: unknown): SessionTags {
  if (claim === undefined) return identityProviderTags([], [])
  const bad = (): never => {
    throw new AwsError('InvalidIdentityToken', `The ${TAGS_CLAIM} claim is not valid.`)
  }
  if (!isRecord(claim)) return bad()
  const principal = claim['principal_tags'] ?? {}
  const transitive = claim['transitive_tag_keys'] ?? []
  if (!isRecord(principal) || !Array.isArray(transitive)) return bad()
  const tags = Object.entries(principal).map(([key, value]) => {
    const values: unknown[] = Array.isArray(value) ? value : [value]
    const [first] = values
    if (values.length !== 1 || typeof first !== 'string') return bad()
    return { key, value: first }
  })
  const keys = transitive.map((key) => (typeof key === 'string' ? key : bad()))
  return identityProviderTags(tags, keys)
}

/** AssumeRoleWithWebIdentity. */
export const ASSUME_ROLE_WITH_WEB_IDENTITY = defineFederatedOperation({
  name: 'AssumeRoleWithWebIdentity',
  action: 'sts:AssumeRoleWithWebIdentity',
  input: INPUT,
  async federate(input, ctx) {
    const role = parseRoleArn(input.RoleArn)
    if (role === undefined) throw new AwsError('ValidationError', INVALID_ROLE_ARN_MESSAGE)
    ctx.progress({ accountId: role.account })

    const issuer = peekIssuer(input.WebIdentityToken)
    const provider = await trustedProvider(ctx, role.account, issuer)
    ctx.progress({ providerArn: provider.arn })
    // The issuer's keys are fetched here, outside any transaction: no lock waits on the network.
    const verified = await verifyWebIdentityToken(
      input.WebIdentityToken,
      issuer,
      provider,
      ctx.oidcKeys,
      ctx.now,
    )
    ctx.progress({
      identity: {
        type: 'WebIdentityUser',
        principalId: `${provider.arn}:${verified.audience}:${verified.subject}`,
        userName: verified.subject,
        identityProvider: provider.arn,
      },
    })

    const claims = verified.claims
    const sourceClaim = claims[SOURCE_IDENTITY_CLAIM]
    if (sourceClaim !== undefined && typeof sourceClaim !== 'string') {
      throw new AwsError('InvalidIdentityToken', `The ${SOURCE_IDENTITY_CLAIM} claim is not valid.`)
    }
    const session = await ctx.store.transaction(
      (tx) =>
        startFederatedSession(tx, ctx, {
          action: 'sts:AssumeRoleWithWebIdentity',
          roleArn: input.RoleArn,
          sessionName: input.RoleSessionName,
          providerArn: provider.arn,
          conditionKeys: webIdentityConditionKeys(provider.name, claims, verified.audience),
          tags: claimedTags(claims[TAGS_CLAIM]),
          sourceIdentity: identityProviderSourceIdentity(sourceClaim),
          policy: input.Policy,
          policyArns: input.PolicyArns,
          durationSeconds: input.DurationSeconds,
        }),
      { readOnly: true },
    )
    return {
      Credentials: session.credentials,
      SubjectFromWebIdentityToken: verified.subject,
      AssumedRoleUser: session.assumedRoleUser,
      PackedPolicySize: session.packedPolicySize,
      // The provider's ARN, as AWS answers for an IAM OIDC provider.
      Provider: provider.arn,
      Audience: verified.audience,
      SourceIdentity: session.sourceIdentity,
    }
  },
})
