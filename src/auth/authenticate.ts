/**
 * The authentication step: the access key a request names, and the request's SigV4 signature
 * verified with its secret. A long-term key (AKIA...) is looked up in the store; temporary
 * credentials (ASIA...) come with a session token (X-Amz-Security-Token), an envelope that holds
 * the key's secret and the session, opened without a database read. The result is the caller;
 * every failure is an AwsError with AWS's code and message.
 */
import { verifySignature } from './sigv4/index.js'
import type { ParsedAuthorization, SignedRequest, SigV4Error } from './sigv4/index.js'
import { AwsError } from '../errors/aws-error.js'
import { rootArn } from '../store/arn.js'
import type { AuthCache } from './auth-cache.js'
import type { Caller } from './caller.js'
import { loadSessionCaller } from './session-caller.js'
import type { SessionTokenKey } from './session-token.js'

/** InvalidClientTokenId's message, as IAM and STS send it. */
export const INVALID_CLIENT_TOKEN_ID_MESSAGE =
  'The security token included in the request is invalid.'

/** ExpiredToken's message, as IAM and STS send it (reference §1.3). */
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired'

function invalidClientTokenId(): AwsError {
  return new AwsError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE)
}

/** What authentication needs besides the store. */
export interface AuthenticateInput {
  /** The request exactly as received. */
  readonly request: SignedRequest
  /** Its authorization, already parsed (parseAuthorization). */
  readonly authorization: ParsedAuthorization
  /** The server's clock at the request. */
  readonly now: Date
  /** How far the request's time may be from `now`; SigV4's default (5 minutes) when absent. */
  readonly allowedSkewMs?: number | undefined
  /** The key that opens session tokens. */
  readonly sessionTokens: SessionTokenKey
}

/** SECURITY: what the server signed may quote the session token; the log gets it without. */
function redactToken(error: SigV4Error, token: string): SigV4Error {
  const hide = (text: string | undefined): string | undefined =>
    text
      ?.replaceAll(token, '<session token>')
      .replaceAll(encodeURIComponent(token), '<session token>')
  const canonicalRequest = hide(error.canonicalRequest)
  const stringToSign = hide(error.stringToSign)
  return {
    code: error.code,
    message: error.message,
    ...(canonicalRequest === undefined ? {} : { canonicalRequest }),
    ...(stringToSign === undefined ? {} : { stringToSign }),
  }
}

/** Verifies the signature with `secret`, or throws the signature check's own error. */
function checkSignature(
  input: AuthenticateInput,
  secret: string,
  token?: string,
  signingKey?: (date: string, region: string, service: string) => Uint8Array,
): void {
  const verified = verifySignature({
    request: input.request,
    authorization: input.authorization,
    secretAccessKey: secret,
    now: input.now,
    signingKey,
    allowedSkewMs: input.allowedSkewMs,
  })
  if (!verified.ok) {
    // What the server signed goes to the log through `cause`, never to the client.
    const cause = token === undefined ? verified.error : redactToken(verified.error, token)
    throw new AwsError(verified.error.code, verified.error.message, { cause })
  }
}

/**
 * Authenticates a request signed with temporary credentials: the token must open, name the
 * request's access key and not have expired; then the signature is checked with the secret it
 * holds, and last the entity the session belongs to must still exist.
 */
async function authenticateSession(
  cache: AuthCache,
  input: AuthenticateInput,
  token: string,
): Promise<Caller> {
  const opened = cache.openedSession(token, input.sessionTokens)
  // A forged or altered token, and a token presented with another key (a long-term key, or
  // another session's), are the same to the client.
  if (opened === undefined || opened.claims.accessKeyId !== input.authorization.accessKeyId) {
    throw invalidClientTokenId()
  }
  const { claims } = opened
  // Expiry before the signature's time window: a client whose clock is right but whose token is
  // stale learns that the token is stale.
  if (input.now.getTime() >= claims.expiresAt.getTime()) {
    throw new AwsError('ExpiredToken', EXPIRED_TOKEN_MESSAGE)
  }
  checkSignature(input, claims.secretAccessKey, token, opened.signingKey)
  const caller = await loadSessionCaller(cache, claims)
  if (caller === undefined) throw invalidClientTokenId()
  return caller
}

/**
 * Authenticates a signed request: InvalidClientTokenId for an unknown or inactive key, a session
 * token that is not one of ours or not for this key, or a session whose role or user is gone;
 * ExpiredToken for a session past its expiration; the signature check's own error for a bad
 * signature.
 */
export async function authenticate(cache: AuthCache, input: AuthenticateInput): Promise<Caller> {
  const { authorization } = input
  if (authorization.securityToken !== undefined) {
    return authenticateSession(cache, input, authorization.securityToken)
  }

  // A temporary key without its token is not in the store, and is refused as unknown. A kept key
  // is taken without waiting: most requests then wait for nothing here.
  const kept = cache.keptAccessKey(authorization.accessKeyId)
  const found = kept !== undefined ? kept : await cache.accessKey(authorization.accessKeyId)
  if (found === null) throw invalidClientTokenId()

  checkSignature(input, found.key.secretAccessKey, undefined, found.signingKey)
  // SECURITY: the status is checked only once the signature holds, so that whoever lacks the
  // secret cannot learn whether a key is active.
  const accessKey = found.key.accessKey
  if (accessKey.status !== 'Active') throw invalidClientTokenId()

  if (found.user !== undefined) {
    return {
      kind: 'user',
      accountId: accessKey.accountId,
      arn: found.user.arn,
      accessKeyId: accessKey.accessKeyId,
      user: found.user,
    }
  }
  if (found.account === undefined) throw invalidClientTokenId()
  return {
    kind: 'root',
    accountId: accessKey.accountId,
    arn: rootArn(accessKey.accountId),
    accessKeyId: accessKey.accessKeyId,
    account: found.account,
  }
}
