/**
 * Policy cases (../shared/spec/policy-case.md): one authorization question with its expected
 * answer, as data. This module turns a case into a request and a policy set, decides it, and
 * compares the result with the expectation. Pure: reading the files is the caller's job.
 */
import { compilePolicy } from './compile-policy.js'
import type { CompiledPolicy } from './compile-policy.js'
import type { DeniedBy } from './denial-message.js'
import type { Decision, PolicySet, ResourcePolicyKind } from './evaluate.js'
import { buildPolicySet, evaluate } from './evaluate.js'
import { parsePolicy } from './parse-policy.js'
import type { PolicyKind } from './policy-kind.js'
import { PolicyParseError, describeFaultLocation } from './policy-parse-error.js'
import { PRINCIPAL_TYPES, buildRequest } from './request-context.js'
import type { AuthorizationRequest, ContextValue, PrincipalType } from './request-context.js'

/** What `policy eval` prints for one case. */
export type CaseResult =
  ({ readonly id: string } & Decision) | { readonly id: string; readonly error: string }

/** A case made ready: its request and compiled policies, built once. */
export interface PreparedCase {
  readonly id: string
  readonly request: AuthorizationRequest
  readonly policies: PolicySet
  readonly expected: CaseExpectation | null
}

/** The expectation of a case. */
export interface CaseExpectation {
  readonly decision: Decision['decision']
  readonly deniedBy?: DeniedBy
  readonly messageContains?: string
}

/** A case that cannot be run, with the reason. */
export class MalformedCaseError extends Error {
  override readonly name = 'MalformedCaseError'
}

const DECISIONS = ['allow', 'explicit_deny', 'implicit_deny'] as const
const DENIED_BY: readonly DeniedBy[] = [
  'identity',
  'resource',
  'roleTrust',
  'boundary',
  'session',
  'scp',
  'rcp',
]

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(obj: Json, name: string, path: string): Json {
  const value = obj[name]
  if (!isObject(value)) throw new MalformedCaseError(`${path}.${name} must be an object`)
  return value
}

function stringField(obj: Json, name: string, path: string): string {
  const value = obj[name]
  if (typeof value !== 'string') throw new MalformedCaseError(`${path}.${name} must be a string`)
  return value
}

function optionalString(obj: Json, name: string, path: string): string | undefined {
  const value = obj[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new MalformedCaseError(`${path}.${name} must be a string`)
  return value
}

/** Lists the cases of a case file: `{cases: [...]}`, a bare array, or one case object. */
export function listCases(file: unknown): unknown[] {
  if (Array.isArray(file)) return file
  if (isObject(file) && Array.isArray(file['cases'])) return file['cases'] as unknown[]
  if (isObject(file)) return [file]
  throw new MalformedCaseError('a case file holds an object or an array of cases')
}

function compileOne(value: unknown, kind: PolicyKind, label: string): CompiledPolicy {
  try {
    return compilePolicy(parsePolicy(value, kind), label)
  } catch (err) {
    if (err instanceof PolicyParseError) {
      const fault = err.faults[0]
      throw new MalformedCaseError(
        `${label}: MalformedPolicyDocument: ${fault.message} at ${describeFaultLocation(fault)}`,
      )
    }
    throw err
  }
}

function compileList(value: unknown, kind: PolicyKind, label: string): CompiledPolicy[] {
  if (value === undefined || value === null) return []
  const list = Array.isArray(value) ? value : [value]
  return list.map((doc, i) => compileOne(doc, kind, `${label}[${i}]`))
}

function compileLevels(value: unknown, kind: PolicyKind, label: string): CompiledPolicy[][] | null {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value))
    throw new MalformedCaseError(`policies.${label}s must be an array of levels`)
  return value.map((level, l) => compileList(level, kind, `${label}[${l}]`))
}

function contextOf(value: unknown): Record<string, ContextValue> {
  if (value === undefined || value === null) return {}
  if (!isObject(value)) throw new MalformedCaseError('request.context must be an object')
  // No prototype: a key named __proto__ is a condition key like any other.
  const out = Object.create(null) as Record<string, ContextValue>
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v)
    else if (Array.isArray(v)) out[key] = v.map((item) => String(item))
    else throw new MalformedCaseError(`request.context.${key} must be a string or a list`)
  }
  return out
}

