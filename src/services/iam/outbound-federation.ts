/**
 * Outbound web identity federation's switch: EnableOutboundWebIdentityFederation,
 * DisableOutboundWebIdentityFederation and GetOutboundWebIdentityFederationInfo (botocore's IAM
 * model). None has a resource type: each is authorized on `*`. The first enable makes the
 * account's issuer and keys, stamped with the request's time (which their rotation measures
 * ages by); a disable keeps them, so a later enable answers the same issuer.
 */
import { AwsError } from '../../errors/aws-error.js'
import { defineOperation } from '../operation.js'
import type { Operation } from '../operation.js'
import { issuerUrl, newOutboundIssuer } from './outbound-federation-issuer.js'

const NO_INPUT = { kind: 'structure', members: {} } as const

// The messages are invented: AWS's wording for these two errors is not on record.
const ALREADY_ENABLED =
  'Outbound identity federation is already enabled for this account. Use GetOutboundWebIdentityFederationInfo to get its issuer URL.'
const NOT_ENABLED = 'Outbound identity federation is not enabled for this account.'

/** EnableOutboundWebIdentityFederation: FeatureEnabled if it is on already. */
export const ENABLE_OUTBOUND_WEB_IDENTITY_FEDERATION = defineOperation({
  name: 'EnableOutboundWebIdentityFederation',
  action: 'iam:EnableOutboundWebIdentityFederation',
  input: NO_INPUT,
  resource: () => '*',
  handle: async (_input, ctx) => {
    const { outcome, issuer } = await ctx.tx.enableOutboundFederation(
      ctx.caller.accountId,
      ctx.now,
      newOutboundIssuer,
    )
    if (outcome === 'already') throw new AwsError('FeatureEnabled', ALREADY_ENABLED)
    return { IssuerIdentifier: issuerUrl(issuer.issuerId, ctx.origin) }
  },
})

/** DisableOutboundWebIdentityFederation: FeatureDisabled if it is off already. */
export const DISABLE_OUTBOUND_WEB_IDENTITY_FEDERATION = defineOperation({
  name: 'DisableOutboundWebIdentityFederation',
  action: 'iam:DisableOutboundWebIdentityFederation',
  input: NO_INPUT,
  resource: () => '*',
  handle: async (_input, ctx) => {
    if (!(await ctx.tx.disableOutboundFederation(ctx.caller.accountId))) {
      throw new AwsError('FeatureDisabled', NOT_ENABLED)
    }
    return undefined
  },
})

/**
 * GetOutboundWebIdentityFederationInfo: the issuer URL and whether vending is on; FeatureDisabled
 * while it is off (the model lists no other answer for a disabled account).
 */
export const GET_OUTBOUND_WEB_IDENTITY_FEDERATION_INFO = defineOperation({
  name: 'GetOutboundWebIdentityFederationInfo',
  action: 'iam:GetOutboundWebIdentityFederationInfo',
  input: NO_INPUT,
  resource: () => '*',
  handle: async (_input, ctx) => {
    const issuer = await ctx.tx.getOutboundIssuer(ctx.caller.accountId)
    if (issuer?.enabled !== true) throw new AwsError('FeatureDisabled', NOT_ENABLED)
    return { IssuerIdentifier: issuerUrl(issuer.issuerId, ctx.origin), JwtVendingEnabled: true }
  },
})

/** Every operation of this family. */
export const OUTBOUND_FEDERATION_OPERATIONS: readonly Operation[] = [
  ENABLE_OUTBOUND_WEB_IDENTITY_FEDERATION,
  DISABLE_OUTBOUND_WEB_IDENTITY_FEDERATION,
  GET_OUTBOUND_WEB_IDENTITY_FEDERATION_INFO,
]
