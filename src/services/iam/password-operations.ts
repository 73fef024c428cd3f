/** IAM's the account password policy, login profiles and passwords. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const PASSWORD_OPERATIONS: readonly Operation[] = []
