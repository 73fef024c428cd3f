/** IAM's account aliases. */
import type { Operation } from '../operation.js'
import {
  CREATE_ACCOUNT_ALIAS,
  DELETE_ACCOUNT_ALIAS,
  LIST_ACCOUNT_ALIASES,
} from './account-aliases.js'

/** Every operation of this family. */
export const ACCOUNT_ALIAS_OPERATIONS: readonly Operation[] = [
  CREATE_ACCOUNT_ALIAS,
  DELETE_ACCOUNT_ALIAS,
  LIST_ACCOUNT_ALIASES,
]
