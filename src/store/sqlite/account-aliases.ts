/** Account aliases, on SQLite. */
import type { AccountAliasOps } from '../account-aliases-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The account aliases operations. */
export function accountAliasOps(ctx: SqliteContext): Sync<AccountAliasOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
