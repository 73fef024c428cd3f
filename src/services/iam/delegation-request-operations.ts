/** IAM's operations for the delegation requests of temporary access delegation, and GetHumanReadableSummary. */
import type { Operation } from '../operation.js'

export const DELEGATION_REQUEST_OPERATIONS: readonly Operation[] = []
