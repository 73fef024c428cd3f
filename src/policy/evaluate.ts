/**
 * evaluate: the decision over every policy type, as AWS's enforcement code makes it (S2, S4;
 * spec 3.2-3.7). Explicit deny anywhere wins; then RCP and SCP levels must allow; then the
 * grants: resource-based policy, identity policies, permissions boundary, session policy, with
 * the rules on which grants a boundary or session policy limits; last, each scope-down policy of
 * the session (GetScopedCredentials) must allow too. Pure: no I/O, no clock.
 */
import { ActionIndex } from './action-index.js'
import type { CompiledPolicy, CompiledStatement } from './compile-policy.js'
import type { DeniedBy } from './denial-message.js'
import { denialMessage } from './denial-message.js'
import { matchPrincipal, notPrincipalExcludes } from './principal-matcher.js'
import { matchResourceElement } from './resource-matcher.js'
import type { AuthorizationRequest, PrincipalType } from './request-context.js'

/** How the resource-based policy must be read (S2: trust and key policies must allow explicitly). */
export type ResourcePolicyKind = 'generic' | 'roleTrust' | 'kmsKey'

/** Every policy that bears on one request, compiled. */
export interface PolicySetInput {
  /** The caller's identity policies (user, group and attached policies; a session's role policies). */
  readonly identity: readonly CompiledPolicy[]
  /** The target's resource-based policy, or null. */
  readonly resource: CompiledPolicy | null
  readonly resourcePolicyKind: ResourcePolicyKind
  /** The caller's permissions boundary, or null. */
  readonly permissionsBoundary: CompiledPolicy | null
  /** Session policies passed when the session was made (inline and managed), or null when none was passed. */
  readonly session: readonly CompiledPolicy[] | null
  /** SCPs on the caller account's path, one list per level (root, OUs, account), or null. */
  readonly scps: readonly (readonly CompiledPolicy[])[] | null
  /** RCPs on the resource account's path, one list per level, or null. */
  readonly rcps: readonly (readonly CompiledPolicy[])[] | null
  /**
   * The scope-down policies of credentials from GetScopedCredentials, one list per call of the
   * chain (oldest first): an explicit deny in any denies, and every list must allow, whatever
   * else grants the request. Absent or null: none.
   */
  readonly scopeDown?: readonly (readonly CompiledPolicy[])[] | null
}

/** The statements of a whole policy set that can apply to one action, by policy type and effect. */
export interface PolicySetView {
  readonly scpDenies: readonly CompiledStatement[]
  readonly scpLevels: readonly (readonly CompiledStatement[])[]
  readonly rcpDenies: readonly CompiledStatement[]
  readonly rcpLevels: readonly (readonly CompiledStatement[])[]
  readonly resourceDenies: readonly CompiledStatement[]
  readonly resourceAllows: readonly CompiledStatement[]
  readonly identityDenies: readonly CompiledStatement[]
  readonly identityAllows: readonly CompiledStatement[]
  readonly boundaryDenies: readonly CompiledStatement[]
  readonly boundaryAllows: readonly CompiledStatement[]
  readonly sessionDenies: readonly CompiledStatement[]
  readonly sessionAllows: readonly CompiledStatement[]
  readonly scopeDownDenies: readonly CompiledStatement[]
  readonly scopeDownLevels: readonly (readonly CompiledStatement[])[]
}

/** A policy set ready for evaluation, with its statements indexed by action. */
export interface PolicySet extends PolicySetInput {
  readonly forAction: (request: AuthorizationRequest) => PolicySetView
}

/** The outcome. */
export type DecisionKind = 'allow' | 'explicit_deny' | 'implicit_deny'

/** A decision with its explanation. */
export interface Decision {
  readonly decision: DecisionKind
  /** For denials: the policy type the AccessDenied message names. */
  readonly deniedBy?: DeniedBy
  /** For denials: AWS's AccessDenied message. */
  readonly message?: string
  /** The statements that decided: the denying statements, or the allowing ones. */
  readonly matched: readonly string[]
}

