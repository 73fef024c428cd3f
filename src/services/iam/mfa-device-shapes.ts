/**
 * The input shapes of the virtual MFA device operations, with the model's constraints (botocore's
 * iam/2010-05-08 service-2.json; reference §4.2).
 */
import { queryPattern } from '../../protocol/query/query-pattern.js'

/** virtualMFADeviceName: at least one of letters, digits and `+=,.@_-`; the model sets no maximum. */
export const VIRTUAL_MFA_DEVICE_NAME = {
  kind: 'string',
  min: 1,
  pattern: queryPattern('[\\w+=,.@-]+'),
} as const

/** serialNumberType: a virtual device's ARN, or a hardware device's serial. */
export const SERIAL_NUMBER = {
  kind: 'string',
  min: 9,
  max: 256,
  pattern: queryPattern('[\\w+=/:,.@-]+'),
} as const

/** authenticationCodeType: six digits. A code is a credential: never echoed in an error. */
export const AUTHENTICATION_CODE = {
  kind: 'string',
  min: 6,
  max: 6,
  pattern: queryPattern('[\\d]+'),
  sensitive: true,
} as const

/** assignmentStatusType. */
export const ASSIGNMENT_STATUS = {
  kind: 'string',
  enum: ['Assigned', 'Unassigned', 'Any'],
} as const