/** Builds the request and compiles the policies of a case (what a server does ahead of requests). */
export function prepareCase(raw: unknown, position: number): PreparedCase {
  if (!isObject(raw)) throw new MalformedCaseError(`case ${position} is not an object`)
  const id = typeof raw['id'] === 'string' ? raw['id'] : `#${position}`
  const policies = field(raw, 'policies', 'case')
  const request = field(raw, 'request', 'case')
  const principal = field(request, 'principal', 'request')
  const type = stringField(principal, 'type', 'request.principal')
  if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
    throw new MalformedCaseError(
      `request.principal.type '${type}' is not one of ${PRINCIPAL_TYPES.join(', ')}`,
    )
  }
  const resource = field(request, 'resource', 'request')
  const organization = request['organization']
  const kindName = optionalString(policies, 'resourcePolicyKind', 'policies') ?? 'generic'
  if (kindName !== 'generic' && kindName !== 'roleTrust' && kindName !== 'kmsKey') {
    throw new MalformedCaseError(
      `policies.resourcePolicyKind '${kindName}' is not roleTrust or kmsKey`,
    )
  }
  const resourcePolicyKind: ResourcePolicyKind = kindName
  const resourcePolicy = policies['resource']
  const roleArn = optionalString(principal, 'roleArn', 'request.principal')
  const federatedFrom = optionalString(principal, 'federatedFromUserArn', 'request.principal')
  const uniqueId = optionalString(principal, 'uniqueId', 'request.principal')
  const session = policies['session']

  const policySet: PolicySet = buildPolicySet({
    identity: compileList(policies['identity'], 'identity', 'identity'),
    resource:
      resourcePolicy === undefined || resourcePolicy === null
        ? null
        : compileOne(
            resourcePolicy,
            resourcePolicyKind === 'roleTrust' ? 'trust' : 'resource',
            'resource',
          ),
    resourcePolicyKind,
    permissionsBoundary:
      policies['permissionsBoundary'] === undefined || policies['permissionsBoundary'] === null
        ? null
        : compileOne(policies['permissionsBoundary'], 'boundary', 'boundary'),
    session:
      session === undefined || session === null ? null : compileList(session, 'session', 'session'),
    scps: compileLevels(policies['scps'], 'scp', 'scp'),
    rcps: compileLevels(policies['rcps'], 'rcp', 'rcp'),
  })
  const account = principal['account']
  const built = buildRequest({
    principal: {
      type: type as PrincipalType,
      arn: stringField(principal, 'arn', 'request.principal'),
      account: typeof account === 'string' ? account : null,
      ...(roleArn === undefined ? {} : { roleArn }),
      ...(federatedFrom === undefined ? {} : { federatedFromUserArn: federatedFrom }),
      ...(uniqueId === undefined ? {} : { uniqueId }),
    },
    action: stringField(request, 'action', 'request'),
    resource: stringField(resource, 'arn', 'request.resource'),
    resourceAccount: optionalString(resource, 'account', 'request.resource') ?? null,
    context: contextOf(request['context']),
    organization: isObject(organization)
      ? {
          ...(typeof organization['id'] === 'string' ? { id: organization['id'] } : {}),
          ...(typeof organization['managementAccount'] === 'string'
            ? { managementAccount: organization['managementAccount'] }
            : {}),
        }
      : null,
  })
  return { id, request: built, policies: policySet, expected: expectationOf(raw['expected']) }
}

function expectationOf(value: unknown): CaseExpectation | null {
  if (!isObject(value)) return null
  const decision = value['decision']
  if (typeof decision !== 'string' || !(DECISIONS as readonly string[]).includes(decision)) {
    throw new MalformedCaseError(`expected.decision must be one of ${DECISIONS.join(', ')}`)
  }
  const deniedBy = value['deniedBy']
  if (deniedBy !== undefined && !(DENIED_BY as readonly unknown[]).includes(deniedBy)) {
    throw new MalformedCaseError(`expected.deniedBy must be one of ${DENIED_BY.join(', ')}`)
  }
  const messageContains = value['messageContains']
  return {
    decision: decision as CaseExpectation['decision'],
    ...(typeof deniedBy === 'string' ? { deniedBy: deniedBy as DeniedBy } : {}),
    ...(typeof messageContains === 'string' ? { messageContains } : {}),
  }
}

/** Runs one case: never throws for a malformed case, which yields an `error` result instead. */
export function runCase(raw: unknown, position: number): CaseResult {
  const id = isObject(raw) && typeof raw['id'] === 'string' ? raw['id'] : `#${position}`
  try {
    const prepared = prepareCase(raw, position)
    return { id, ...evaluate(prepared.request, prepared.policies) }
  } catch (err) {
    if (err instanceof MalformedCaseError) return { id, error: err.message }
    throw err
  }
}

/** Compares a result with a case's expectation; returns the differences (empty when it passes). */
export function checkCase(raw: unknown, result: CaseResult): string[] {
  if ('error' in result) return [`malformed case: ${result.error}`]
  const expected = isObject(raw) ? expectationOf(raw['expected']) : null
  if (expected === null) return ['the case states no expected decision']
  const problems: string[] = []
  if (result.decision !== expected.decision) {
    problems.push(`decision ${result.decision}, expected ${expected.decision}`)
  }
  if (expected.deniedBy !== undefined && result.deniedBy !== expected.deniedBy) {
    problems.push(`deniedBy ${result.deniedBy ?? '(none)'}, expected ${expected.deniedBy}`)
  }
  if (
    expected.messageContains !== undefined &&
    !(result.message ?? '').includes(expected.messageContains)
  ) {
    problems.push(
      `message ${JSON.stringify(result.message ?? '')} lacks ${JSON.stringify(expected.messageContains)}`,
    )
  }
  return problems
}
