/**
 * A managed policy named by ARN in a request (PermissionsBoundary, PolicyArn), resolved to the
 * caller's own policy.
 */
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import type { ManagedPolicy } from '../../store/store.js'
import type { OperationContext } from '../operation.js'

/** A managed policy ARN's account and name: `arn:aws:iam::ACCOUNT:policy/path/Name`. */
export const MANAGED_POLICY_ARN = /^arn:aws:iam::([0-9]{12}|aws):policy\/(?:[^/]+\/)*([^/]+)$/

/** The account and name of a managed policy ARN; InvalidInput for anything else. */
export function parseManagedPolicyArn(arn: string): { account: string; name: string } {
  const match = MANAGED_POLICY_ARN.exec(arn)
  if (match === null) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  const [, account, name] = match as unknown as [string, string, string]
  return { account, name }
}

/**
 * The caller's own managed policy an ARN names; NoSuchEntity (naming the ARN) for any other,
 * including a policy of that name at another path.
 */
export async function managedPolicyByArn(
  ctx: OperationContext,
  arn: string,
): Promise<ManagedPolicy> {
  const { account, name } = parseManagedPolicyArn(arn)
  // AWS managed policies are not there yet; another account's are never attachable.
  if (account !== ctx.caller.accountId) throw new NotFoundError('policy', arn)
  // IAM names the policy by the ARN it was given, not by its name.
  const policy = await ctx.tx.getPolicy(account, name).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError('policy', arn) : err
  })
  if (policy.arn !== arn) throw new NotFoundError('policy', arn)
  return policy
}
