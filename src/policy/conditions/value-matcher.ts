/**
 * The shape every operator family compiles to: does one request value match any of the
 * statement's values (the positive sense; negation and set operators wrap it).
 */
import type { AuthorizationRequest } from '../request-context.js'

/** True when `value` matches at least one of the policy's values. */
export type ValueMatcher = (value: string, request: AuthorizationRequest) => boolean
