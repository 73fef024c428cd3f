/** IAM's virtual MFA devices. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const MFA_DEVICE_OPERATIONS: readonly Operation[] = []
