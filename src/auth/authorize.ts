/**
 * The authorization step: may this caller perform this action on this resource? The caller's
 * policies are read in the request's transaction and evaluated by the policy engine, which gives
 * the decision and, for a denial, AWS's AccessDenied message.
 *
 * What is evaluated depends on the caller: an IAM user's policies and boundary; a role session's
 * role policies, role boundary and session policies; a federated user's IAM user policies and
 * session policies; the root user's nothing (it may do anything in its account). Credentials from
 * GetScopedCredentials bring their scope-down policies besides, each of which must allow. Where the
 * resource is a role and the action one of STS's role-assumption actions, the role's trust
 * policy is the resource-based policy, which must allow explicitly (S2).
 */
import { buildPolicySet, buildRequest, evaluate } from '../policy/index.js'
import type {
  CompiledPolicy,
  ContextValue,
  Decision,
  PolicySet,
  ResourcePolicyKind,
} from '../policy/index.js'
import type { StoreTx, Tag, User } from '../store/store.js'
import type { AuthCache, PrincipalPolicies } from './auth-cache.js'
import type { Caller } from './caller.js'
import { principalOf, sessionOf } from './caller.js'
import { buildContextKeys } from './context-keys.js'
import type { RequestFacts, SessionFacts } from './context-keys.js'
import { loadRolePolicies, loadUserPolicies } from './identity-policies.js'
import type { LabelledDocument } from './identity-policies.js'
import type { PolicyCompiler } from './policy-compiler.js'
import { parseRoleArn } from './role-by-arn.js'

/** One authorization question. */
export interface AuthorizeInput {
  readonly caller: Caller
  /** E.g. `iam:CreateUser`. */
  readonly action: string
  /** The resource's ARN, or `*`. */
  readonly resource: string
  /** What the request tells about itself, for the global condition keys. */
  readonly facts: RequestFacts
  /** The operation's own condition keys. */
  readonly conditionKeys?: Readonly<Record<string, ContextValue>>
  /**
   * The resource's own resource-based policy, where the operation supplies one (not a role's
   * trust policy, which is read here): its JSON and its label.
   */
  readonly resourcePolicy?: { readonly document: string; readonly label: string } | null
}

/** The caller's side of the evaluation. */
interface ResourceTarget {
  readonly policy: CompiledPolicy | null
  readonly kind: ResourcePolicyKind
  readonly account: string
  /** The resource's condition keys (aws:ResourceTag/*). */
  readonly keys: Readonly<Record<string, ContextValue>>
}

const ALLOW: Decision = { decision: 'allow', matched: [] }

// Whoever federates as the root user passes on the root user's full access, which no stored
// policy says; this one says it, so that the session policies cut it down like a user's.
const ROOT_ACCESS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
})

// The actions whose resource-based policy is the trust policy of the role they name.
const TRUST_ACTIONS: ReadonlySet<string> = new Set([
  'sts:assumerole',
  'sts:tagsession',
  'sts:setsourceidentity',
])

/**
 * Session tags override the entity's tags of the same key, whatever its case ("New session tags
 * override existing assumed role or federated user tags with the same tag key, regardless of
 * case", iam-guide id_session-tags).
 */
export function mergePrincipalTags(base: readonly Tag[], session: readonly Tag[]): Tag[] {
  const overridden = new Set(session.map((t) => t.key.toLowerCase()))
  return [...base.filter((t) => !overridden.has(t.key.toLowerCase())), ...session]
}

/** The principal's own policies compiled, with the policy set of them alone. */
function compiled(
  compiler: PolicyCompiler,
  identity: readonly LabelledDocument[],
  boundary: LabelledDocument | null,
  tags: readonly Tag[],
): PrincipalPolicies {
  const compiledIdentity = identity.map((p) => compiler.compile(p.document, 'identity', p.label))
  const compiledBoundary =
    boundary === null ? null : compiler.compile(boundary.document, 'boundary', boundary.label)
  return {
    identity: compiledIdentity,
    boundary: compiledBoundary,
    tags,
    set: policySet(compiledIdentity, compiledBoundary, null, null, 'generic'),
  }
}

function policySet(
  identity: readonly CompiledPolicy[],
  boundary: CompiledPolicy | null,
  session: readonly CompiledPolicy[] | null,
  resource: CompiledPolicy | null,
  kind: ResourcePolicyKind,
  scopeDown: readonly (readonly CompiledPolicy[])[] | null = null,
): PolicySet {
  return buildPolicySet({
    identity,
    resource,
    resourcePolicyKind: kind,
    permissionsBoundary: boundary,
    session,
    scps: null,
    rcps: null,
    scopeDown,
  })
}

