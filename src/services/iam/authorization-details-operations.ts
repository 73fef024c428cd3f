/** IAM's GetAccountAuthorizationDetails: every user, group, role and policy with its policies. */
import type { Operation } from '../operation.js'
import { GET_ACCOUNT_AUTHORIZATION_DETAILS } from './account-authorization-details.js'

/** Every operation of this family. */
export const AUTHORIZATION_DETAILS_OPERATIONS: readonly Operation[] = [
  GET_ACCOUNT_AUTHORIZATION_DETAILS,
]
