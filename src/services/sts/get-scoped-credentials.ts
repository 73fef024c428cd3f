/**
 * STS GetScopedCredentials: new credentials for the caller's own session, narrowed by a scope-down
 * policy, shortened, or both (STS API reference; IAM User Guide, "Permissions for
 * GetScopedCredentials"). The identity does not change: the same principal, session name, session
 * policies, session tags, source identity, MFA state and start of the session (aws:TokenIssueTime),
 * so GetCallerIdentity answers the same ARN. What the credentials may do is the intersection of
 * the session's permissions, this call's scope-down policy and those of the earlier calls of the
 * chain, three at most; authorize evaluates them with every request. They never outlive the
 * session: without DurationSeconds they end with it, and a longer DurationSeconds is refused.
 *
 * Only temporary credentials may call it (session-restrictions refuses long-term keys), and the
 * call itself is authorized as sts:GetScopedCredentials, so that scoped credentials call it again
 * only where their scope-down policies allow it.
 */
import { callerUserId, sessionOf } from '../../auth/caller.js'
import { MAX_TOKEN_LENGTH } from '../../auth/session-token.js'
import type { SessionPolicy } from '../../auth/session-token.js'
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { defineOperation } from '../operation.js'
import type { SessionDescription } from './issue-credentials.js'
import { issueCredentials } from './issue-credentials.js'
import { packedPolicySize } from './packed-policy-size.js'
import { SESSION_POLICY } from './shapes.js'

/** "A maximum of 3 scope down policy layers are allowed per session" (ScopedPoliciesCount). */
export const MAX_SCOPE_DOWN_POLICIES = 3

/**
 * The model's bounds (@aws-sdk/client-sts GetScopedCredentialsRequest, and the API reference):
 * Policy as GetFederationToken's (2,048 characters of \u0009, \u000A, \u000D and \u0020-\u00FF),
 * DurationSeconds from 1 second to 36 hours, MinimumSessionTokenSize up to 4,096 bytes (0: no
 * minimum), ScopedSessionDescription up to 256 characters.
 */
const INPUT = {
  kind: 'structure',
  members: {
    Policy: SESSION_POLICY,
    DurationSeconds: { kind: 'integer', min: 1, max: 129600 },
    MinimumSessionTokenSize: { kind: 'integer', min: 0, max: 4096 },
    ScopedSessionDescription: { kind: 'string', max: 256 },
  },
} as const

// Invented message: AWS documents the rule ("you must specify at least one of them") but not its
// wording.
/** The answer to a request with neither Policy nor DurationSeconds. */
export const POLICY_OR_DURATION_MESSAGE =
  'A request must provide at least one of Policy or DurationSeconds.'

// Invented message: AWS documents the condition (a DurationSeconds beyond the calling session's
// remaining lifetime) but not its wording.
/** The answer to a DurationSeconds longer than what is left of the session. */
export function insufficientLifetimeMessage(requested: number, remaining: number): string {
  return `The requested DurationSeconds (${requested}) exceeds the remaining lifetime of the calling session (${remaining} seconds).`
}

// Invented message: AWS documents that a fourth scope-down policy "is denied", not how.
/** The answer to a fourth scope-down policy. */
export const TOO_MANY_SCOPE_DOWN_POLICIES_MESSAGE = `Cannot call GetScopedCredentials with a Policy: the session already has the maximum of ${MAX_SCOPE_DOWN_POLICIES} scope down policies.`

/** GetScopedCredentials. */
export const GET_SCOPED_CREDENTIALS = defineOperation({
  name: 'GetScopedCredentials',
  action: 'sts:GetScopedCredentials',
  input: INPUT,
  resource: (input) => {
    // Part of reading the request, before it is authorized.
    if (input.Policy === undefined && input.DurationSeconds === undefined) {
      throw new AwsError('ValidationError', POLICY_OR_DURATION_MESSAGE)
    }
    return '*'
  },
  handle(input, ctx) {
    const { caller } = ctx
    const session = sessionOf(caller)
    // Only temporary credentials get past the session restrictions.
    if (session === undefined) throw new Error('GetScopedCredentials reached without a session')

    const earlier = session.scopeDown ?? []
    let scopeDown: readonly SessionPolicy[] = earlier
    if (input.Policy !== undefined) {
      parsePolicy(input.Policy, 'session')
      if (earlier.length >= MAX_SCOPE_DOWN_POLICIES) {
        throw new AwsError('AccessDenied', TOO_MANY_SCOPE_DOWN_POLICIES_MESSAGE)
      }
      scopeDown = [
        ...earlier,
        { label: `session:scope-down/${earlier.length + 1}`, document: input.Policy },
      ]
      // The token carries every policy of the session: together they must fit its room.
      packedPolicySize([...(session.policies ?? []), ...scopeDown], session.tags)
    }

    // To the second, as issueCredentials counts; authentication refused an expired session, so
    // at least a second is left.
    const now = Math.floor(ctx.now.getTime() / 1000) * 1000
    const remaining = Math.floor((session.expiresAt.getTime() - now) / 1000)
    const requested = input.DurationSeconds
    if (requested !== undefined && requested > remaining) {
      throw new AwsError(
        'InsufficientSessionLifetime',
        insufficientLifetimeMessage(requested, remaining),
      )
    }

    // The session as it is, whatever it holds; issueCredentials replaces its key, the key's
    // secret and its times.
    const description: SessionDescription =
      scopeDown.length === 0 ? session : { ...session, scopeDown }
    const credentials = issueCredentials(ctx, description, requested ?? remaining, {
      sessionStart: session.issuedAt,
      ...(input.MinimumSessionTokenSize === undefined
        ? {}
        : { minimumTokenSize: input.MinimumSessionTokenSize }),
    })
    const size = credentials.SessionToken.length
    return Promise.resolve({
      Credentials: credentials,
      SessionInfo: { ScopedSessionId: callerUserId(caller), Arn: caller.arn },
      SessionTokenUtilization: Math.ceil((size * 100) / MAX_TOKEN_LENGTH),
      SessionTokenSize: size,
      ScopedPoliciesCount: scopeDown.length,
      SourceIdentity: session.sourceIdentity ?? undefined,
    })
  },
})
