/** IAM's service-specific credentials. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const SERVICE_CREDENTIAL_OPERATIONS: readonly Operation[] = []
