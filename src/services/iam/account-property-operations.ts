/** IAM's operations for GetAccountProperties and PutAccountProperties. */
import type { Operation } from '../operation.js'
import { GET_ACCOUNT_PROPERTIES, PUT_ACCOUNT_PROPERTIES } from './account-properties.js'

export const ACCOUNT_PROPERTY_OPERATIONS: readonly Operation[] = [
  GET_ACCOUNT_PROPERTIES,
  PUT_ACCOUNT_PROPERTIES,
]
