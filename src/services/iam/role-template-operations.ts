/** IAM's operations for GetRoleTemplateVersion and AcquireRole. */
import type { Operation } from '../operation.js'

export const ROLE_TEMPLATE_OPERATIONS: readonly Operation[] = []
