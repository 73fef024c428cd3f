/** STS GetCallerIdentity: who signed the request. No permission is needed (the engine knows). */
import { callerUserId } from '../../auth/caller.js'
import { defineOperation } from '../operation.js'

/** GetCallerIdentity. */
export const GET_CALLER_IDENTITY = defineOperation({
  name: 'GetCallerIdentity',
  action: 'sts:GetCallerIdentity',
  input: { kind: 'structure', members: {} } as const,
  resource: () => '*',
  handle: (_input, ctx) =>
    Promise.resolve({
      UserId: callerUserId(ctx.caller),
      Account: ctx.caller.accountId,
      Arn: ctx.caller.arn,
    }),
})