/** Builds a policy set; its action index fills in as actions are asked about. */
export function buildPolicySet(input: PolicySetInput): PolicySet {
  const denies = (policies: readonly CompiledPolicy[], request: AuthorizationRequest) =>
    policies.flatMap((p) => p.forAction(request).denies)
  const allows = (policies: readonly CompiledPolicy[], request: AuthorizationRequest) =>
    policies.flatMap((p) => p.forAction(request).allows)
  const one = (policy: CompiledPolicy | null) => (policy === null ? [] : [policy])
  const index = new ActionIndex<PolicySetView>(
    (request) => {
      return {
        scpDenies: denies((input.scps ?? []).flat(), request),
        scpLevels: (input.scps ?? []).map((level) => allows(level, request)),
        rcpDenies: denies((input.rcps ?? []).flat(), request),
        rcpLevels: (input.rcps ?? []).map((level) => allows(level, request)),
        resourceDenies: denies(one(input.resource), request),
        resourceAllows: allows(one(input.resource), request),
        identityDenies: denies(input.identity, request),
        identityAllows: allows(input.identity, request),
        boundaryDenies: denies(one(input.permissionsBoundary), request),
        boundaryAllows: allows(one(input.permissionsBoundary), request),
        sessionDenies: denies(input.session ?? [], request),
        sessionAllows: allows(input.session ?? [], request),
        scopeDownDenies: denies((input.scopeDown ?? []).flat(), request),
        scopeDownLevels: (input.scopeDown ?? []).map((level) => allows(level, request)),
      }
    },
    (view) => {
      let weight = 0
      for (const list of Object.values(view) as (readonly unknown[])[]) weight += list.length
      for (const level of [...view.scpLevels, ...view.rcpLevels, ...view.scopeDownLevels]) {
        weight += level.length
      }
      return weight
    },
  )
  const forAction = (request: AuthorizationRequest): PolicySetView => index.lookup(request)
  return { ...input, forAction }
}

/** Callers that sign with credentials of an account: they have identity policies and SCPs. */
function isSigned(type: PrincipalType): boolean {
  return type === 'User' || type === 'AssumedRole' || type === 'FederatedUser' || type === 'Account'
}

function matchesResource(statement: CompiledStatement, request: AuthorizationRequest): boolean {
  const element = statement.resource
  if (element === null) return true
  return matchResourceElement(element, request) !== statement.resourceNegated
}

function conditionsHold(statement: CompiledStatement, request: AuthorizationRequest): boolean {
  const conditions = statement.conditions
  for (let i = 0; i < conditions.length; i++) if (!conditions[i]!(request)) return false
  return true
}

/**
 * Whether a statement (its action already matched by the index) applies to the request. Exported
 * for the policy simulator, which reports each policy type's own verdict with the same test.
 */
export function applies(
  statement: CompiledStatement,
  request: AuthorizationRequest,
  hasBoundary: boolean,
): boolean {
  if (!matchesResource(statement, request)) return false
  if (statement.namesPrincipals) {
    if (statement.principal !== null) {
      if (matchPrincipal(statement.principal, request.principal) === null) return false
    } else if (statement.notPrincipal !== null) {
      // NotPrincipal with Deny always denies a principal that has a permissions boundary (S9).
      if (!hasBoundary && notPrincipalExcludes(statement.notPrincipal, request.principal)) {
        return false
      }
    } else return false // a resource policy statement without a principal names nobody
  }
  return conditionsHold(statement, request)
}

/** Appends the labels of the statements that apply; returns whether any did. */
function collect(
  statements: readonly CompiledStatement[],
  request: AuthorizationRequest,
  hasBoundary: boolean,
  out: string[],
): boolean {
  // Indexed loops: the hot path avoids the iterator protocol.
  let found = false
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!
    if (applies(statement, request, hasBoundary)) {
      out.push(statement.label)
      found = true
    }
  }
  return found
}

