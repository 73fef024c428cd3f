/**
 * One condition (operator, key, values) -> a test of the request. This is where the general
 * rules live (S13, S14, S15): the missing-key rule, IfExists, Null, OR over values for positive
 * operators and NOR for negated ones, and the ForAllValues/ForAnyValue set operators.
 */
import type { PolicyCondition, PolicyVersion } from '../policy-document.js'
import { intern } from '../intern.js'
import { parseTemplate } from '../policy-template.js'
import type { AuthorizationRequest, ContextValue } from '../request-context.js'
import type { BaseOperator, ConditionOperator } from './condition-operator.js'
import { operatorTakesVariables, parseConditionOperator } from './condition-operator.js'
import { compileArnMatcher } from './arn-matcher.js'
import { compileBinaryMatcher, compileBoolMatcher } from './bool-binary-matcher.js'
import { parseDateValue } from './date-value.js'
import { compileIpMatcher } from './ip-matcher.js'
import { compileComparisonMatcher, parseDecimal } from './numeric-matcher.js'
import { compileStringMatcher } from './string-matcher.js'
import type { ValueMatcher } from './value-matcher.js'

/** A compiled condition. */
export type ConditionTest = (request: AuthorizationRequest) => boolean

/** Thrown for an operator name that parsing should already have refused. */
export class UnknownConditionOperatorError extends Error {
  override readonly name = 'UnknownConditionOperatorError'
}

function compileValueMatcher(
  base: Exclude<BaseOperator, 'Null'>,
  values: readonly string[],
  version: PolicyVersion,
): ValueMatcher {
  const templates = () =>
    values.map((v) => parseTemplate(v, operatorTakesVariables(base) ? version : '2008-10-17'))
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return compileStringMatcher('equals', templates())
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return compileStringMatcher('equalsIgnoreCase', templates())
    case 'StringLike':
    case 'StringNotLike':
      return compileStringMatcher('like', templates())
    case 'NumericEquals':
    case 'NumericNotEquals':
      return compileComparisonMatcher('eq', values, parseDecimal)
    case 'NumericLessThan':
      return compileComparisonMatcher('lt', values, parseDecimal)
    case 'NumericLessThanEquals':
      return compileComparisonMatcher('le', values, parseDecimal)
    case 'NumericGreaterThan':
      return compileComparisonMatcher('gt', values, parseDecimal)
    case 'NumericGreaterThanEquals':
      return compileComparisonMatcher('ge', values, parseDecimal)
    case 'DateEquals':
    case 'DateNotEquals':
      return compileComparisonMatcher('eq', values, parseDateValue)
    case 'DateLessThan':
      return compileComparisonMatcher('lt', values, parseDateValue)
    case 'DateLessThanEquals':
      return compileComparisonMatcher('le', values, parseDateValue)
    case 'DateGreaterThan':
      return compileComparisonMatcher('gt', values, parseDateValue)
    case 'DateGreaterThanEquals':
      return compileComparisonMatcher('ge', values, parseDateValue)
    case 'Bool':
      return compileBoolMatcher(templates())
    case 'BinaryEquals':
      return compileBinaryMatcher(values)
    case 'IpAddress':
    case 'NotIpAddress':
      return compileIpMatcher(values)
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return compileArnMatcher(templates())
  }
}

/** A key is null when absent, an empty string, or an empty set (S12 "Null"). */
function isNullValue(value: ContextValue | undefined): boolean {
  return value === undefined || value === '' || (typeof value !== 'string' && value.length === 0)
}

function compileNull(key: string, values: readonly string[]): ConditionTest {
  const wantNull = values.some((v) => v.toLowerCase() === 'true')
  const wantPresent = values.some((v) => v.toLowerCase() === 'false')
  return (request) => {
    const isNull = isNullValue(request.context.get(key))
    return isNull ? wantNull : wantPresent
  }
}

/** Compiles one condition of a statement. */
export function compileCondition(
  condition: PolicyCondition,
  version: PolicyVersion,
): ConditionTest {
  const operator: ConditionOperator | null = parseConditionOperator(condition.operator)
  if (operator === null) throw new UnknownConditionOperatorError(condition.operator)
  const key = intern(condition.key.toLowerCase())
  if (operator.base === 'Null') return compileNull(key, condition.values)

  const matches = compileValueMatcher(operator.base, condition.values, version)
  const { negated, ifExists, set } = operator
  // Negated operators are NOR over the policy values: no value may match.
  const test = negated
    ? (value: string, request: AuthorizationRequest) => !matches(value, request)
    : matches

  if (set === 'ForAllValues') {
    // True for a missing key or an empty set, as the docs warn (S13, S15).
    return (request) => {
      const value = request.context.get(key)
      // A missing key or a null dataset (an empty string or set) makes ForAllValues true.
      if (value === undefined || isNullValue(value)) return true
      if (typeof value === 'string') return test(value, request)
      for (const v of value) if (!test(v, request)) return false
      return true
    }
  }
  if (set === 'ForAnyValue') {
    return (request) => {
      const value = request.context.get(key)
      if (value === undefined) return ifExists
      // "For no matching key or a null dataset, the condition returns false" (S14).
      if (isNullValue(value)) return false
      if (typeof value === 'string') return test(value, request)
      for (const v of value) if (test(v, request)) return true
      return false
    }
  }
  const whenMissing = ifExists || negated
  return (request) => {
    const value = request.context.get(key)
    if (value === undefined) return whenMissing
    // A multivalued key needs a set operator; without one nothing matches (spec 2.3, observed).
    if (typeof value !== 'string') return false
    return test(value, request)
  }
}
