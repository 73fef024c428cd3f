/**
 * IAM's operations on users, groups and membership, access keys, inline policies of users and
 * groups, user tags and user permissions boundaries.
 */
import type { Operation } from '../operation.js'
import {
  CREATE_ACCESS_KEY,
  DELETE_ACCESS_KEY,
  GET_ACCESS_KEY_LAST_USED,
  LIST_ACCESS_KEYS,
  UPDATE_ACCESS_KEY,
} from './access-keys.js'
import {
  ADD_USER_TO_GROUP,
  LIST_GROUPS_FOR_USER,
  REMOVE_USER_FROM_GROUP,
} from './group-membership.js'
import {
  DELETE_GROUP_POLICY,
  GET_GROUP_POLICY,
  LIST_GROUP_POLICIES,
  PUT_GROUP_POLICY,
} from './group-policies.js'
import { CREATE_GROUP, DELETE_GROUP, GET_GROUP, LIST_GROUPS, UPDATE_GROUP } from './groups.js'
import { DELETE_USER_PERMISSIONS_BOUNDARY, PUT_USER_PERMISSIONS_BOUNDARY } from './user-boundary.js'
import {
  DELETE_USER_POLICY,
  GET_USER_POLICY,
  LIST_USER_POLICIES,
  PUT_USER_POLICY,
} from './user-policies.js'
import { LIST_USER_TAGS, TAG_USER, UNTAG_USER } from './user-tags.js'
import { CREATE_USER, DELETE_USER, GET_USER, LIST_USERS, UPDATE_USER } from './users.js'

/** Every operation of this family. */
export const IDENTITY_OPERATIONS: readonly Operation[] = [
  CREATE_USER,
  GET_USER,
  LIST_USERS,
  UPDATE_USER,
  DELETE_USER,
  CREATE_GROUP,
  GET_GROUP,
  LIST_GROUPS,
  UPDATE_GROUP,
  DELETE_GROUP,
  ADD_USER_TO_GROUP,
  REMOVE_USER_FROM_GROUP,
  LIST_GROUPS_FOR_USER,
  CREATE_ACCESS_KEY,
  LIST_ACCESS_KEYS,
  UPDATE_ACCESS_KEY,
  DELETE_ACCESS_KEY,
  GET_ACCESS_KEY_LAST_USED,
  PUT_USER_POLICY,
  GET_USER_POLICY,
  LIST_USER_POLICIES,
  DELETE_USER_POLICY,
  PUT_GROUP_POLICY,
  GET_GROUP_POLICY,
  LIST_GROUP_POLICIES,
  DELETE_GROUP_POLICY,
  TAG_USER,
  UNTAG_USER,
  LIST_USER_TAGS,
  PUT_USER_PERMISSIONS_BOUNDARY,
  DELETE_USER_PERMISSIONS_BOUNDARY,
]
