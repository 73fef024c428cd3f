/**
 * The input shapes IAM's operations share, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json; reference §4.2).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'
import type { QueryShape } from '../../protocol/query/query-shape.js'

/** A shape that must be present. */
export function required<const S extends QueryShape>(shape: S): S & { readonly required: true } {
  return { ...shape, required: true }
}

/** The pattern of IAM's entity and policy names: letters, digits and `+=,.@_-`. */
export const NAME_PATTERN = queryPattern('[\\w+=,.@-]+')

/** userNameType: a new user's name. */
export const USER_NAME = { kind: 'string', min: 1, max: 64, pattern: NAME_PATTERN } as const

/** existingUserNameType: the name of a user that may exist. */
export const EXISTING_USER_NAME = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: NAME_PATTERN,
} as const

/** pathType: `/`, or `/` ... `/` of printable ASCII. */
export const PATH = {
  kind: 'string',
  min: 1,
  max: 512,
  pattern: queryPattern('(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)'),
} as const

/** pathPrefixType: the PathPrefix filter of the List operations. */
export const PATH_PREFIX = {
  kind: 'string',
  min: 1,
  max: 512,
  pattern: queryPattern('\\u002F[\\u0021-\\u007F]*'),
} as const

/** markerType. */
export const MARKER = {
  kind: 'string',
  min: 1,
  max: 320,
  pattern: queryPattern('[\\u0020-\\u00FF]+'),
} as const

/** maxItemsType. */
export const MAX_ITEMS = { kind: 'integer', min: 1, max: 1000 } as const

/** arnType. */
export const ARN = { kind: 'string', min: 20, max: 2048 } as const

/** policyNameType: an inline policy's name. */
export const POLICY_NAME = { kind: 'string', min: 1, max: 128, pattern: NAME_PATTERN } as const

/** policyDocumentType: tab, LF, CR and U+0020 to U+00FF only. */
export const POLICY_DOCUMENT = {
  kind: 'string',
  min: 1,
  max: 131072,
  pattern: queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
} as const

/** accessKeyIdType. */
export const ACCESS_KEY_ID = {
  kind: 'string',
  min: 16,
  max: 128,
  pattern: queryPattern('[\\w]+'),
} as const

/** statusType. */
export const STATUS = { kind: 'string', enum: ['Active', 'Inactive', 'Expired'] } as const

/** tagListType: at most 50 tags of a key (1 to 128) and a value (0 to 256). */
export const TAGS = {
  kind: 'list',
  max: 50,
  member: {
    kind: 'structure',
    members: {
      Key: {
        kind: 'string',
        min: 1,
        max: 128,
        pattern: queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'),
        required: true,
      },
      Value: {
        kind: 'string',
        min: 0,
        max: 256,
        pattern: queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'),
        required: true,
      },
    },
  },
} as const

/** Marker and MaxItems, as every paginated operation takes them. */
export const PAGE_MEMBERS = { Marker: MARKER, MaxItems: MAX_ITEMS } as const

/** tagKeyListType: the keys the Untag* operations remove. */
export const TAG_KEYS = {
  kind: 'list',
  max: 50,
  member: {
    kind: 'string',
    min: 1,
    max: 128,
    pattern: queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'),
  },
} as const
