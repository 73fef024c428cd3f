/**
 * The input shapes of the service-specific credential operations, with the model's constraints
 * (botocore's iam/2010-05-08 service-2.json).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

/** serviceSpecificCredentialId: 20 to 128 word characters. */
export const SERVICE_SPECIFIC_CREDENTIAL_ID = {
  kind: 'string',
  min: 20,
  max: 128,
  pattern: queryPattern('[\\w]+'),
} as const

/** serviceName: the model sets no constraint; which names are supported is the handler's to say. */
export const SERVICE_NAME = { kind: 'string' } as const

/** credentialAgeDays: 1 to 36600 days. */
export const CREDENTIAL_AGE_DAYS = { kind: 'integer', min: 1, max: 36600 } as const

/** allUsers. */
export const ALL_USERS = { kind: 'boolean' } as const
