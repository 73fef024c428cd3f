/**
 * evaluate: the decision over every policy type, as AWS's enforcement code makes it (S2, S4;
 * spec 3.2-3.7). Explicit deny anywhere wins; then RCP and SCP levels must allow; then the
 * grants: resource-based policy, identity policies, permissions boundary, session policy, with
 * the rules on which grants a boundary or session policy limits. Pure: no I/O, no clock.
 */
import type { CompiledPolicy, CompiledStatement } from './compile-policy.js'
import type { DeniedBy } from './denial-message.js'
import { denialMessage } from './denial-message.js'
import type { GrantKind } from './principal-matcher.js'
import { matchPrincipal, notPrincipalExcludes } from './principal-matcher.js'
import type { AuthorizationRequest } from './request-context.js'

/** How the resource-based policy must be read (S2: trust and key policies must allow explicitly). */
export type ResourcePolicyKind = 'generic' | 'roleTrust' | 'kmsKey'

/** Every policy that bears on one request, compiled. */
export interface PolicySet {
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

const SESSION_ISSUING_TYPES = new Set(['User', 'AssumedRole', 'FederatedUser', 'Account'])

/** Whether a statement applies to the request (its principal, action, resource and conditions). */
function applies(
  statement: CompiledStatement,
  request: AuthorizationRequest,
  hasBoundary: boolean,
): boolean {
  if (!statement.matchesAction(request.actionKey)) return false
  if (!statement.matchesResource(request)) return false
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
  for (const condition of statement.conditions) if (!condition(request)) return false
  return true
}

/** Collects the deny statements of a policy that apply; returns how many were found. */
function collectDenies(
  policy: CompiledPolicy,
  request: AuthorizationRequest,
  hasBoundary: boolean,
  out: string[],
): number {
  let found = 0
  for (const statement of policy.deniesFor(request.service)) {
    if (applies(statement, request, hasBoundary)) {
      out.push(statement.label)
      found++
    }
  }
  return found
}

/** Collects the allow statements of some policies that apply; true when any does. */
function collectAllows(
  policies: readonly CompiledPolicy[],
  request: AuthorizationRequest,
  out: string[],
): boolean {
  let found = false
  for (const policy of policies) {
    for (const statement of policy.allowsFor(request.service)) {
      if (applies(statement, request, false)) {
        out.push(statement.label)
        found = true
      }
    }
  }
  return found
}

/** Whether every level has an applicable Allow (SCP and RCP inheritance, S23, S24). */
function everyLevelAllows(
  levels: readonly (readonly CompiledPolicy[])[],
  request: AuthorizationRequest,
): boolean {
  for (const level of levels) {
    let allowed = false
    for (const policy of level) {
      for (const statement of policy.allowsFor(request.service)) {
        if (applies(statement, request, false)) {
          allowed = true
          break
        }
      }
      if (allowed) break
    }
    if (!allowed) return false
  }
  return true
}

/** The strongest way the resource policy's applicable Allow statements name the caller. */
interface ResourceGrants {
  direct: boolean
  viaRoleOrUser: boolean
  account: boolean
  labels: string[]
}

function resourceGrants(
  policy: CompiledPolicy | null,
  request: AuthorizationRequest,
): ResourceGrants {
  const grants: ResourceGrants = { direct: false, viaRoleOrUser: false, account: false, labels: [] }
  if (policy === null) return grants
  for (const statement of policy.allowsFor(request.service)) {
    if (statement.principal === null) continue
    if (!statement.matchesAction(request.actionKey) || !statement.matchesResource(request)) continue
    const kind: GrantKind | null = matchPrincipal(statement.principal, request.principal)
    if (kind === null) continue
    let holds = true
    for (const condition of statement.conditions) {
      if (!condition(request)) {
        holds = false
        break
      }
    }
    if (!holds) continue
    grants.labels.push(statement.label)
    if (kind === 'direct' || kind === 'wildcard') grants.direct = true
    else if (kind === 'role' || kind === 'federatingUser') grants.viaRoleOrUser = true
    else grants.account = true
  }
  return grants
}

function isServiceLinkedRole(request: AuthorizationRequest): boolean {
  return request.principal.roleArn?.includes(':role/aws-service-role/') ?? false
}

/** Decides one request against its policy set. */
export function evaluate(request: AuthorizationRequest, set: PolicySet): Decision {
  const principal = request.principal
  // "No permissions are required to perform this operation", even against an explicit deny (S25).
  if (request.actionKey === 'sts:getcalleridentity' && principal.type !== 'Anonymous') {
    return { decision: 'allow', matched: [] }
  }
  const deny = (explicit: boolean, deniedBy: DeniedBy, matched: readonly string[]): Decision => ({
    decision: explicit ? 'explicit_deny' : 'implicit_deny',
    deniedBy,
    message: denialMessage(principal.arn, request.action, request.resource, explicit, deniedBy),
    matched,
  })

  const organization = request.organization
  const resourceAccount = request.resourceAccount ?? principal.account
  const scps =
    set.scps !== null &&
    principal.account !== null &&
    SESSION_ISSUING_TYPES.has(principal.type) &&
    organization?.managementAccount !== principal.account &&
    !isServiceLinkedRole(request)
      ? set.scps
      : null
  const rcps =
    set.rcps !== null &&
    (organization?.managementAccount === undefined ||
      organization.managementAccount !== resourceAccount)
      ? set.rcps
      : null
  const hasBoundary = set.permissionsBoundary !== null
  const resourceType: DeniedBy = set.resourcePolicyKind === 'roleTrust' ? 'roleTrust' : 'resource'
  const signed = SESSION_ISSUING_TYPES.has(principal.type)

  // 1. Explicit deny anywhere wins. The message names the first type in S2's listing order.
  const denied: string[] = []
  let deniedBy: DeniedBy | null = null
  const noteDenies = (policies: readonly CompiledPolicy[], type: DeniedBy): void => {
    for (const policy of policies) {
      if (collectDenies(policy, request, hasBoundary, denied) > 0 && deniedBy === null) {
        deniedBy = type
      }
    }
  }
  if (scps !== null) for (const level of scps) noteDenies(level, 'scp')
  if (rcps !== null) for (const level of rcps) noteDenies(level, 'rcp')
  if (set.resource !== null) noteDenies([set.resource], resourceType)
  if (signed) {
    noteDenies(set.identity, 'identity')
    if (set.permissionsBoundary !== null) noteDenies([set.permissionsBoundary], 'boundary')
    if (set.session !== null) noteDenies(set.session, 'session')
  }
  if (deniedBy !== null) return deny(true, deniedBy, denied)

  // 2-3. Every RCP level and every SCP level must allow.
  if (rcps !== null && !everyLevelAllows(rcps, request)) return deny(false, 'rcp', [])
  if (scps !== null && !everyLevelAllows(scps, request)) return deny(false, 'scp', [])

  // 4. The resource-based policy.
  const grants = resourceGrants(set.resource, request)
  if (!signed) {
    // Anonymous callers, services and web-identity callers have no identity policies.
    return grants.direct
      ? { decision: 'allow', matched: grants.labels }
      : deny(false, resourceType, [])
  }
  const sameAccount = resourceAccount === principal.account
  const anyGrant = grants.direct || grants.viaRoleOrUser || grants.account
  const mustAllowExplicitly = !sameAccount || set.resourcePolicyKind !== 'generic'
  if (mustAllowExplicitly && !anyGrant) return deny(false, resourceType, [])
  if (principal.type === 'Account') {
    // The root user has full access in its own account, and can have no identity policies.
    return { decision: 'allow', matched: grants.labels }
  }
  // Direct grants in the same account are limited by nothing but explicit denies (S2), except
  // that a user named in a role trust policy still needs its boundary to allow sts:AssumeRole
  // (id_roles_update-role-trust-policy.html).
  if (sameAccount && grants.direct) {
    if (set.resourcePolicyKind === 'roleTrust' && set.permissionsBoundary !== null) {
      const boundaryMatched: string[] = []
      if (!collectAllows([set.permissionsBoundary], request, boundaryMatched)) {
        return deny(false, 'boundary', [])
      }
      return { decision: 'allow', matched: [...grants.labels, ...boundaryMatched] }
    }
    return { decision: 'allow', matched: grants.labels }
  }

  // 5-7. Identity policies, the permissions boundary, session policies.
  const matched: string[] = []
  const boundaryAllows =
    set.permissionsBoundary === null || collectAllows([set.permissionsBoundary], request, matched)
  const sessionAllows =
    principal.type === 'FederatedUser'
      ? set.session !== null && collectAllows(set.session, request, matched)
      : principal.type !== 'AssumedRole' ||
        set.session === null ||
        collectAllows(set.session, request, matched)
  if (sameAccount && grants.viaRoleOrUser) {
    // Grants to the role ARN or to the user who federated are limited by boundary and session policy.
    if (boundaryAllows && sessionAllows) {
      return { decision: 'allow', matched: [...grants.labels, ...matched] }
    }
  }
  const identityAllows = collectAllows(set.identity, request, matched)
  if (!identityAllows) {
    if (sameAccount && grants.viaRoleOrUser) {
      return deny(false, boundaryAllows ? 'session' : 'boundary', [])
    }
    return deny(false, 'identity', [])
  }
  if (!boundaryAllows) return deny(false, 'boundary', [])
  if (!sessionAllows) return deny(false, 'session', [])
  return { decision: 'allow', matched: sameAccount ? matched : [...grants.labels, ...matched] }
}
