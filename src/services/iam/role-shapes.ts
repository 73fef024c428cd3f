/**
 * The input shapes of the role and instance-profile operations, with the model's constraints
 * (botocore's iam/2010-05-08 service-2.json; reference §4.2).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

import { NAME_PATTERN } from './shapes.js'

/** roleNameType: the same 64 characters for a new role and an existing one. */
export const ROLE_NAME = { kind: 'string', min: 1, max: 64, pattern: NAME_PATTERN } as const

/** instanceProfileNameType. */
export const INSTANCE_PROFILE_NAME = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: NAME_PATTERN,
} as const

/** roleDescriptionType: printable Latin-1 and tab, LF, CR; may be empty. */
export const ROLE_DESCRIPTION = {
  kind: 'string',
  max: 1000,
  pattern: queryPattern('[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*'),
} as const

/** roleMaxSessionDurationType: one to twelve hours, in seconds. */
export const MAX_SESSION_DURATION = { kind: 'integer', min: 3600, max: 43200 } as const
