/** IAM's service-linked roles and STS preferences. */
import type { Operation } from '../operation.js'
import {
  CREATE_SERVICE_LINKED_ROLE,
  DELETE_SERVICE_LINKED_ROLE,
  GET_SERVICE_LINKED_ROLE_DELETION_STATUS,
} from './service-linked-roles.js'
import { SET_SECURITY_TOKEN_SERVICE_PREFERENCES } from './sts-preferences.js'

/** Every operation of this family. */
export const SERVICE_LINKED_ROLE_OPERATIONS: readonly Operation[] = [
  CREATE_SERVICE_LINKED_ROLE,
  DELETE_SERVICE_LINKED_ROLE,
  GET_SERVICE_LINKED_ROLE_DELETION_STATUS,
  SET_SECURITY_TOKEN_SERVICE_PREFERENCES,
]
