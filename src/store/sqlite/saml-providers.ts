/** SAML identity providers, on SQLite. */
import type { SamlProviderOps } from '../saml-providers-ops.js'
import type { SqliteContext, Sync } from './context.js'

/** The operations of sAML identity providers. */
export function samlProviderOps(ctx: SqliteContext): Sync<SamlProviderOps> {
  // Until its family is written: nothing of it is stored yet.
  void ctx
  return {}
}
