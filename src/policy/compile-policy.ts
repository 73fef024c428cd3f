/**
 * compilePolicy: a parsed document -> the form evaluation uses directly. Wildcards, ARNs, CIDRs
 * and conditions are compiled once; statements are indexed by service so that a request only
 * looks at the statements that can apply to its action.
 */
import { ActionIndex } from './action-index.js'
import type { ConditionTest } from './conditions/compile-condition.js'
import { compileCondition } from './conditions/compile-condition.js'
import type { PolicyDocument, PolicyStatement } from './policy-document.js'
import type { CompiledPrincipal } from './principal-matcher.js'
import { compilePrincipal } from './principal-matcher.js'
import type { ResourceElement } from './resource-matcher.js'
import { compileResourceElement } from './resource-matcher.js'
import type { AuthorizationRequest } from './request-context.js'
import { compileWildcard, hasWildcard } from './wildcard.js'
import type { WildcardMatcher } from './wildcard.js'

/** A statement ready for evaluation. */
export interface CompiledStatement {
  /** Names the statement in explanations: `identity[0]#Sid`, or the statement's index without a Sid. */
  readonly label: string
  readonly effect: 'Allow' | 'Deny'
  readonly source: PolicyStatement
  /** Matches the request's lower-case action and service (Action, or the complement of NotAction). */
  readonly matchesAction: ActionMatcher
  /** The Resource element (or NotResource's, with `resourceNegated`); null when absent: any resource. */
  readonly resource: ResourceElement | null
  /** True for NotResource: the statement applies to resources the element does not match. */
  readonly resourceNegated: boolean
  /** The Principal element, when the statement has one. */
  readonly principal: CompiledPrincipal | null
  /** The NotPrincipal element, when the statement has one. */
  readonly notPrincipal: CompiledPrincipal | null
  /** Whether the policy kind names principals (resource, trust and RCP policies). */
  readonly namesPrincipals: boolean
  /** All conditions; every one must hold. */
  readonly conditions: readonly ConditionTest[]
}

/** A compiled policy document. */
export interface CompiledPolicy {
  readonly label: string
  readonly document: PolicyDocument
  readonly statements: readonly CompiledStatement[]
  /** The statements whose Action or NotAction matches the request's action. */
  readonly forAction: (request: AuthorizationRequest) => ActionStatements
}

/** The statements of a policy that apply to one action, by effect, in document order. */
export interface ActionStatements {
  readonly allows: readonly CompiledStatement[]
  readonly denies: readonly CompiledStatement[]
}

/** Matches a request's lower-case action, given its lower-case service prefix too. */
export type ActionMatcher = (actionKey: string, service: string) => boolean

/**
 * Compiles Action patterns. Patterns are grouped by service so a request checks only its own
 * service's patterns, and `service:*` needs no per-action check at all.
 */
function compileActions(patterns: readonly string[]): ActionMatcher {
  const byService = new Map<string, WildcardMatcher[] | 'all'>()
  const anyService: WildcardMatcher[] = []
  for (const raw of patterns) {
    const pattern = raw.toLowerCase()
    if (pattern === '*') return () => true
    const colon = pattern.indexOf(':')
    const service = colon === -1 ? pattern : pattern.slice(0, colon)
    if (colon === -1 || hasWildcard(service)) {
      anyService.push(compileWildcard(pattern))
      continue
    }
    const current = byService.get(service)
    if (current === 'all') continue
    if (pattern.slice(colon + 1) === '*') byService.set(service, 'all')
    else if (current === undefined) byService.set(service, [compileWildcard(pattern)])
    else current.push(compileWildcard(pattern))
  }
  return (actionKey, service) => {
    const entry = byService.get(service)
    if (entry === 'all') return true
    if (entry !== undefined) for (const m of entry) if (m(actionKey)) return true
    for (const m of anyService) if (m(actionKey)) return true
    return false
  }
}

