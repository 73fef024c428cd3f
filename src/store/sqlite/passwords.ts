/** The account password policy, login profiles and passwords, on SQLite. */
import type { PasswordOps } from '../passwords-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The the account password policy, login profiles and passwords operations. */
export function passwordOps(ctx: SqliteContext): Sync<PasswordOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
