/** IAM's openID Connect identity providers. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const OIDC_PROVIDER_OPERATIONS: readonly Operation[] = []
