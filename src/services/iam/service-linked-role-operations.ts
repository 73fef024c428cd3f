/** IAM's service-linked roles and STS preferences. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const SERVICE_LINKED_ROLE_OPERATIONS: readonly Operation[] = []
