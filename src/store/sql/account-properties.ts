/** Account properties (GetAccountProperties/PutAccountProperties), on every SQL backend. */
import type { AccountPropertyOps } from '../account-properties-ops.js'
import type { SqlContext } from './sql-context.js'

export function accountPropertyOps(ctx: SqlContext): AccountPropertyOps {
  void ctx
  return {}
}
