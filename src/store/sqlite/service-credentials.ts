/** Service-specific credentials, on SQLite. */
import type { ServiceCredentialOps } from '../service-credentials-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The operations of service-specific credentials. */
export function serviceCredentialOps(ctx: SqliteContext): Sync<ServiceCredentialOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
