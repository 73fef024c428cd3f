/**
 * The input shapes of STS's operations, with the model's constraints (botocore's
 * sts/2011-06-15 service-2.json; reference §3.1). STS names members in lowerCamelCase in its
 * ValidationError messages ('roleSessionName'), as read-params writes them.
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'
import type { QueryShape } from '../../protocol/query/query-shape.js'

/** A shape that must be present. */
export function required<const S extends QueryShape>(shape: S): S & { readonly required: true } {
  return { ...shape, required: true }
}

const NAME_PATTERN = queryPattern('[\\w+=,.@-]*')
const POLICY_TEXT = queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')

/** arnType, with STS's pattern (the model's Java escapes, which JavaScript reads the same way). */
export const STS_ARN = {
  kind: 'string',
  min: 20,
  max: 2048,
  pattern: queryPattern(
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
  ),
} as const

/** roleSessionNameType. */
export const ROLE_SESSION_NAME = { kind: 'string', min: 2, max: 64, pattern: NAME_PATTERN } as const

/** userNameType of STS: a federated user's name. */
export const FEDERATED_USER_NAME = {
  kind: 'string',
  min: 2,
  max: 32,
  pattern: NAME_PATTERN,
} as const

/**
 * policyDescriptorListType: managed session policies. The model sets no bound; the operations'
 * documentation does ("You can provide up to 10 managed policy ARNs").
 */
export const POLICY_ARNS = {
  kind: 'list',
  max: 10,
  member: { kind: 'structure', members: { arn: STS_ARN } },
} as const

/** unrestrictedSessionPolicyDocumentType: AssumeRole's inline session policy. */
export const UNRESTRICTED_SESSION_POLICY = { kind: 'string', min: 1, pattern: POLICY_TEXT } as const

/** sessionPolicyDocumentType: GetFederationToken's inline session policy. */
export const SESSION_POLICY = { kind: 'string', min: 1, max: 2048, pattern: POLICY_TEXT } as const

/** roleDurationSecondsType. */
export const ROLE_DURATION_SECONDS = { kind: 'integer', min: 900, max: 43200 } as const

/** durationSecondsType: GetSessionToken's and GetFederationToken's. */
export const DURATION_SECONDS = { kind: 'integer', min: 900, max: 129600 } as const

const TAG_KEY = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'),
} as const

/** tagListType: at most 50 session tags. */
export const SESSION_TAGS = {
  kind: 'list',
  max: 50,
  member: {
    kind: 'structure',
    members: {
      Key: required(TAG_KEY),
      Value: required({
        kind: 'string',
        min: 0,
        max: 256,
        pattern: queryPattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'),
      } as const),
    },
  },
} as const

/** tagKeyListType: the transitive tag keys. */
export const TRANSITIVE_TAG_KEYS = { kind: 'list', max: 50, member: TAG_KEY } as const

/** externalIdType. */
export const EXTERNAL_ID = {
  kind: 'string',
  min: 2,
  max: 1224,
  pattern: queryPattern('[\\w+=,.@:\\/-]*'),
} as const

/** serialNumberType: an MFA device. */
export const SERIAL_NUMBER = {
  kind: 'string',
  min: 9,
  max: 256,
  pattern: queryPattern('[\\w+=/:,.@-]*'),
} as const

/** tokenCodeType: six digits. */
export const TOKEN_CODE = {
  kind: 'string',
  min: 6,
  max: 6,
  pattern: queryPattern('[\\d]*'),
} as const

/** sourceIdentityType. */
export const SOURCE_IDENTITY = { kind: 'string', min: 2, max: 64, pattern: NAME_PATTERN } as const

/** ProvidedContextsListType. */
export const PROVIDED_CONTEXTS = {
  kind: 'list',
  min: 1,
  max: 5,
  member: {
    kind: 'structure',
    members: {
      ProviderArn: STS_ARN,
      ContextAssertion: { kind: 'string', min: 4, max: 2048 },
    },
  },
} as const
