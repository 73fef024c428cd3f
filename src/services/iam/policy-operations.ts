/** IAM's operations on customer managed policies, their versions and tags, attaching them to users, groups and roles, and GetAccountSummary. */
import type { Operation } from '../operation.js'

/** Every operation of this family, in the order the reference lists them. */
export const POLICY_OPERATIONS: readonly Operation[] = []
