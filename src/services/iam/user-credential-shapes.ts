/**
 * The input shapes of the SSH public key and signing certificate operations, with the model's
 * constraints (botocore's iam/2010-05-08 service-2.json; reference §4.2).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

/** Tab, LF, CR and U+0020 to U+00FF: the pattern of key and certificate bodies. */
const BODY_PATTERN = queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')

/** publicKeyMaterialType: an SSH public key's body. */
export const PUBLIC_KEY_MATERIAL = {
  kind: 'string',
  min: 1,
  max: 16384,
  pattern: BODY_PATTERN,
} as const

/** publicKeyIdType: an SSH public key's id. */
export const PUBLIC_KEY_ID = {
  kind: 'string',
  min: 20,
  max: 128,
  pattern: queryPattern('[\\w]+'),
} as const

/** encodingType: how GetSSHPublicKey writes the key. */
export const ENCODING = { kind: 'string', enum: ['SSH', 'PEM'] } as const

/** certificateBodyType: a signing certificate's PEM body. */
export const CERTIFICATE_BODY = {
  kind: 'string',
  min: 1,
  max: 16384,
  pattern: BODY_PATTERN,
} as const

/** certificateIdType: a signing certificate's id. */
export const CERTIFICATE_ID = {
  kind: 'string',
  min: 24,
  max: 128,
  pattern: queryPattern('[\\w]+'),
} as const
