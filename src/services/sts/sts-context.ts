/**
 * What STS's handlers need besides the request's transaction, caller and clock: the key that
 * seals session tokens. The pipeline puts it on the operation context it builds.
 */
import { SessionTokenKey } from '../../auth/session-token.js'
import type { OperationContext } from '../operation.js'

/** The operation context of an STS handler. */
export interface StsContext extends OperationContext {
  readonly sessionTokens: SessionTokenKey
}

/**
 * The context as STS's handlers use it. The pipeline always provides the token key; a context
 * without one is a wiring bug, not a client error.
 */
export function stsContext(ctx: OperationContext): StsContext {
  const key: unknown = 'sessionTokens' in ctx ? ctx.sessionTokens : undefined
  if (!(key instanceof SessionTokenKey)) {
    throw new Error('STS handlers need the session token key on their operation context')
  }
  return { tx: ctx.tx, caller: ctx.caller, now: ctx.now, sessionTokens: key }
}
