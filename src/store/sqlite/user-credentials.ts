/** SSH public keys and signing certificates of users, on SQLite. */
import type { UserCredentialOps } from '../user-credentials-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The operations of sSH public keys and signing certificates of users. */
export function userCredentialOps(ctx: SqliteContext): Sync<UserCredentialOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
