/** IAM's Access Advisor: service (and action) last accessed reports, built on the audit trail. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const LAST_ACCESSED_OPERATIONS: readonly Operation[] = []
