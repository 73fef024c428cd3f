/** Service-linked roles and STS preferences, on SQLite. */
import type { ServiceLinkedRoleOps } from '../service-linked-roles-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The operations of service-linked roles and STS preferences. */
export function serviceLinkedRoleOps(ctx: SqliteContext): Sync<ServiceLinkedRoleOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
