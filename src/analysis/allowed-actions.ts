/**
 * What a set of permissions policies allows, service by service, as Access Advisor reads them:
 * "Service last accessed data does not use other policy types ... It only applies permissions
 * policy logic" (GenerateServiceLastAccessedDetails). An action counts when an Allow statement
 * names it (Action) or leaves it out (NotAction), whatever its Resource and Condition: a report
 * lists what the policies could grant. Pure.
 */
import type { PolicyDocument } from '../policy/index.js'
import { compileWildcard } from '../policy/wildcard.js'
import type { WildcardMatcher } from '../policy/wildcard.js'
import type { ServiceCatalog } from './service-catalog.js'

/** Allowed action names by service namespace; only services with at least one. */
export type AllowedActions = ReadonlyMap<string, ReadonlySet<string>>

/** An Allow statement's action element, compiled: matches `service:action` in lower case. */
interface ActionTest {
  readonly not: boolean
  readonly matchers: readonly WildcardMatcher[]
}

function testsOf(documents: readonly PolicyDocument[]): ActionTest[] {
  const tests: ActionTest[] = []
  for (const document of documents) {
    for (const statement of document.statements) {
      if (statement.effect !== 'Allow') continue
      const not = statement.notAction !== undefined
      const patterns = statement.notAction ?? statement.action ?? []
      // Actions match without case, as the engine matches them.
      tests.push({ not, matchers: patterns.map((p) => compileWildcard(p.toLowerCase())) })
    }
  }
  return tests
}

/** The actions of every catalogued service that some Allow statement of `documents` grants. */
export function allowedActions(
  documents: readonly PolicyDocument[],
  catalog: ServiceCatalog,
): AllowedActions {
  const tests = testsOf(documents)
  const allowed = new Map<string, Set<string>>()
  if (tests.length === 0) return allowed
  for (const service of catalog.values()) {
    let names: Set<string> | undefined
    for (const action of service.actions) {
      const full = `${service.namespace}:${action}`.toLowerCase()
      const granted = tests.some((test) => test.not !== test.matchers.some((match) => match(full)))
      if (!granted) continue
      names ??= new Set()
      names.add(action)
    }
    if (names !== undefined) allowed.set(service.namespace, names)
  }
  return allowed
}
