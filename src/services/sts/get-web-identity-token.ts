/**
 * STS GetWebIdentityToken: a signed JWT naming the calling IAM principal, for external services
 * that trust the account's issuer (IAM EnableOutboundWebIdentityFederation). The shapes are the
 * JavaScript SDK's STS model (botocore's has no such operation yet); the claims are those of the
 * IAM User Guide's "Understanding token claims" that Gatehouse has (web-identity-token-claims.ts).
 *
 * Who may call it: an IAM user with its keys, or a role session. The pipeline already refuses
 * GetSessionToken's and federated users' credentials (session-restrictions); the root user is
 * refused here, for the feature is for "IAM principals".
 *
 * It writes, though named Get: the signing key is rotated when it is due (in the store, in the
 * call's transaction: see outbound-federation-issuer.ts), so its transaction may write.
 */
import { randomUUID } from 'node:crypto'
import { importPKCS8, SignJWT } from 'jose'
import { mergePrincipalTags } from '../../auth/authorize.js'
import { sessionOf } from '../../auth/caller.js'
import type { Caller } from '../../auth/caller.js'
import { AwsError } from '../../errors/aws-error.js'
import { allItems } from '../../store/all-items.js'
import type { StoreTx, Tag } from '../../store/store.js'
import {
  MAX_TOKEN_SECONDS,
  issuerUrl,
  keyRotation,
  newSigningKey,
} from '../iam/outbound-federation-issuer.js'
import { defineOperation } from '../operation.js'
import { sessionTagKeys, sessionTags, inheritedTags } from './session-tags.js'
import { SESSION_TAGS, required } from './shapes.js'
import { claimsSize, webIdentityTokenClaims } from './web-identity-token-claims.js'

/** Five minutes unless the request says otherwise (the model's documentation). */
export const DEFAULT_TOKEN_SECONDS = 300

/**
 * The largest claims set signed, in bytes of its JSON, every claim counted (the request's tags
 * and the principal's). AWS states a limit (JWTPayloadSizeExceeded) but not its value: this one
 * is Gatehouse's, room for fifty request tags and fifty principal tags at their usual sizes, not
 * for them all at their longest.
 */
export const MAX_PAYLOAD_BYTES = 8192

// JWTPayloadSizeExceededException's documentation in the STS model, word for word.
const PAYLOAD_TOO_LARGE_MESSAGE =
  'The requested token payload size exceeds the maximum allowed size. Reduce the number of request tags included in the GetWebIdentityToken API call to reduce the token payload size.'

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
    DurationSeconds: { kind: 'integer', min: 60, max: MAX_TOKEN_SECONDS },
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

/**
 * The caller's principal tags, as aws:PrincipalTag has them: a user's own, a role session's
 * role's with the session's tags over them ("When ... the requesting IAM principal has both
 * principal tags and session tags, the session tags will be present in the JWT").
 */
async function principalTagsOf(tx: StoreTx, caller: Caller): Promise<readonly Tag[]> {
  switch (caller.kind) {
    case 'user':
    case 'userSession':
      return allItems((page) =>
        tx.listTags({ kind: 'user', accountId: caller.accountId, name: caller.user.name }, page),
      )
    case 'assumedRole':
      return mergePrincipalTags(
        await allItems((page) =>
          tx.listTags({ kind: 'role', accountId: caller.accountId, name: caller.role.name }, page),
        ),
        caller.session.tags,
      )
    case 'federatedUser':
      return caller.session.tags
    case 'root':
    case 'rootSession':
      return []
  }
}

/** GetWebIdentityToken. */
export const GET_WEB_IDENTITY_TOKEN = defineOperation({
  name: 'GetWebIdentityToken',
  action: 'sts:GetWebIdentityToken',
  input: INPUT,
  resource: () => '*',
  writes: () => true,
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
    const requestTags = sessionTags(input.Tags, undefined, inheritedTags(undefined)).tags
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
    const claims = webIdentityTokenClaims({
      issuer: issuerUrl(issuer.issuerId, ctx.origin),
      subject,
      audience: input.Audience,
      issuedAt,
      expiresAt,
      tokenId: randomUUID(),
      accountId: caller.accountId,
      region: ctx.region,
      principalTags: await principalTagsOf(ctx.tx, caller),
      ...(caller.kind === 'assumedRole'
        ? {
            roleSession: {
              expiresAt: caller.session.expiresAt,
              sourceIdentity: caller.session.sourceIdentity,
              federatedProvider: caller.session.federatedProvider,
            },
          }
        : {}),
      requestTags,
    })
    // Checked before the key is taken: a refused call rotates nothing.
    if (claimsSize(claims) > MAX_PAYLOAD_BYTES) {
      throw new AwsError('JWTPayloadSizeExceededException', PAYLOAD_TOO_LARGE_MESSAGE)
    }
    const algorithm = input.SigningAlgorithm === 'ES384' ? 'ES384' : 'RS256'
    const key = await ctx.tx.rotateOutboundSigningKey(
      caller.accountId,
      algorithm,
      keyRotation(now),
      newSigningKey,
    )
    if (key === undefined) throw new Error(`the account's issuer has no ${algorithm} key`)
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, kid: key.keyId, typ: 'JWT' })
      .sign(await importPKCS8(key.privateKeyPem, algorithm))
    return { WebIdentityToken: token, Expiration: new Date(expiresAt * 1000) }
  },
})
