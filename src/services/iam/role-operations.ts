/** IAM's operations on roles, their inline policies, tags and permissions boundaries, and instance profiles. */
import type { Operation } from '../operation.js'

/** Every operation of this family, in the order the reference lists them. */
export const ROLE_OPERATIONS: readonly Operation[] = []
