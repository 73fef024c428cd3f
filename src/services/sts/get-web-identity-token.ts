/**
 * STS GetWebIdentityToken: a signed JWT naming the calling IAM principal, for external services
 * that trust the account's issuer (IAM EnableOutboundWebIdentityFederation). The shapes are the
 * JavaScript SDK's STS model (botocore's has no such operation yet); the claims follow the IAM
 * User Guide's "Understanding token claims" (id_roles_providers_outbound_token_claims): the
 * standard iss, sub, aud, iat, exp and jti, and AWS's own under `https://sts.amazonaws.com/`.
 *
 * Who may call it: an IAM user with its keys, or a role session. The pipeline already refuses
 * GetSessionToken's and federated users' credentials (session-restrictions); the root user is
 * refused here, for the feature is for "IAM principals".
 */
import { randomUUID } from 'node:crypto'
import { importPKCS8, SignJWT } from 'jose'
import { sessionOf } from '../../auth/caller.js'
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import { issuerUrl } from '../iam/outbound-federation-issuer.js'
import { defineOperation } from '../operation.js'
import { sessionTagKeys, sessionTags, inheritedTags } from './session-tags.js'
import { SESSION_TAGS, required } from './shapes.js'

/** Five minutes unless the request says otherwise (the model's documentation). */
export const DEFAULT_TOKEN_SECONDS = 300

/**
 * The largest claims set signed, in bytes of JSON. AWS states a limit (JWTPayloadSizeExceeded)
 * but not its value: this one is Gatehouse's, room for the fifty tags the model allows at
 * their usual sizes, not for fifty at their longest.
 */
export const MAX_PAYLOAD_BYTES = 8192

/** The claims namespace of AWS's own claims. */
export const STS_CLAIMS_NAMESPACE = 'https://sts.amazonaws.com/'

const INPUT = {
  kind: 'structure',
  members: {
    // The CLI's documentation of the model: 1 to 10 audiences of 1 to 1000 characters.
    Audience: required({
      kind: 'list',
      min: 1,
      max: 10,
      member: { kind: 'string', min: 1, max: 1000 },
    } as const),
    SigningAlgorithm: required({ kind: 'string', enum: ['RS256', 'ES384'] } as const),
    DurationSeconds: { kind: 'integer', min: 60, max: 3600 },
    Scope: { kind: 'string' },
    SubjectMode: { kind: 'string', enum: ['AWSIdentity', 'OriginIdentity'] },
    Tags: SESSION_TAGS,
  },
} as const

/** The ARN the token names: the user's, or for a role session the role's (as AWS's sub does). */
function subjectOf(caller: Caller): string {
  switch (caller.kind) {
    case 'user':
    case 'userSession':
      return caller.user.arn
    case 'assumedRole':
      return caller.role.arn
    case 'federatedUser':
      return caller.arn
    case 'root':
    case 'rootSession':
      // Invented message: AWS's answer to the root user is not on record.
      throw new AwsError(
        'AccessDenied',
        'GetWebIdentityToken is for IAM principals: the root user cannot call it.',
      )
  }
}

/** GetWebIdentityToken. */
export const GET_WEB_IDENTITY_TOKEN = defineOperation({
  name: 'GetWebIdentityToken',
  action: 'sts:GetWebIdentityToken',
  input: INPUT,
  resource: () => '*',
  conditionKeys: (input) => ({
    'sts:IdentityTokenAudience': input.Audience,
    'sts:SigningAlgorithm': input.SigningAlgorithm,
    'sts:DurationSeconds': String(input.DurationSeconds ?? DEFAULT_TOKEN_SECONDS),
    ...sessionTagKeys(input.Tags),
  }),
  async handle(input, ctx) {
    const { caller, now } = ctx
    const subject = subjectOf(caller)
    // OriginIdentity needs a trusted identity propagation context, which Gatehouse's sessions
    // never carry; Scope is only for OriginIdentity.
    if (input.SubjectMode === 'OriginIdentity') {
      throw new AwsError(
        'ValidationError',
        'The calling session has no aws:OriginIdentity/Subject in its identity context: SubjectMode OriginIdentity is not available.',
      )
    }
    if (input.Scope !== undefined) {
      throw new AwsError(
        'ValidationError',
        'Scope can be specified only when SubjectMode is OriginIdentity.',
      )
    }
    // Duplicate and reserved keys are refused as for session tags.
    const tags = sessionTags(input.Tags, undefined, inheritedTags(undefined)).tags
    const issuer = await ctx.tx.getOutboundIssuer(caller.accountId)
    if (issuer?.enabled !== true) {
      throw new AwsError(
        'OutboundWebIdentityFederationDisabledException',
        'Outbound web identity federation is not enabled for this account. Enable it with IAM EnableOutboundWebIdentityFederation.',
      )
    }
    const duration = input.DurationSeconds ?? DEFAULT_TOKEN_SECONDS
    const issuedAt = Math.floor(now.getTime() / 1000)
    const expiresAt = issuedAt + duration
    const session = sessionOf(caller)
    if (session !== undefined && expiresAt * 1000 > session.expiresAt.getTime()) {
      throw new AwsError(
        'SessionDurationEscalationException',
        `The requested token duration of ${duration} seconds would outlive the calling session, which expires at ${session.expiresAt.toISOString()}.`,
      )
    }
    const algorithm = input.SigningAlgorithm === 'ES384' ? 'ES384' : 'RS256'
    const key = await ctx.tx.getOutboundSigningKey(caller.accountId, algorithm)
    if (key === undefined) throw new Error(`the account's issuer has no ${algorithm} key`)

    const awsClaims: Record<string, unknown> = {
      aws_account: caller.accountId,
      principal_id: subject,
    }
    if (tags.length > 0) {
      awsClaims.request_tags = Object.fromEntries(tags.map((t) => [t.key, t.value]))
    }
    const audience = input.Audience
    const claims = {
      [STS_CLAIMS_NAMESPACE]: awsClaims,
    }
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, kid: key.keyId, typ: 'JWT' })
      .setIssuer(issuerUrl(issuer.issuerId, ctx.origin))
      .setSubject(subject)
      .setAudience(audience.length === 1 ? (audience[0] ?? '') : [...audience])
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
    const size = Buffer.byteLength(
      JSON.stringify({ ...claims, iss: '', sub: subject, aud: audience, iat: 0, exp: 0, jti: '' }),
    )
    if (size > MAX_PAYLOAD_BYTES) {
      throw new AwsError(
        'JWTPayloadSizeExceededException',
        'The token payload exceeds the maximum size. Pass fewer or shorter tags.',
      )
    }
    const token = await jwt.sign(await importPKCS8(key.privateKeyPem, algorithm))
    return { WebIdentityToken: token, Expiration: new Date(expiresAt * 1000) }
  },
})
