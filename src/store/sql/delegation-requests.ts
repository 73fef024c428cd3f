/** Delegation requests (temporary access delegation to partners), on every SQL backend. */
import type { DelegationRequestOps } from '../delegation-requests-ops.js'
import type { SqlContext } from './sql-context.js'

export function delegationRequestOps(ctx: SqlContext): DelegationRequestOps {
  void ctx
  return {}
}
