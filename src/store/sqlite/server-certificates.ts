/** Server certificates, on SQLite. */
import type { ServerCertificateOps } from '../server-certificates-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The operations of server certificates. */
export function serverCertificateOps(ctx: SqliteContext): Sync<ServerCertificateOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
