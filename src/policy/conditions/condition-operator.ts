/**
 * Condition operator names: the base operators AWS documents, with the `ForAllValues:` /
 * `ForAnyValue:` prefixes and the `IfExists` suffix taken apart.
 */

/** The documented base operators. */
export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const

/** A base operator name. */
export type BaseOperator = (typeof BASE_OPERATORS)[number]

/** An operator taken apart. */
export interface ConditionOperator {
  readonly base: BaseOperator
  readonly set: 'ForAllValues' | 'ForAnyValue' | null
  readonly ifExists: boolean
  /** Negated operators match when no policy value matches (NOR), and when the key is missing. */
  readonly negated: boolean
}

const BASE_SET: ReadonlySet<string> = new Set(BASE_OPERATORS)

const NEGATED: ReadonlySet<BaseOperator> = new Set<BaseOperator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
])

/** Parses an operator name exactly as AWS spells it; null when it is not a valid operator. */
export function parseConditionOperator(name: string): ConditionOperator | null {
  let rest = name
  let set: ConditionOperator['set'] = null
  if (rest.startsWith('ForAllValues:')) {
    set = 'ForAllValues'
    rest = rest.slice('ForAllValues:'.length)
  } else if (rest.startsWith('ForAnyValue:')) {
    set = 'ForAnyValue'
    rest = rest.slice('ForAnyValue:'.length)
  }
  let ifExists = false
  if (rest.endsWith('IfExists')) {
    ifExists = true
    rest = rest.slice(0, -'IfExists'.length)
  }
  if (!BASE_SET.has(rest)) return null
  const base = rest as BaseOperator
  // Null tests presence itself, so neither IfExists nor a set operator means anything with it.
  if (base === 'Null' && (ifExists || set !== null)) return null
  return { base, set, ifExists, negated: NEGATED.has(base) }
}

/** Whether policy variables are substituted in this operator's values (S13: strings, ARNs; Bool per the operators page). */
export function operatorTakesVariables(base: BaseOperator): boolean {
  return base.startsWith('String') || base.startsWith('Arn') || base === 'Bool'
}
