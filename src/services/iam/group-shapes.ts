/**
 * The input shapes of the group operations, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json; reference §4.2).
 */
import { NAME_PATTERN } from './shapes.js'

/** groupNameType: a new group's name and an existing one's alike. */
export const GROUP_NAME = {
  kind: 'string',
  min: 1,
  max: 128,
  pattern: NAME_PATTERN,
} as const
