/**
 * compilePolicy: a parsed document -> the form evaluation uses directly. Wildcards, ARNs, CIDRs
 * and conditions are compiled once; statements are indexed by service so that a request only
 * looks at the statements that can apply to its action.
 */
import type { ConditionTest } from './conditions/compile-condition.js'
import { compileCondition } from './conditions/compile-condition.js'
import type { PolicyDocument, PolicyStatement } from './policy-document.js'
import type { CompiledPrincipal } from './principal-matcher.js'
import { compilePrincipal } from './principal-matcher.js'
import type { ResourceMatcher } from './resource-matcher.js'
import { compileResourcePattern } from './resource-matcher.js'
import type { AuthorizationRequest } from './request-context.js'
import { compileWildcard, hasWildcard } from './wildcard.js'
import type { WildcardMatcher } from './wildcard.js'

/** A statement ready for evaluation. */
export interface CompiledStatement {
  /** Names the statement in explanations: `identity[0]#Sid`, or the statement's index without a Sid. */
  readonly label: string
  readonly effect: 'Allow' | 'Deny'
  readonly source: PolicyStatement
  /** Matches the request's lower-case action (Action, or the complement of NotAction). */
  readonly matchesAction: (actionKey: string) => boolean
  /** Matches the request's resource (Resource, the complement of NotResource, or anything when absent). */
  readonly matchesResource: ResourceMatcher
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
  /** Allow statements that can apply to actions of the service (lower-case prefix). */
  readonly allowsFor: (service: string) => readonly CompiledStatement[]
  /** Deny statements that can apply to actions of the service. */
  readonly deniesFor: (service: string) => readonly CompiledStatement[]
}

function compileActions(patterns: readonly string[]): WildcardMatcher {
  const matchers = patterns.map((p) => compileWildcard(p.toLowerCase()))
  if (matchers.length === 1 && matchers[0] !== undefined) return matchers[0]
  return (actionKey) => {
    for (const m of matchers) if (m(actionKey)) return true
    return false
  }
}

function compileResources(patterns: readonly string[], statement: PolicyDocument): ResourceMatcher {
  const matchers = patterns.map((p) => compileResourcePattern(p, statement.version))
  if (matchers.length === 1 && matchers[0] !== undefined) return matchers[0]
  return (request: AuthorizationRequest) => {
    for (const m of matchers) if (m(request)) return true
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
  let resources: ResourceMatcher = () => true
  if (statement.resource !== undefined) resources = compileResources(statement.resource, document)
  else if (statement.notResource !== undefined) {
    const excluded = compileResources(statement.notResource, document)
    resources = (request) => !excluded(request)
  }
  const kind = document.kind
  return {
    label: `${label}#${statement.sid !== undefined && statement.sid !== '' ? statement.sid : statement.index}`,
    effect: statement.effect,
    source: statement,
    matchesAction: actions,
    matchesResource: resources,
    principal: statement.principal === undefined ? null : compilePrincipal(statement.principal),
    notPrincipal:
      statement.notPrincipal === undefined ? null : compilePrincipal(statement.notPrincipal),
    namesPrincipals: kind === 'resource' || kind === 'trust' || kind === 'rcp',
    conditions: statement.conditions.map((c) => compileCondition(c, document.version)),
  }
}

function negate(matcher: WildcardMatcher): WildcardMatcher {
  return (value) => !matcher(value)
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

/** Indexes statements by service; statements open to every service appear in every list, in order. */
function indexByService(
  statements: readonly CompiledStatement[],
): (service: string) => readonly CompiledStatement[] {
  const everywhere: CompiledStatement[] = []
  const byService = new Map<string, CompiledStatement[]>()
  const scoped: [CompiledStatement, string[]][] = []
  for (const statement of statements) {
    const services = servicesOf(statement.source)
    if (services === null) everywhere.push(statement)
    else scoped.push([statement, services])
  }
  for (const [, services] of scoped) {
    for (const service of services) if (!byService.has(service)) byService.set(service, [])
  }
  for (const statement of statements) {
    const services = servicesOf(statement.source)
    if (services === null) for (const list of byService.values()) list.push(statement)
    else for (const service of services) byService.get(service)?.push(statement)
  }
  return (service) => byService.get(service) ?? everywhere
}

/** Compiles a parsed document. `label` names it in explanations, e.g. `identity[0]`. */
export function compilePolicy(document: PolicyDocument, label: string): CompiledPolicy {
  const statements = document.statements.map((s) => compileStatement(document, s, label))
  const allowsFor = indexByService(statements.filter((s) => s.effect === 'Allow'))
  const deniesFor = indexByService(statements.filter((s) => s.effect === 'Deny'))
  return { label, document, statements, allowsFor, deniesFor }
}
