/** IAM's sSH public keys and signing certificates of users. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const USER_CREDENTIAL_OPERATIONS: readonly Operation[] = []
