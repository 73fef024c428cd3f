/**
 * The authorization step: may this caller perform this action on this resource? The caller's
 * policies are read in the request's transaction and evaluated by the policy engine, which gives
 * the decision and, for a denial, AWS's AccessDenied message.
 */
import { buildPolicySet, buildRequest, evaluate } from '../policy/index.js'
import type { CompiledPolicy, ContextValue, Decision } from '../policy/index.js'
import type { StoreTx } from '../store/store.js'
import type { Caller } from './caller.js'
import { principalOf } from './caller.js'
import { buildContextKeys } from './context-keys.js'
import type { RequestFacts } from './context-keys.js'
import { loadUserPolicies } from './identity-policies.js'
import type { PolicyCompiler } from './policy-compiler.js'

/** One authorization question. */
export interface AuthorizeInput {
  readonly caller: Caller
  /** E.g. `iam:CreateUser`. */
  readonly action: string
  /** The resource's ARN, or `*`. */
  readonly resource: string
  /** What the request tells about itself, for the global condition keys. */
  readonly facts: Omit<RequestFacts, 'principalTags'>
  /** The operation's own condition keys. */
  readonly conditionKeys?: Readonly<Record<string, ContextValue>>
}

/** Evaluates one authorization question for a caller, reading its policies in `tx`. */
export async function authorize(
  tx: StoreTx,
  compiler: PolicyCompiler,
  input: AuthorizeInput,
): Promise<Decision> {
  const { caller } = input
  let identity: CompiledPolicy[] = []
  let boundary: CompiledPolicy | null = null
  let principalTags: RequestFacts['principalTags'] = []
  // The root user has no policies of its own: the engine allows it within its account.
  if (caller.kind === 'user') {
    const policies = await loadUserPolicies(tx, caller.user)
    identity = policies.identity.map((p) => compiler.compile(p.document, 'identity', p.label))
    if (policies.boundary !== null) {
      boundary = compiler.compile(policies.boundary.document, 'boundary', policies.boundary.label)
    }
    principalTags = policies.tags
  }
  const request = buildRequest({
    principal: principalOf(caller),
    action: input.action,
    resource: input.resource,
    resourceAccount: caller.accountId,
    context: buildContextKeys({ ...input.facts, principalTags }, input.conditionKeys),
  })
  const set = buildPolicySet({
    identity,
    resource: null,
    resourcePolicyKind: 'generic',
    permissionsBoundary: boundary,
    session: null,
    scps: null,
    rcps: null,
  })
  return evaluate(request, set)
}
