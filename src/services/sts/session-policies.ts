/**
 * Session policies (S20): the inline policy a request passes (Policy) and the managed policies it
 * names (PolicyArns), read when the session is made. A managed policy's default version at that
 * moment goes into the session token, so a session's permissions do not change under it.
 */
import { AwsError } from '../../errors/aws-error.js'
import { parsePolicy } from '../../policy/index.js'
import { NotFoundError } from '../../store/errors.js'
import type { StoreTx } from '../../store/store.js'
import type { SessionPolicy } from '../../auth/session-token.js'
import { MANAGED_POLICY_ARN } from '../iam/managed-policy-arn.js'

/** The session policies of a request. */
export interface SessionPolicyInput {
  readonly policy: string | undefined
  readonly policyArns: readonly { readonly arn?: string }[] | undefined
}

function notAttachable(arn: string): AwsError {
  return new AwsError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`)
}

/**
 * The session policies, or null when the request passes none. The inline policy must be a valid
 * session policy (MalformedPolicyDocument otherwise); each managed policy must be a customer
 * managed policy of `accountId` (the role's account, or the federating user's).
 */
export async function readSessionPolicies(
  tx: StoreTx,
  input: SessionPolicyInput,
  accountId: string,
): Promise<SessionPolicy[] | null> {
  const arns = (input.policyArns ?? []).flatMap((p) => (p.arn === undefined ? [] : [p.arn]))
  if (input.policy === undefined && arns.length === 0) return null
  const policies: SessionPolicy[] = []
  if (input.policy !== undefined) {
    parsePolicy(input.policy, 'session')
    policies.push({ label: 'session:inline', document: input.policy })
  }
  for (const arn of new Set(arns)) {
    const match = MANAGED_POLICY_ARN.exec(arn)
    // AWS managed policies are not there yet; other accounts' policies are never usable.
    if (match === null || match[1] !== accountId) throw notAttachable(arn)
    const name = match[2] ?? ''
    let document: string
    try {
      const policy = await tx.getPolicy(accountId, name)
      if (policy.arn !== arn) throw notAttachable(arn)
      document = (await tx.getDefaultPolicyVersion(accountId, name)).document
    } catch (err) {
      if (err instanceof NotFoundError) throw notAttachable(arn)
      throw err
    }
    policies.push({ label: `session:managed/${arn}`, document })
  }
  return policies
}
