/**
 * SetSecurityTokenServicePreferences (reference §2, "Account"): the version of the session
 * tokens STS's global endpoint issues for the account, which GetAccountSummary reports as
 * GlobalEndpointTokenVersion. Gatehouse keeps the choice; its tokens are valid everywhere it
 * serves, whichever version is set.
 */
import { defineOperation } from '../operation.js'
import { required } from './shapes.js'

/** globalEndpointTokenVersion. */
const GLOBAL_ENDPOINT_TOKEN_VERSION = {
  kind: 'string',
  enum: ['v1Token', 'v2Token'],
} as const

/** SetSecurityTokenServicePreferences. */
export const SET_SECURITY_TOKEN_SERVICE_PREFERENCES = defineOperation({
  name: 'SetSecurityTokenServicePreferences',
  action: 'iam:SetSecurityTokenServicePreferences',
  input: {
    kind: 'structure',
    members: { GlobalEndpointTokenVersion: required(GLOBAL_ENDPOINT_TOKEN_VERSION) },
  } as const,
  // The Service Authorization Reference gives the action no resource type.
  resource: () => '*',
  handle: async (input, ctx) => {
    await ctx.tx.setStsPreferences(ctx.caller.accountId, {
      globalEndpointTokenVersion: input.GlobalEndpointTokenVersion,
    })
    return undefined
  },
})
