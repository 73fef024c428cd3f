/** IAM's operations for GetRoleTemplateVersion and AcquireRole. */
import type { Operation } from '../operation.js'
import { ACQUIRE_ROLE, GET_ROLE_TEMPLATE_VERSION } from './role-templates.js'

export const ROLE_TEMPLATE_OPERATIONS: readonly Operation[] = [
  GET_ROLE_TEMPLATE_VERSION,
  ACQUIRE_ROLE,
]
