/**
 * The authentication step: the access key a request names, looked up in the store, and the
 * request's SigV4 signature verified with its secret. The result is the caller; every failure is
 * an AwsError with AWS's code and message.
 */
import { verifySignature } from './sigv4/index.js'
import type { ParsedAuthorization, SignedRequest } from './sigv4/index.js'
import { AwsError } from '../errors/aws-error.js'
import { NotFoundError } from '../store/errors.js'
import { rootArn } from '../store/arn.js'
import type { AccessKeyWithSecret, Store } from '../store/store.js'
import type { Caller } from './caller.js'

/** InvalidClientTokenId's message, as IAM and STS send it. */
export const INVALID_CLIENT_TOKEN_ID_MESSAGE =
  'The security token included in the request is invalid.'

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
  readonly allowedSkewMs?: number
}

/**
 * Authenticates a signed request: InvalidClientTokenId for an unknown or inactive key (and, until
 * STS issues them, for any session token), the signature check's own error for a bad signature.
 */
export async function authenticate(store: Store, input: AuthenticateInput): Promise<Caller> {
  const { authorization } = input
  // Temporary credentials come with STS's session tokens, which Gatehouse does not issue yet: a
  // token can only be one it never made.
  if (authorization.securityToken !== undefined) throw invalidClientTokenId()

  const found = await store.transaction(async (tx) => {
    let key: AccessKeyWithSecret
    try {
      key = await tx.getAccessKeySecret(authorization.accessKeyId)
    } catch (err) {
      if (err instanceof NotFoundError) return undefined
      throw err
    }
    const { accessKey } = key
    if (accessKey.userName === null) {
      return { key, account: await tx.getAccount(accessKey.accountId), user: undefined }
    }
    return {
      key,
      account: undefined,
      user: await tx.getUser(accessKey.accountId, accessKey.userName),
    }
  })
  if (found === undefined) throw invalidClientTokenId()

  const verified = verifySignature({
    request: input.request,
    secretAccessKey: found.key.secretAccessKey,
    now: input.now,
    ...(input.allowedSkewMs === undefined ? {} : { allowedSkewMs: input.allowedSkewMs }),
  })
  if (!verified.ok) {
    // What the server signed goes to the log through `cause`, never to the client.
    throw new AwsError(verified.error.code, verified.error.message, { cause: verified.error })
  }
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
