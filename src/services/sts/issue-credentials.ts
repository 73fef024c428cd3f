/**
 * Temporary credentials as STS returns them: a new ASIA key, its secret, the session token that
 * carries the session, and when they expire.
 */
import type { SessionClaims } from '../../auth/session-token.js'
import { newTemporaryAccessKey } from '../../auth/temporary-access-key.js'
import type { User } from '../../store/store.js'
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
 * The session of an IAM user's or the root user's own long-term key (GetSessionToken's, console
 * sign-in's, a delegation approved with a key): the principal itself, no session policies, tags or
 * source identity. `user`: null for the root user; `mfa`: whether an MFA code made it.
 */
export function ownKeySession(
  accountId: string,
  user: User | null,
  mfa: boolean,
): SessionDescription {
  return {
    accountId,
    principal:
      user === null
        ? { kind: 'root' }
        : { kind: 'user', userId: user.userId, userName: user.name, userArn: user.arn },
    policies: null,
    tags: [],
    transitiveTagKeys: [],
    sourceIdentity: null,
    chained: false,
    mfa,
  }
}

/** What a few calls change in how credentials are issued. */
export interface IssueOptions {
  /**
   * When the session began, for credentials of a session that began before them
   * (GetScopedCredentials): aws:TokenIssueTime and aws:MultiFactorAuthAge go on counting from
   * it. Now when absent.
   */
  readonly sessionStart?: Date
  /** MinimumSessionTokenSize: the token's least length, in characters. */
  readonly minimumTokenSize?: number
}

const NO_SEAL_OPTIONS = Object.freeze({})

/**
 * Issues credentials that are valid from now for `durationSeconds`. It needs only the clock and
 * the token key, so that the unsigned calls (web identity, SAML), which have no caller, issue
 * credentials here too.
 */
export function issueCredentials(
  ctx: Pick<OperationContext, 'now' | 'sessionTokens'>,
  session: SessionDescription,
  durationSeconds: number,
  options: IssueOptions = {},
): CredentialsXml {
  const key = newTemporaryAccessKey()
  // AWS states expirations to the second.
  const now = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000)
  const expiresAt = new Date(now.getTime() + durationSeconds * 1000)
  // Members set one by one rather than spread in: V8 copies a spread object on a slow path.
  const claims: { -readonly [K in keyof SessionClaims]: SessionClaims[K] } = {
    accountId: session.accountId,
    principal: session.principal,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    issuedAt: options.sessionStart ?? now,
    expiresAt,
    policies: session.policies,
    tags: session.tags,
    transitiveTagKeys: session.transitiveTagKeys,
    sourceIdentity: session.sourceIdentity,
    chained: session.chained,
    mfa: session.mfa,
  }
  if (session.console !== undefined) claims.console = session.console
  if (session.scopeDown !== undefined) claims.scopeDown = session.scopeDown
  if (session.federatedProvider !== undefined) {
    claims.federatedProvider = session.federatedProvider
  }
  const token = ctx.sessionTokens.seal(
    claims,
    options.minimumTokenSize === undefined
      ? NO_SEAL_OPTIONS
      : { minimumLength: options.minimumTokenSize },
  )
  return {
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    SessionToken: token,
    Expiration: expiresAt,
  }
}
