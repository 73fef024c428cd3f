/**
 * The context keys a policy document references, as IAM's GetContextKeysForCustomPolicy and
 * GetContextKeysForPrincipalPolicy list them: the keys its conditions test and the keys its
 * policy variables read (`${aws:username}` in a Resource), each once, spelled as the document
 * first spells it, in the order the document names them. The API reference's example gives
 * `aws:username` (a variable in Resource) before `aws:CurrentTime` (a condition key), neither
 * sorted nor lower-cased.
 *
 * Pure: the document is already parsed.
 */
import { operatorTakesVariables, parseConditionOperator } from './conditions/condition-operator.js'
import type { PolicyDocument } from './policy-document.js'

// The grammar of parseTemplate (policy-template.ts), which lower-cases the names it reads: the
// names are wanted here as written. A test checks that both read the same variables.
const VARIABLE = /^([^\s,'{}$]+)(?:\s*,\s*'([^']*)')?$/
const ESCAPES: ReadonlySet<string> = new Set(['*', '?', '$'])

/** The names of the policy variables in `source`, as written, in order. */
export function variableNames(source: string, version: PolicyDocument['version']): string[] {
  if (version !== '2012-10-17') return []
  const names: string[] = []
  let i = 0
  while (i < source.length) {
    const first = source.indexOf('${', i)
    if (first === -1) break
    const close = source.indexOf('}', first + 2)
    if (close === -1) break
    const open = source.lastIndexOf('${', close - 2)
    const inner = source.slice(open + 2, close)
    if (!ESCAPES.has(inner)) {
      const name = VARIABLE.exec(inner)?.[1]
      if (name !== undefined) names.push(name)
    }
    i = close + 1
  }
  return names
}

/** The context keys `document` references, once each (compared without case), in document order. */
export function contextKeyNames(document: PolicyDocument): string[] {
  const seen = new Set<string>()
  const names: string[] = []
  const add = (name: string): void => {
    const key = name.toLowerCase()
    if (seen.has(key)) return
    seen.add(key)
    names.push(name)
  }
  const version = document.version
  for (const statement of document.statements) {
    for (const pattern of [...(statement.resource ?? []), ...(statement.notResource ?? [])]) {
      for (const name of variableNames(pattern, version)) add(name)
    }
    for (const condition of statement.conditions) {
      add(condition.key)
      const operator = parseConditionOperator(condition.operator)
      if (operator === null || !operatorTakesVariables(operator.base)) continue
      for (const value of condition.values) {
        for (const name of variableNames(value, version)) add(name)
      }
    }
  }
  return names
}
