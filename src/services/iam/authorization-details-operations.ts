/** IAM's GetAccountAuthorizationDetails: every user, group, role and policy with its policies. */
import type { Operation } from '../operation.js'

/** Every operation of this family. */
export const AUTHORIZATION_DETAILS_OPERATIONS: readonly Operation[] = []