/**
 * Policy sets of a principal's own policies beside one resource policy (a role's trust policy,
 * most often), kept for each pair as the auth cache keeps `principal.set` for the principal: an
 * AssumeRole otherwise built the set, and indexed the action it asks for, on every call. Keyed
 * by the objects themselves, so that a pair lives no longer than the compiler keeps the policy
 * and the auth cache the principal; a policy changed or a principal's policies read again are
 * new objects, and a new pair.
 */
const KEPT_RESOURCE_SETS = new Map<
  ResourcePolicyKind,
  WeakMap<CompiledPolicy, WeakMap<PrincipalPolicies, PolicySet>>
>()

function keptResourceSet(
  principal: PrincipalPolicies,
  resource: CompiledPolicy,
  kind: ResourcePolicyKind,
): PolicySet {
  let byPolicy = KEPT_RESOURCE_SETS.get(kind)
  if (byPolicy === undefined) {
    byPolicy = new WeakMap()
    KEPT_RESOURCE_SETS.set(kind, byPolicy)
  }
  let byPrincipal = byPolicy.get(resource)
  if (byPrincipal === undefined) {
    byPrincipal = new WeakMap()
    byPolicy.set(resource, byPrincipal)
  }
  let set = byPrincipal.get(principal)
  if (set === undefined) {
    set = policySet(principal.identity, principal.boundary, null, resource, kind)
    byPrincipal.set(principal, set)
  }
  return set
}

/** The auth cache's key for the caller's own policies. */
function policiesKey(caller: Caller): string {
  switch (caller.kind) {
    case 'root':
    case 'rootSession':
      return 'root'
    case 'user':
    case 'userSession':
      return `user:${caller.user.userId}`
    case 'assumedRole':
      return `role:${caller.role.roleId}`
    case 'federatedUser':
      return caller.user === null ? 'root-federation' : `user:${caller.user.userId}`
  }
}

/**
 * The caller's own policies (the user's, the role's, or none for the root user), read in `tx`
 * and compiled. Session policies and session tags come with each request's token.
 */
async function loadPrincipalPolicies(
  tx: StoreTx,
  compiler: PolicyCompiler,
  caller: Caller,
): Promise<PrincipalPolicies> {
  switch (caller.kind) {
    // The root user has no policies of its own: the engine allows it within its account.
    case 'root':
    case 'rootSession':
      return compiled(compiler, [], null, [])
    case 'user':
    case 'userSession':
      return loadUserPolicyDocuments(tx, compiler, caller.user)
    case 'assumedRole': {
      const policies = await loadRolePolicies(tx, caller.role)
      return compiled(compiler, policies.identity, policies.boundary, policies.tags)
    }
    case 'federatedUser':
      if (caller.user === null) {
        return compiled(compiler, [{ document: ROOT_ACCESS, label: 'root' }], null, [])
      }
      return loadUserPolicyDocuments(tx, compiler, caller.user)
  }
}

async function loadUserPolicyDocuments(
  tx: StoreTx,
  compiler: PolicyCompiler,
  user: User,
): Promise<PrincipalPolicies> {
  const policies = await loadUserPolicies(tx, user)
  return compiled(compiler, policies.identity, policies.boundary, policies.tags)
}

/** The session policies of a role session or federated user, compiled; null for others. */
function sessionPolicies(compiler: PolicyCompiler, caller: Caller): CompiledPolicy[] | null {
  if (caller.kind !== 'assumedRole' && caller.kind !== 'federatedUser') return null
  return (
    caller.session.policies?.map((p) => compiler.compile(p.document, 'session', p.label)) ?? null
  )
}

/**
 * The scope-down policies of credentials from GetScopedCredentials, compiled, one level for each
 * call that passed a policy; null for other credentials.
 */
function scopeDownPolicies(compiler: PolicyCompiler, caller: Caller): CompiledPolicy[][] | null {
  const layers = sessionOf(caller)?.scopeDown
  if (layers === undefined || layers.length === 0) return null
  return layers.map((p) => [compiler.compile(p.document, 'session', p.label)])
}

// The condition keys of a resource that has none.
const NO_KEYS: Readonly<Record<string, ContextValue>> = Object.freeze({})

/** The role a role-assumption action names, with its trust policy and tags. */
async function loadTrustTarget(
  tx: StoreTx,
  compiler: PolicyCompiler,
  cache: AuthCache,
  resource: string,
  caller: Caller,
): Promise<ResourceTarget> {
  const account = parseRoleArn(resource)?.account ?? caller.accountId
  const role = await cache.roleByArn(resource, tx)
  if (role === undefined) return { policy: null, kind: 'roleTrust', account, keys: NO_KEYS }
  // The role's tags are aws:ResourceTag/* (and iam:ResourceTag/*) to the trust policy.
  const keys = await cache.resourceTags(role.arn, tx)
  return {
    policy: compiler.compile(role.assumeRolePolicyDocument, 'trust', `role/${role.name}:trust`),
    kind: 'roleTrust',
    account,
    keys,
  }
}

