/** IAM's account aliases. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const ACCOUNT_ALIAS_OPERATIONS: readonly Operation[] = []
