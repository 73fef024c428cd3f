/** IAM's Access Advisor: service (and action) last accessed reports, built on the audit trail. */
import type { Operation } from '../operation.js'
import {
  GENERATE_SERVICE_LAST_ACCESSED_DETAILS,
  GET_SERVICE_LAST_ACCESSED_DETAILS,
  GET_SERVICE_LAST_ACCESSED_DETAILS_WITH_ENTITIES,
  LIST_POLICIES_GRANTING_SERVICE_ACCESS,
} from './last-accessed.js'

/** Every operation of this family. */
export const LAST_ACCESSED_OPERATIONS: readonly Operation[] = [
  GENERATE_SERVICE_LAST_ACCESSED_DETAILS,
  GET_SERVICE_LAST_ACCESSED_DETAILS,
  GET_SERVICE_LAST_ACCESSED_DETAILS_WITH_ENTITIES,
  LIST_POLICIES_GRANTING_SERVICE_ACCESS,
]
