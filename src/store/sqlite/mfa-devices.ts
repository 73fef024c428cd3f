/** Virtual MFA devices, on SQLite. */
import type { MfaDeviceOps } from '../mfa-devices-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The virtual MFA devices operations. */
export function mfaDeviceOps(ctx: SqliteContext): Sync<MfaDeviceOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
