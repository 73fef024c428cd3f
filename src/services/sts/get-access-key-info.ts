/**
 * STS GetAccessKeyInfo: the account an access key belongs to. AWS answers it for any key,
 * active, inactive or another account's, without saying anything of its state; Gatehouse knows
 * the account of every long-term key it keeps, and of the calling session's own temporary key
 * (a temporary key is not stored: its session token carries it).
 */
import { AwsError } from '../../errors/aws-error.js'
import { NotFoundError } from '../../store/errors.js'
import { defineOperation } from '../operation.js'
import { ACCESS_KEY_ID, required } from '../iam/shapes.js'

/** GetAccessKeyInfo. */
export const GET_ACCESS_KEY_INFO = defineOperation({
  name: 'GetAccessKeyInfo',
  action: 'sts:GetAccessKeyInfo',
  input: { kind: 'structure', members: { AccessKeyId: required(ACCESS_KEY_ID) } } as const,
  resource: () => '*',
  handle: async (input, ctx) => {
    if (input.AccessKeyId === ctx.caller.accessKeyId) return { Account: ctx.caller.accountId }
    try {
      const key = await ctx.tx.getAccessKey(input.AccessKeyId)
      return { Account: key.accountId }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err
      // AWS: "Providing a deleted access key might return an error that the key doesn't exist."
      // Invented message: its wording is not on record.
      throw new AwsError(
        'InvalidParameterValue',
        `The access key ID ${input.AccessKeyId} does not exist, or is a temporary key of another session.`,
      )
    }
  },
})
