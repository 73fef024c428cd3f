/**
 * IAM's policy simulator over the enforcement engine: the decision for an action on a resource
 * is evaluate()'s, over the same compiled policies, and the simulator's response adds what AWS's
 * EvaluationResult explains it with: the statements that decided (with their positions in the
 * documents), the context keys the policies reference that the request did not supply, whether
 * the permissions boundary allowed, and, across accounts, each policy type's own verdict.
 *
 * Pure: the documents come parsed, the context comes as values; no clock, no store.
 */
import { splitArn } from './arn.js'
import type { CompiledPolicy, CompiledStatement } from './compile-policy.js'
import { compilePolicy } from './compile-policy.js'
import { contextKeyNames } from './context-key-names.js'
import type { DecisionKind } from './evaluate.js'
import { applies, buildPolicySet, evaluate } from './evaluate.js'
import type { TextPosition } from './json-tree.js'
import type { PolicyDocument } from './policy-document.js'
import type {
  AuthorizationRequest,
  ContextValue,
  RequestContext,
  RequestPrincipal,
} from './request-context.js'
import { buildRequest } from './request-context.js'
import type { StatementSpan } from './statement-positions.js'
import { statementPositions } from './statement-positions.js'

/**
 * The policy types as the simulator names them: SourcePolicyType of a matched statement and the
 * keys of EvalDecisionDetails. These are the API reference's examples ("IAM Policy", "Resource
 * Policy", "Permissions Boundary Policy"), not the model's PolicySourceType enum, which AWS's
 * responses do not use.
 */
export type SimulationPolicyType = 'IAM Policy' | 'Permissions Boundary Policy' | 'Resource Policy'

/** The simulator's decisions (PolicyEvaluationDecisionType). */
export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny'

/** A policy document in a simulation. */
export interface SimulationDocument {
  /** Its SourcePolicyId: `PolicyInputList.1`, `ResourcePolicy`, a managed policy's name... */
  readonly id: string
  /** The text as given or stored: positions are counted in it. */
  readonly text: string
  /** The text parsed, of the kind its place in the simulation asks for. */
  readonly document: PolicyDocument
}

/** What a simulation evaluates. */
export interface SimulationInput {
  /** Identity policies: those given as input, then the simulated entity's. */
  readonly identity: readonly SimulationDocument[]
  readonly boundary: SimulationDocument | null
  /** The resource-based policy every simulated resource is taken to have; needs a caller. */
  readonly resourcePolicy: SimulationDocument | null
  /**
   * The simulated caller (an IAM user); its principal keys (aws:username, aws:PrincipalArn...)
   * are derived as enforcement derives them. Null when the simulation names no caller: then the
   * request holds the given context keys and nothing else.
   */
  readonly caller: RequestPrincipal | null
  /** The caller's account, or the requester's when there is no caller. */
  readonly account: string
  /** ResourceOwner's account: the owner of resources whose ARN names none. */
  readonly resourceOwner: string | null
  /** ContextEntries' values by key name. */
  readonly context: Readonly<Record<string, ContextValue>>
}

/** A statement that decided a result (the Statement type). */
export interface MatchedStatement {
  readonly sourcePolicyId: string
  readonly sourcePolicyType: SimulationPolicyType
  readonly start: TextPosition | undefined
  readonly end: TextPosition | undefined
}

/** The simulation of one action on one resource. */
export interface SimulationResult {
  readonly action: string
  readonly resource: string
  readonly decision: EvalDecision
  /** The denying statements for an explicit deny, the allowing ones for an allow, else none. */
  readonly matched: readonly MatchedStatement[]
  /** Keys the policies reference that the request lacks, as the policies spell them. */
  readonly missingContextValues: readonly string[]
  /** Whether the permissions boundary allows; null when the simulation has none. */
  readonly allowedByBoundary: boolean | null
  /**
   * Each policy type's own verdict, for a cross-account simulation. Same-account: empty for a
   * named resource, null for `*` (AWS's EvaluationResult documentation).
   */
  readonly decisionDetails: ReadonlyMap<SimulationPolicyType, EvalDecision> | null
}

/** A prepared simulation: its documents compiled once for every action and resource. */
export interface Simulation {
  run(action: string, resource: string): SimulationResult
}

interface PreparedPolicy {
  readonly source: SimulationDocument
  readonly type: SimulationPolicyType
  readonly compiled: CompiledPolicy
  readonly spans: readonly StatementSpan[]
}

const DECISIONS: Readonly<Record<DecisionKind, EvalDecision>> = {
  allow: 'allowed',
  explicit_deny: 'explicitDeny',
  implicit_deny: 'implicitDeny',
}

/** The account an ARN names, or null (`*`, `arn:aws:s3:::bucket`). */
function accountOf(arn: string): string | null {
  const account = splitArn(arn)?.[4]
  return account !== undefined && /^\d{12}$/.test(account) ? account : null
}

/** A policy's verdict on its own: an applicable Deny, else an applicable Allow, else neither. */
function alone(
  policies: readonly PreparedPolicy[],
  request: AuthorizationRequest,
  hasBoundary: boolean,
): EvalDecision {
  let allowed = false
  for (const policy of policies) {
    const { allows, denies } = policy.compiled.forAction(request)
    // The same flags as evaluate(): NotPrincipal's boundary rule applies to denies only.
    if (denies.some((s) => applies(s, request, hasBoundary))) return 'explicitDeny'
    if (!allowed) allowed = allows.some((s) => applies(s, request, false))
  }
  return allowed ? 'allowed' : 'implicitDeny'
}

