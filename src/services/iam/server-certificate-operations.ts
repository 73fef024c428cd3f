/** IAM's server certificates. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const SERVER_CERTIFICATE_OPERATIONS: readonly Operation[] = []