function anyApplies(
  statements: readonly CompiledStatement[],
  request: AuthorizationRequest,
): boolean {
  for (let i = 0; i < statements.length; i++)
    if (applies(statements[i]!, request, false)) return true
  return false
}

/** Whether every level has an applicable Allow (SCP and RCP inheritance, S23, S24). */
function everyLevelAllows(
  levels: readonly (readonly CompiledStatement[])[],
  request: AuthorizationRequest,
): boolean {
  for (let i = 0; i < levels.length; i++) if (!anyApplies(levels[i]!, request)) return false
  return true
}

/** How the resource policy's applicable Allow statements name the caller. */
interface ResourceGrants {
  readonly direct: boolean
  readonly viaRoleOrUser: boolean
  readonly account: boolean
  readonly labels: readonly string[]
}

const NO_GRANTS: ResourceGrants = {
  direct: false,
  viaRoleOrUser: false,
  account: false,
  labels: [],
}

function resourceGrants(
  statements: readonly CompiledStatement[],
  request: AuthorizationRequest,
): ResourceGrants {
  let direct = false
  let viaRoleOrUser = false
  let account = false
  let labels: string[] | null = null
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!
    if (statement.principal === null || !matchesResource(statement, request)) continue
    const kind = matchPrincipal(statement.principal, request.principal)
    if (kind === null || !conditionsHold(statement, request)) continue
    ;(labels ??= []).push(statement.label)
    if (kind === 'direct' || kind === 'wildcard') direct = true
    else if (kind === 'role' || kind === 'federatingUser') viaRoleOrUser = true
    else account = true
  }
  return labels === null ? NO_GRANTS : { direct, viaRoleOrUser, account, labels }
}

function deny(
  request: AuthorizationRequest,
  explicit: boolean,
  deniedBy: DeniedBy,
  matched: readonly string[],
): Decision {
  return {
    decision: explicit ? 'explicit_deny' : 'implicit_deny',
    deniedBy,
    message: denialMessage(
      request.principal.arn,
      request.action,
      request.resource,
      explicit,
      deniedBy,
    ),
    matched,
  }
}

/** Two label lists in one; a plain loop, since Array#concat is a slow builtin call here. */
function joinLabels(first: readonly string[], second: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < first.length; i++) out.push(first[i]!)
  for (let i = 0; i < second.length; i++) out.push(second[i]!)
  return out
}

function allow(matched: readonly string[]): Decision {
  return { decision: 'allow', matched }
}

/** Decides one request against its policy set. */
export function evaluate(request: AuthorizationRequest, set: PolicySet): Decision {
  // "No permissions are required to perform this operation", even against an explicit deny (S25).
  if (request.actionKey === 'sts:getcalleridentity' && isSigned(request.principal.type)) {
    return allow([])
  }
  const view = set.forAction(request)
  const decision = decide(request, set, view)
  if (decision.decision !== 'allow' || view.scopeDownLevels.length === 0) return decision
  // Scope-down policies cut down whatever granted the request, a direct grant of a resource
  // policy and the root user's own access included: the resulting credentials "can never have
  // more permissions" than each of them allows (id_credentials_temp_control-access_
  // getscopedcredentials). Their denies were weighed with every other deny.
  const matched: string[] = []
  for (const level of view.scopeDownLevels) {
    if (!collect(level, request, false, matched)) {
      return deny(request, false, 'session', [])
    }
  }
  return allow(joinLabels(decision.matched, matched))
}

