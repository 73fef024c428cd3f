/**
 * The input shapes of the server certificate operations, with the model's constraints
 * (botocore's iam/2010-05-08 service-2.json).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'
import { NAME_PATTERN } from './shapes.js'

/** Tab, LF, CR and U+0020 to U+00FF: the pattern of certificate, chain and key bodies. */
const BODY_PATTERN = queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')

/** serverCertificateNameType. */
export const SERVER_CERTIFICATE_NAME = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: NAME_PATTERN,
} as const

/** certificateBodyType: the certificate in PEM. */
export const SERVER_CERTIFICATE_BODY = {
  kind: 'string',
  min: 1,
  max: 16384,
  pattern: BODY_PATTERN,
} as const

/** privateKeyType (sensitive): the certificate's private key in PEM. */
export const PRIVATE_KEY = { kind: 'string', min: 1, max: 16384, pattern: BODY_PATTERN } as const

/** certificateChainType: the chain's certificates in PEM, one after another. */
export const CERTIFICATE_CHAIN = {
  kind: 'string',
  min: 1,
  max: 2097152,
  pattern: BODY_PATTERN,
} as const
