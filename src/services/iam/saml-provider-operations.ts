/** IAM's sAML identity providers. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const SAML_PROVIDER_OPERATIONS: readonly Operation[] = []
