/**
 * IAM's operations on users, groups and membership, access keys, inline policies of users and
 * groups, user tags and user permissions boundaries.
 */
import type { Operation } from '../operation.js'
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

/** Every operation of this family. */
export const IDENTITY_OPERATIONS: readonly Operation[] = [
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
]
