/**
 * IAM's operation registry: every Action Gatehouse serves for IAM, each with the action it is
 * authorized as. One file per resource family defines them.
 */
import { registry } from '../operation.js'
import type { OperationRegistry } from '../operation.js'
import {
  CREATE_ACCESS_KEY,
  DELETE_ACCESS_KEY,
  LIST_ACCESS_KEYS,
  UPDATE_ACCESS_KEY,
} from './access-keys.js'
import {
  DELETE_USER_POLICY,
  GET_USER_POLICY,
  LIST_USER_POLICIES,
  PUT_USER_POLICY,
} from './user-policies.js'
import { CREATE_USER, DELETE_USER, GET_USER, LIST_USERS } from './users.js'

/** IAM's API version: the only `Version` its operations answer to. */
export const IAM_VERSION = '2010-05-08'

/** IAM's operations by Action. */
export const IAM_OPERATIONS: OperationRegistry = registry([
  CREATE_USER,
  GET_USER,
  LIST_USERS,
  DELETE_USER,
  CREATE_ACCESS_KEY,
  LIST_ACCESS_KEYS,
  UPDATE_ACCESS_KEY,
  DELETE_ACCESS_KEY,
  PUT_USER_POLICY,
  GET_USER_POLICY,
  LIST_USER_POLICIES,
  DELETE_USER_POLICY,
])
