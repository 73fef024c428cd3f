/**
 * Numeric operators (S13): integer or decimal comparison. A value that is not a number matches
 * nothing, so positive operators fail and negated ones hold on it.
 */
import type { ValueMatcher } from './value-matcher.js'

/** How two numbers (or two instants) are compared. */
export type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge'

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/** Parses an integer or decimal; NaN when it is not one. */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text.trim()) ? Number(text) : NaN
}

/** Compares a request value with a policy value. */
export function compare(comparison: Comparison, value: number, policy: number): boolean {
  switch (comparison) {
    case 'eq':
      return value === policy
    case 'lt':
      return value < policy
    case 'le':
      return value <= policy
    case 'gt':
      return value > policy
    case 'ge':
      return value >= policy
  }
}

/** Compiles a matcher over values read by `parse` (numbers, or instants for dates). */
export function compileComparisonMatcher(
  comparison: Comparison,
  policyValues: readonly string[],
  parse: (text: string) => number,
): ValueMatcher {
  const numbers = policyValues.map(parse).filter((n) => !Number.isNaN(n))
  return (value) => {
    const n = parse(value)
    if (Number.isNaN(n)) return false
    for (const p of numbers) if (compare(comparison, n, p)) return true
    return false
  }
}
