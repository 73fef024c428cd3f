/** IAM's virtual MFA devices. */
import type { Operation } from '../operation.js'
import { LIST_MFA_DEVICE_TAGS, TAG_MFA_DEVICE, UNTAG_MFA_DEVICE } from './mfa-device-tags.js'
import {
  DEACTIVATE_MFA_DEVICE,
  ENABLE_MFA_DEVICE,
  GET_MFA_DEVICE,
  LIST_MFA_DEVICES,
  RESYNC_MFA_DEVICE,
} from './mfa-devices.js'
import {
  CREATE_VIRTUAL_MFA_DEVICE,
  DELETE_VIRTUAL_MFA_DEVICE,
  LIST_VIRTUAL_MFA_DEVICES,
} from './virtual-mfa-devices.js'

/** Every operation of this family. */
export const MFA_DEVICE_OPERATIONS: readonly Operation[] = [
  CREATE_VIRTUAL_MFA_DEVICE,
  ENABLE_MFA_DEVICE,
  RESYNC_MFA_DEVICE,
  DEACTIVATE_MFA_DEVICE,
  DELETE_VIRTUAL_MFA_DEVICE,
  GET_MFA_DEVICE,
  LIST_MFA_DEVICES,
  LIST_VIRTUAL_MFA_DEVICES,
  TAG_MFA_DEVICE,
  UNTAG_MFA_DEVICE,
  LIST_MFA_DEVICE_TAGS,
]
