/** IAM's account password policy, login profiles and passwords. */
import type { Operation } from '../operation.js'
import { CHANGE_PASSWORD } from './change-password.js'
import {
  CREATE_LOGIN_PROFILE,
  DELETE_LOGIN_PROFILE,
  GET_LOGIN_PROFILE,
  UPDATE_LOGIN_PROFILE,
} from './login-profiles.js'
import {
  DELETE_ACCOUNT_PASSWORD_POLICY,
  GET_ACCOUNT_PASSWORD_POLICY,
  UPDATE_ACCOUNT_PASSWORD_POLICY,
} from './password-policy.js'

/** Every operation of this family. */
export const PASSWORD_OPERATIONS: readonly Operation[] = [
  UPDATE_ACCOUNT_PASSWORD_POLICY,
  GET_ACCOUNT_PASSWORD_POLICY,
  DELETE_ACCOUNT_PASSWORD_POLICY,
  CREATE_LOGIN_PROFILE,
  GET_LOGIN_PROFILE,
  UPDATE_LOGIN_PROFILE,
  DELETE_LOGIN_PROFILE,
  CHANGE_PASSWORD,
]