/** The decision before scope-down policies are asked to allow. */
function decide(request: AuthorizationRequest, set: PolicySet, view: PolicySetView): Decision {
  const principal = request.principal
  const signed = isSigned(principal.type)
  const management = request.organization?.managementAccount
  const resourceAccount = request.resourceAccount ?? principal.account
  // SCPs bind the principals of member accounts, not the management account nor service-linked roles (S24).
  const scpsApply =
    set.scps !== null &&
    signed &&
    principal.account !== null &&
    management !== principal.account &&
    !request.serviceLinkedRole
  // RCPs bind the resources of member accounts, whoever calls (S23).
  const rcpsApply =
    set.rcps !== null && (management === undefined || management !== resourceAccount)
  const hasBoundary = set.permissionsBoundary !== null
  const resourceType: DeniedBy = set.resourcePolicyKind === 'roleTrust' ? 'roleTrust' : 'resource'

  // 1. Explicit deny anywhere wins. The message names the first type in S2's listing order.
  const denied: string[] = []
  let deniedBy: DeniedBy | null = null
  if (scpsApply && collect(view.scpDenies, request, hasBoundary, denied)) deniedBy = 'scp'
  if (rcpsApply && collect(view.rcpDenies, request, hasBoundary, denied)) deniedBy ??= 'rcp'
  if (collect(view.resourceDenies, request, hasBoundary, denied)) deniedBy ??= resourceType
  if (signed) {
    if (collect(view.identityDenies, request, hasBoundary, denied)) deniedBy ??= 'identity'
    if (collect(view.boundaryDenies, request, hasBoundary, denied)) deniedBy ??= 'boundary'
    if (collect(view.sessionDenies, request, hasBoundary, denied)) deniedBy ??= 'session'
    if (collect(view.scopeDownDenies, request, hasBoundary, denied)) deniedBy ??= 'session'
  }
  if (deniedBy !== null) return deny(request, true, deniedBy, denied)

  // 2-3. Every RCP level and every SCP level must allow.
  if (rcpsApply && !everyLevelAllows(view.rcpLevels, request))
    return deny(request, false, 'rcp', [])
  if (scpsApply && !everyLevelAllows(view.scpLevels, request))
    return deny(request, false, 'scp', [])

  // 4. The resource-based policy.
  const grants = resourceGrants(view.resourceAllows, request)
  if (!signed) {
    // Anonymous callers, services and web-identity callers have no identity policies.
    return grants.direct ? allow(grants.labels) : deny(request, false, resourceType, [])
  }
  const sameAccount = resourceAccount === principal.account
  const anyGrant = grants.direct || grants.viaRoleOrUser || grants.account
  const mustAllowExplicitly = !sameAccount || set.resourcePolicyKind !== 'generic'
  if (mustAllowExplicitly && !anyGrant) return deny(request, false, resourceType, [])
  // The root user has full access in its own account, and can have no identity policies.
  if (principal.type === 'Account') return allow(grants.labels)

  const matched: string[] = []
  const boundaryAllows = !hasBoundary || collect(view.boundaryAllows, request, false, matched)
  if (sameAccount && grants.direct) {
    // Direct grants in the same account are limited by nothing but explicit denies (S2), except
    // that a user named in a role trust policy still needs its boundary to allow sts:AssumeRole
    // (id_roles_update-role-trust-policy.html).
    if (set.resourcePolicyKind !== 'roleTrust' || !hasBoundary) return allow(grants.labels)
    return boundaryAllows
      ? allow(joinLabels(grants.labels, matched))
      : deny(request, false, 'boundary', [])
  }

  // 5-7. Identity policies, the permissions boundary, session policies.
  const sessionAllows =
    principal.type === 'FederatedUser'
      ? set.session !== null && collect(view.sessionAllows, request, false, matched)
      : principal.type !== 'AssumedRole' ||
        set.session === null ||
        collect(view.sessionAllows, request, false, matched)
  if (sameAccount && grants.viaRoleOrUser && boundaryAllows && sessionAllows) {
    // Grants to the role ARN or to the user who federated are limited by boundary and session policy.
    return allow(joinLabels(grants.labels, matched))
  }
  if (!collect(view.identityAllows, request, false, matched)) {
    if (sameAccount && grants.viaRoleOrUser) {
      return deny(request, false, boundaryAllows ? 'session' : 'boundary', [])
    }
    return deny(request, false, 'identity', [])
  }
  if (!boundaryAllows) return deny(request, false, 'boundary', [])
  if (!sessionAllows) return deny(request, false, 'session', [])
  return allow(sameAccount ? matched : joinLabels(grants.labels, matched))
}
