/**
 * The input shapes of the password operations, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json; reference §4.2).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

/**
 * passwordType: 1 to 128 of tab, LF, CR and U+0020 to U+00FF. Sensitive: a value that fails
 * its constraints is never quoted in the error.
 */
export const PASSWORD = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
  sensitive: true,
} as const

/** minimumPasswordLengthType. */
export const MINIMUM_PASSWORD_LENGTH = { kind: 'integer', min: 6, max: 128 } as const

/** maxPasswordAgeType: days. */
export const MAX_PASSWORD_AGE = { kind: 'integer', min: 1, max: 1095 } as const

/** passwordReusePreventionType. */
export const PASSWORD_REUSE_PREVENTION = { kind: 'integer', min: 1, max: 24 } as const