function compileStatement(
  document: PolicyDocument,
  statement: PolicyStatement,
  label: string,
): CompiledStatement {
  const actions =
    statement.action !== undefined
      ? compileActions(statement.action)
      : statement.notAction !== undefined
        ? negate(compileActions(statement.notAction))
        : () => false
  const resourcePatterns = statement.resource ?? statement.notResource
  const kind = document.kind
  return {
    label: `${label}#${statement.sid !== undefined && statement.sid !== '' ? statement.sid : statement.index}`,
    effect: statement.effect,
    source: statement,
    matchesAction: actions,
    resource:
      resourcePatterns === undefined
        ? null
        : compileResourceElement(resourcePatterns, document.version),
    resourceNegated: statement.resource === undefined && statement.notResource !== undefined,
    principal: statement.principal === undefined ? null : compilePrincipal(statement.principal),
    notPrincipal:
      statement.notPrincipal === undefined ? null : compilePrincipal(statement.notPrincipal),
    namesPrincipals: kind === 'resource' || kind === 'trust' || kind === 'rcp',
    conditions: statement.conditions.map((c) => compileCondition(c, document.version)),
  }
}

function negate(matcher: ActionMatcher): ActionMatcher {
  return (actionKey, service) => !matcher(actionKey, service)
}

/** The services a statement's actions are confined to, or null when it can apply to any service. */
function servicesOf(statement: PolicyStatement): string[] | null {
  if (statement.action === undefined) return null // NotAction reaches every service
  const services = new Set<string>()
  for (const action of statement.action) {
    const colon = action.indexOf(':')
    const service = colon === -1 ? action.toLowerCase() : action.slice(0, colon).toLowerCase()
    if (colon === -1 || hasWildcard(service)) return null
    services.add(service)
  }
  return [...services]
}

/**
 * Indexes statements by service. Statements open to every service (NotAction, wildcard vendors)
 * are kept apart and merged in document order when a service is asked for, so building the
 * index stays linear in the size of the policy.
 */
function indexByService(
  statements: readonly CompiledStatement[],
): (service: string) => readonly CompiledStatement[] {
  const everywhere: CompiledStatement[] = []
  const byService = new Map<string, CompiledStatement[]>()
  for (const statement of statements) {
    const services = servicesOf(statement.source)
    if (services === null) {
      everywhere.push(statement)
      continue
    }
    for (const service of services) {
      const list = byService.get(service)
      if (list === undefined) byService.set(service, [statement])
      else list.push(statement)
    }
  }
  return (service) => {
    const scoped = byService.get(service)
    if (scoped === undefined) return everywhere
    if (everywhere.length === 0) return scoped
    const merged: CompiledStatement[] = []
    let a = 0
    let b = 0
    while (a < scoped.length || b < everywhere.length) {
      const x = scoped[a]
      const y = everywhere[b]
      if (y === undefined || (x !== undefined && x.source.index < y.source.index)) {
        merged.push(x!)
        a++
      } else {
        merged.push(y)
        b++
      }
    }
    return merged
  }
}

/** Compiles a parsed document. `label` names it in explanations, e.g. `identity[0]`. */
export function compilePolicy(document: PolicyDocument, label: string): CompiledPolicy {
  const statements = document.statements.map((s) => compileStatement(document, s, label))
  const byService = indexByService(statements)
  // INVARIANT: an entry depends only on the action and the policy, never on the rest of the
  // request, so this is the statement index filled in lazily, not a cache of decisions.
  const index = new ActionIndex<ActionStatements>(
    ({ actionKey, service }) => {
      const matching = byService(service).filter((s) => s.matchesAction(actionKey, service))
      return {
        allows: matching.filter((s) => s.effect === 'Allow'),
        denies: matching.filter((s) => s.effect === 'Deny'),
      }
    },
    (entry) => entry.allows.length + entry.denies.length,
  )
  const forAction = (request: AuthorizationRequest): ActionStatements => index.lookup(request)
  return { label, document, statements, forAction }
}
