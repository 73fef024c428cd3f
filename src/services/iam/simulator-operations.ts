/** IAM's policy simulator and context-key operations, on the same engine as enforcement. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const SIMULATOR_OPERATIONS: readonly Operation[] = []