/**
 * The actions a request is authorized as besides its own: AssumeRole and GetFederationToken with
 * session tags are also sts:TagSession, AssumeRole with a source identity also
 * sts:SetSourceIdentity (iam-guide id_session-tags, id_credentials_temp_control-access_monitor).
 */
export function impliedActions(
  action: string,
  keys: Readonly<Record<string, ContextValue>>,
): string[] {
  const lower = action.toLowerCase()
  const implied: string[] = []
  const tagKeys = keys['aws:TagKeys']
  const tagged = Array.isArray(tagKeys) && tagKeys.length > 0
  if ((lower === 'sts:assumerole' || lower === 'sts:getfederationtoken') && tagged) {
    implied.push('sts:TagSession')
  }
  if (lower === 'sts:assumerole' && keys['sts:SourceIdentity'] !== undefined) {
    implied.push('sts:SetSourceIdentity')
  }
  return implied
}

/** The request's own keys, with what a caller's session carries into the sessions it makes. */
function requestKeys(
  caller: Caller,
  lowerAction: string,
  keys: Readonly<Record<string, ContextValue>>,
): Readonly<Record<string, ContextValue>> {
  const inherited = sessionOf(caller)?.sourceIdentity ?? null
  // A source identity, once set, passes on to every session of the chain.
  if (
    lowerAction === 'sts:assumerole' &&
    inherited !== null &&
    keys['sts:SourceIdentity'] === undefined
  ) {
    return { ...keys, 'sts:SourceIdentity': inherited }
  }
  return keys
}

function sessionFacts(caller: Caller): SessionFacts | undefined {
  const session = sessionOf(caller)
  if (session === undefined) return undefined
  return {
    issuedAt: session.issuedAt,
    mfa: session.mfa,
    sourceIdentity: session.sourceIdentity,
    federatedProvider: session.federatedProvider,
  }
}

/**
 * Evaluates one authorization question for a caller, reading its policies in `tx`: the action
 * itself, then each action it implies; the first denial is the answer.
 */
export async function authorize(
  tx: StoreTx,
  compiler: PolicyCompiler,
  cache: AuthCache,
  input: AuthorizeInput,
): Promise<Decision> {
  const { caller, action, resource } = input
  const lowerAction = action.toLowerCase()
  // "No permissions are required ... You cannot use policies to control authentication
  // operations" (STS API reference, GetSessionToken).
  if (lowerAction === 'sts:getsessiontoken') return ALLOW
  // Kept policies are taken without waiting: most requests then wait for nothing here.
  const key = policiesKey(caller)
  const principal =
    cache.keptPrincipalPolicies(key) ??
    (await cache.principalPolicies(key, tx, (t) => loadPrincipalPolicies(t, compiler, caller)))
  const session = sessionPolicies(compiler, caller)
  const scopeDown = scopeDownPolicies(compiler, caller)
  const tags =
    caller.kind === 'assumedRole' || caller.kind === 'federatedUser'
      ? mergePrincipalTags(principal.tags, caller.session.tags)
      : principal.tags
  const loaded: ResourceTarget = TRUST_ACTIONS.has(lowerAction)
    ? await loadTrustTarget(tx, compiler, cache, resource, caller)
    : { policy: null, kind: 'generic', account: caller.accountId, keys: NO_KEYS }
  const own = input.resourcePolicy
  const target =
    own === undefined || own === null || loaded.kind !== 'generic'
      ? loaded
      : { ...loaded, policy: compiler.compile(own.document, 'resource', own.label) }
  const keys = requestKeys(caller, lowerAction, input.conditionKeys ?? {})
  const context = buildContextKeys(
    input.facts,
    tags,
    sessionFacts(caller),
    target.keys === NO_KEYS ? keys : { ...target.keys, ...keys },
  )
  // Most requests evaluate the principal's own policies alone: their set, built once, is kept;
  // so is the set of those beside a resource policy, for callers without session policies.
  const set =
    session === null && scopeDown === null && target.policy === null && target.kind === 'generic'
      ? principal.set
      : session === null && scopeDown === null && target.policy !== null
        ? keptResourceSet(principal, target.policy, target.kind)
        : policySet(
            principal.identity,
            principal.boundary,
            session,
            target.policy,
            target.kind,
            scopeDown,
          )
  let decision: Decision = ALLOW
  for (const asked of [action, ...impliedActions(action, keys)]) {
    const request = buildRequest({
      principal: principalOf(caller),
      action: asked,
      resource,
      resourceAccount: target.account,
      context,
    })
    decision = evaluate(request, set)
    if (decision.decision !== 'allow') return decision
  }
  return decision
}
