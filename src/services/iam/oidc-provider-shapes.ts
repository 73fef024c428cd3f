/**
 * The input shapes of the OpenID Connect provider operations, with the model's constraints
 * (botocore's iam/2010-05-08 service-2.json; reference §4.2). None has a pattern: what a URL or
 * a thumbprint must look like beyond its length is checked by the operations, with IAM's errors.
 */
import { ARN, required } from './shapes.js'

/** OpenIDConnectProviderUrlType. */
export const OIDC_PROVIDER_URL = { kind: 'string', min: 1, max: 255 } as const

/** clientIDType: an audience, of no defined format. */
export const CLIENT_ID = { kind: 'string', min: 1, max: 255 } as const

/** clientIDListType: the model sets no count; the quota of 100 is the store's. */
export const CLIENT_ID_LIST = { kind: 'list', member: CLIENT_ID } as const

/** thumbprintListType of thumbprintType: each exactly 40 characters, the count checked apart. */
export const THUMBPRINT_LIST = {
  kind: 'list',
  member: { kind: 'string', min: 40, max: 40 },
} as const

/** The OpenIDConnectProviderArn every operation but Create and List names its provider by. */
export const PROVIDER_ARN = { OpenIDConnectProviderArn: required(ARN) } as const
