/** IAM's operations for GetAccountProperties and PutAccountProperties. */
import type { Operation } from '../operation.js'

export const ACCOUNT_PROPERTY_OPERATIONS: readonly Operation[] = []
