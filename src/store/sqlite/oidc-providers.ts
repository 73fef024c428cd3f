/** OpenID Connect identity providers, on SQLite. */
import type { OidcProviderOps } from '../oidc-providers-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The openID Connect identity providers operations. */
export function oidcProviderOps(ctx: SqliteContext): Sync<OidcProviderOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