/** The context of a request that names no caller: the given keys only, by lower-case name. */
function givenKeysOnly(values: Readonly<Record<string, ContextValue>>): RequestContext {
  const context = new Map<string, ContextValue>()
  for (const [key, value] of Object.entries(values)) context.set(key.toLowerCase(), value)
  return context
}

/** Compiles a simulation's documents; run() then simulates one action on one resource. */
export function prepareSimulation(input: SimulationInput): Simulation {
  if (input.resourcePolicy !== null && input.caller === null) {
    // The service refuses this with InvalidInput first: a Principal element needs a caller.
    throw new Error('a simulation with a resource-based policy needs a caller')
  }
  const prepared: PreparedPolicy[] = []
  const prepare = (source: SimulationDocument, type: SimulationPolicyType): PreparedPolicy => {
    // Labels are positional, so that each names one document whatever its SourcePolicyId.
    const policy: PreparedPolicy = {
      source,
      type,
      compiled: compilePolicy(source.document, `p${prepared.length}`),
      spans: statementPositions(source.text),
    }
    prepared.push(policy)
    return policy
  }
  const identity = input.identity.map((d) => prepare(d, 'IAM Policy'))
  const boundary =
    input.boundary === null ? null : prepare(input.boundary, 'Permissions Boundary Policy')
  const resourcePolicy =
    input.resourcePolicy === null ? null : prepare(input.resourcePolicy, 'Resource Policy')

  const byLabel = new Map<string, { policy: PreparedPolicy; statement: CompiledStatement }[]>()
  for (const policy of prepared) {
    for (const statement of policy.compiled.statements) {
      const list = byLabel.get(statement.label)
      // A Sid such as "1" can give two statements of one policy the same label.
      if (list === undefined) byLabel.set(statement.label, [{ policy, statement }])
      else list.push({ policy, statement })
    }
  }
  const referenced = new Map<string, string>()
  for (const policy of prepared) {
    for (const name of contextKeyNames(policy.source.document)) {
      if (!referenced.has(name.toLowerCase())) referenced.set(name.toLowerCase(), name)
    }
  }

  const set = buildPolicySet({
    identity: identity.map((p) => p.compiled),
    resource: resourcePolicy?.compiled ?? null,
    resourcePolicyKind: 'generic',
    permissionsBoundary: boundary?.compiled ?? null,
    session: null,
    scps: null,
    rcps: null,
  })
  const hasBoundary = boundary !== null
  // With no caller the principal only carries the account: nothing matches it by name.
  const principal: RequestPrincipal = input.caller ?? {
    type: 'User',
    arn: `arn:aws:iam::${input.account}:user/`,
    account: input.account,
  }
  const onlyGiven = input.caller === null ? givenKeysOnly(input.context) : null

  const matchedStatements = (
    request: AuthorizationRequest,
    labels: readonly string[],
    decision: EvalDecision,
  ): MatchedStatement[] => {
    const out: MatchedStatement[] = []
    const seen = new Set<CompiledStatement>()
    for (const label of labels) {
      for (const { policy, statement } of byLabel.get(label) ?? []) {
        if (seen.has(statement)) continue
        // An allow is explained by the grants; the boundary has its own member (the API
        // reference's same-account example lists the identity statement alone).
        if (decision === 'allowed' && policy === boundary) continue
        if (!statement.matchesAction(request.actionKey, request.service)) continue
        if (!applies(statement, request, decision === 'explicitDeny' && hasBoundary)) continue
        seen.add(statement)
        const span = policy.spans[statement.source.index]
        out.push({
          sourcePolicyId: policy.source.id,
          sourcePolicyType: policy.type,
          start: span?.start,
          end: span?.end,
        })
      }
    }
    return out
  }

  return {
    run(action, resource) {
      const resourceAccount = accountOf(resource) ?? input.resourceOwner ?? input.account
      const built = buildRequest({
        principal,
        action,
        resource,
        resourceAccount,
        context: input.context,
      })
      const request: AuthorizationRequest =
        onlyGiven === null ? built : { ...built, context: onlyGiven }
      const outcome = evaluate(request, set)
      const decision = DECISIONS[outcome.decision]
      const missing: string[] = []
      for (const [lower, name] of referenced) if (!request.context.has(lower)) missing.push(name)

      let decisionDetails: Map<SimulationPolicyType, EvalDecision> | null = null
      if (resourceAccount !== principal.account) {
        decisionDetails = new Map([['IAM Policy', alone(identity, request, hasBoundary)]])
        if (resourcePolicy !== null) {
          decisionDetails.set('Resource Policy', alone([resourcePolicy], request, hasBoundary))
        }
        if (boundary !== null) {
          decisionDetails.set(
            'Permissions Boundary Policy',
            alone([boundary], request, hasBoundary),
          )
        }
      } else if (resource !== '*') decisionDetails = new Map()

      return {
        action,
        resource,
        decision,
        matched:
          decision === 'implicitDeny' ? [] : matchedStatements(request, outcome.matched, decision),
        missingContextValues: missing,
        allowedByBoundary:
          boundary === null ? null : alone([boundary], request, hasBoundary) === 'allowed',
        decisionDetails,
      }
    },
  }
}
