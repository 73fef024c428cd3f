/**
 * The typed form of a policy document after parsing: the JSON shapes normalised (a single value
 * becomes a one-element list, numbers and booleans in conditions become strings), nothing compiled yet.
 */
import type { PolicyKind } from './policy-kind.js'

/** The language version; a missing Version behaves as 2008-10-17 (variables are literal text). */
export type PolicyVersion = '2012-10-17' | '2008-10-17'

/** A parsed policy document. */
export interface PolicyDocument {
  readonly kind: PolicyKind
  readonly version: PolicyVersion
  /** Whether the document said a Version at all (absent and 2008-10-17 evaluate alike). */
  readonly versionGiven: boolean
  readonly id?: string
  readonly statements: readonly PolicyStatement[]
}

/** The principal element: `"*"` or a map of principal types to values. */
export type PrincipalElement =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'map'
      readonly aws: readonly string[]
      readonly service: readonly string[]
      readonly federated: readonly string[]
      readonly canonicalUser: readonly string[]
    }

/** One condition: operator (as written), key (as written) and values (as strings). */
export interface PolicyCondition {
  readonly operator: string
  readonly key: string
  readonly values: readonly string[]
}

/** One statement, with its position in the document for explanations. */
export interface PolicyStatement {
  readonly index: number
  readonly sid?: string
  readonly effect: 'Allow' | 'Deny'
  readonly principal?: PrincipalElement
  readonly notPrincipal?: PrincipalElement
  readonly action?: readonly string[]
  readonly notAction?: readonly string[]
  readonly resource?: readonly string[]
  readonly notResource?: readonly string[]
  readonly conditions: readonly PolicyCondition[]
}
