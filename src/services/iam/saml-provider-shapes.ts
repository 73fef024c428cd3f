/**
 * The input shapes of the SAML provider operations, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json; reference §4.2). What a metadata document or a private key must
 * hold beyond its length is checked by the operations, with IAM's errors.
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'
import { ARN, required } from './shapes.js'

/** SAMLProviderNameType: the model's pattern, narrower than the prose's `_+=,.@-`. */
export const SAML_PROVIDER_NAME = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: queryPattern('[\\w._-]+'),
} as const

/** SAMLMetadataDocumentType. */
export const SAML_METADATA_DOCUMENT = { kind: 'string', min: 1000, max: 10_000_000 } as const

/** assertionEncryptionModeType. */
export const ASSERTION_ENCRYPTION_MODE = { kind: 'string', enum: ['Required', 'Allowed'] } as const

/** privateKeyType: sensitive, so a value that fails its constraints is never quoted. */
export const SAML_PRIVATE_KEY = {
  kind: 'string',
  min: 1,
  max: 16384,
  pattern: queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
  sensitive: true,
} as const

/** privateKeyIdType: the KeyId of a provider's private key. */
export const SAML_PRIVATE_KEY_ID = {
  kind: 'string',
  min: 22,
  max: 64,
  pattern: queryPattern('[A-Z0-9]+'),
} as const

/** The SAMLProviderArn every operation but Create and List names its provider by. */
export const SAML_PROVIDER_ARN = { SAMLProviderArn: required(ARN) } as const
