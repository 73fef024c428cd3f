/** Outbound web identity federation. */
import type { OutboundFederationOps } from '../outbound-federation-ops.js'
import type { SqlContext } from './sql-context.js'

/** The outbound web identity federation operations. */
export function outboundFederationOps(ctx: SqlContext): OutboundFederationOps {
  void ctx
  return {}
}
