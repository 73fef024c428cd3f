/**
 * Temporary credentials as STS returns them: a new ASIA key, its secret, the session token that
 * carries the session, and when they expire.
 */
import type { SessionClaims } from '../../auth/session-token.js'
import { newTemporaryAccessKey } from '../../auth/temporary-access-key.js'
import type { OperationContext } from '../operation.js'

/** The `Credentials` structure. */
export type CredentialsXml = {
  readonly AccessKeyId: string
  readonly SecretAccessKey: string
  readonly SessionToken: string
  readonly Expiration: Date
}

/** What a session is, before it has its key and its lifetime. */
export type SessionDescription = Omit<
  SessionClaims,
  'accessKeyId' | 'secretAccessKey' | 'issuedAt' | 'expiresAt'
>

/**
 * Issues credentials for a session that starts now and lasts `durationSeconds`. It needs only the
 * clock and the token key, so that the unsigned calls (web identity, SAML), which have no caller,
 * issue credentials here too.
 */
export function issueCredentials(
  ctx: Pick<OperationContext, 'now' | 'sessionTokens'>,
  session: SessionDescription,
  durationSeconds: number,
): CredentialsXml {
  const key = newTemporaryAccessKey()
  // AWS states expirations to the second.
  const issuedAt = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000)
  const expiresAt = new Date(issuedAt.getTime() + durationSeconds * 1000)
  const token = ctx.sessionTokens.seal({
    ...session,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    issuedAt,
    expiresAt,
  })
  return {
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    SessionToken: token,
    Expiration: expiresAt,
  }
}
