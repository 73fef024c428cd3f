/**
 * An operation of a service, as its registry lists it: the IAM action it is authorized as, the
 * shape of its input, the resource it acts on, and its handler. Routing, authorization and
 * (later) auditing all derive from this one entry.
 */
import type { AccessAdvisor } from '../analysis/access-advisor.js'
import type { AuthCache } from '../auth/auth-cache.js'
import type { Caller } from '../auth/caller.js'
import type { SessionTokenKey } from '../auth/session-token.js'
import type { ContextValue } from '../policy/index.js'
import type { QueryShape } from '../protocol/query/query-shape.js'
import type { QueryValue } from '../protocol/query/query-value.js'
import { readParams } from '../protocol/query/read-params.js'
import type { XmlValue } from '../protocol/query/xml-value.js'
import type { StoreTx } from '../store/store.js'
import { findAction, resourceArnMatcher } from './action-catalog.js'

/** An operation's input shape: a structure of the model's members. */
export type InputShape = Extract<QueryShape, { kind: 'structure' }>

/** An operation's result: the members of its `<XResult>` element. */
export type OperationResult = { readonly [member: string]: XmlValue | undefined }

/** What a handler works with: the request's transaction and who is calling. */
export interface OperationContext {
  /** The request's one store transaction: the handler's writes commit with it, or not at all. */
  readonly tx: StoreTx
  readonly caller: Caller
  /** The server's clock at the request. */
  readonly now: Date
  /** The key that seals session tokens (STS's handlers issue them). */
  readonly sessionTokens: SessionTokenKey
  /** Access Advisor's jobs and the entities' last use, from the audit trail. */
  readonly accessAdvisor: AccessAdvisor
  /** `scheme://host[:port]` the request reached Gatehouse at: the base of URLs handed out. */
  readonly origin: string
  /** The region the request was signed for (its SigV4 credential scope's), aws:RequestedRegion. */
  readonly region: string
  /**
   * Store reads kept between requests while the store does not change (AuthCache): read-only
   * operations may read through it instead of `tx` and see the same data.
   */
  readonly cache: AuthCache
}

/** A further permission an operation needs besides its own action on its own resource. */
export interface Authorization {
  /** E.g. `iam:PassRole`. */
  readonly action: string
  readonly resource: string
}

/** A resource-based policy: its JSON, and the label a decision names it by. */
export interface ResourcePolicy {
  readonly document: string
  readonly label: string
}

/** How an operation is written: typed by its input shape. */
export interface OperationSpec<S extends InputShape> {
  /** The Action, e.g. `CreateUser`. */
  readonly name: string
  /** The action it is authorized as, e.g. `iam:CreateUser`. */
  readonly action: string
  /**
   * It changes nothing in the store, so it runs in a read-only transaction (no write lock for
   * other processes to wait on). Get* and List* operations are, unless they say otherwise.
   */
  readonly readOnly?: boolean
  /**
   * For an operation that is read-only by nature: whether this call writes all the same (an STS
   * call with an MFA code uses the code up), so that its transaction may.
   */
  readonly writes?: (input: QueryValue<S>) => boolean
  readonly input: S
  /**
   * The ARN of the resource it acts on, as the Service Authorization Reference names it, or `*`
   * for an action without a resource type. It may read the store (an existing user's path).
   */
  readonly resource: (input: QueryValue<S>, ctx: OperationContext) => string | Promise<string>
  /**
   * The condition keys of the request (aws:RequestTag/*, iam:PermissionsBoundary, ...). It may
   * read the store: some keys describe what exists (the boundary a call would remove).
   */
  readonly conditionKeys?: (
    input: QueryValue<S>,
    ctx: OperationContext,
  ) => Record<string, ContextValue> | Promise<Record<string, ContextValue>>
  /**
   * The resource-based policy of the resource acted on, for a resource that has one of its own
   * making (a delegation request's owner "gets a default permission to get" it): weighed with
   * the caller's policies as AWS weighs a resource policy. Null or absent: none.
   */
  readonly resourcePolicy?: (
    input: QueryValue<S>,
    ctx: OperationContext,
  ) => Promise<ResourcePolicy | null>
  /**
   * What else the call must be allowed, with the same request context: UpdateUser on the new
   * name as well as the old, iam:PassRole for the role put in an instance profile.
   */
  readonly alsoAuthorize?: (
    input: QueryValue<S>,
    ctx: OperationContext,
  ) => readonly Authorization[] | Promise<readonly Authorization[]>
  /** Runs the operation; undefined for an operation without output. */
  readonly handle: (
    input: QueryValue<S>,
    ctx: OperationContext,
  ) => Promise<OperationResult | undefined>
}

/**
 * One call of an operation, its input read and checked. Each step answers at once when it can
 * (an operation without the hook, a value kept in the cache), a promise when it must read: the
 * caller waits only for a promise, so that a step that has nothing to wait for costs no turn of
 * the microtask queue.
 */
export interface PreparedCall {
  /** Whether its transaction must allow writes (the operation's, or this call's own). */
  readonly writes: boolean
  readonly resource: (ctx: OperationContext) => string | Promise<string>
  readonly conditionKeys: (
    ctx: OperationContext,
  ) => Readonly<Record<string, ContextValue>> | Promise<Readonly<Record<string, ContextValue>>>
  readonly resourcePolicy: (
    ctx: OperationContext,
  ) => ResourcePolicy | null | Promise<ResourcePolicy | null>
  readonly alsoAuthorize: (
    ctx: OperationContext,
  ) => readonly Authorization[] | Promise<readonly Authorization[]>
  readonly handle: (ctx: OperationContext) => Promise<OperationResult | undefined>
}

/** A registry entry: the operation with its input type erased behind `prepare`. */
export interface Operation {
  readonly name: string
  readonly action: string
  /** It only reads the store. */
  readonly readOnly: boolean

  /**
   * Reads the call's input from the decoded parameters, with AWS's validation errors
   * (ValidationError, InvalidParameterValue, ...) for input that does not fit the shape.
   */
  readonly prepare: (params: ReadonlyMap<string, string>) => PreparedCall
}

const NO_CONDITION_KEYS: Readonly<Record<string, ContextValue>> = Object.freeze({})
const NO_AUTHORIZATIONS: readonly Authorization[] = Object.freeze([])

/**
 * One call of a defined operation. A class, not an object of closures: a request then allocates
 * one small object, and a hook the operation does not have costs no async step.
 */
class DefinedCall<S extends InputShape> implements PreparedCall {
  readonly writes: boolean
  readonly #spec: OperationSpec<S>
  readonly #fits: (arn: string) => boolean
  readonly #input: QueryValue<S>

  constructor(
    spec: OperationSpec<S>,
    fits: (arn: string) => boolean,
    input: QueryValue<S>,
    readOnly: boolean,
  ) {
    this.#spec = spec
    this.#fits = fits
    this.#input = input
    this.writes = !readOnly || (spec.writes?.(input) ?? false)
  }

  resource(ctx: OperationContext): string | Promise<string> {
    const arn = this.#spec.resource(this.#input, ctx)
    return typeof arn === 'string' ? this.#fitting(arn) : arn.then((a) => this.#fitting(a))
  }

  #fitting(arn: string): string {
    // The reference decides which ARN an action is authorized on; an operation that builds
    // another would grant or deny what AWS does not, so it fails loudly instead.
    if (!this.#fits(arn)) {
      const spec = this.#spec
      throw new Error(`${spec.name}: ${arn} is not a resource of ${spec.action}`)
    }
    return arn
  }

  conditionKeys(
    ctx: OperationContext,
  ): Readonly<Record<string, ContextValue>> | Promise<Readonly<Record<string, ContextValue>>> {
    const hook = this.#spec.conditionKeys
    return hook === undefined ? NO_CONDITION_KEYS : hook(this.#input, ctx)
  }

  resourcePolicy(ctx: OperationContext): ResourcePolicy | null | Promise<ResourcePolicy | null> {
    const hook = this.#spec.resourcePolicy
    return hook === undefined ? null : hook(this.#input, ctx)
  }

  alsoAuthorize(
    ctx: OperationContext,
  ): readonly Authorization[] | Promise<readonly Authorization[]> {
    const hook = this.#spec.alsoAuthorize
    return hook === undefined ? NO_AUTHORIZATIONS : hook(this.#input, ctx)
  }

  handle(ctx: OperationContext): Promise<OperationResult | undefined> {
    return this.#spec.handle(this.#input, ctx)
  }
}

/** Makes a registry entry from an operation's typed description. */
export function defineOperation<S extends InputShape>(spec: OperationSpec<S>): Operation {
  // An action the Service Authorization Reference does not list could never be allowed by a
  // policy written against AWS: a typo here must stop the server from starting.
  if (findAction(spec.action) === undefined) {
    throw new Error(`${spec.name}: ${spec.action} is not in the Service Authorization Reference`)
  }
  const fits = resourceArnMatcher(spec.action)
  const readOnly = spec.readOnly ?? /^(Get|List)[A-Z]/.test(spec.name)
  return {
    name: spec.name,
    action: spec.action,
    readOnly,
    prepare: (params) => new DefinedCall(spec, fits, readParams(params, spec.input), readOnly),
  }
}

/** A service's operations by Action. */
export type OperationRegistry = ReadonlyMap<string, Operation>

/** Builds a registry, refusing two entries for one Action. */
export function registry(operations: readonly Operation[]): OperationRegistry {
  const byName = new Map<string, Operation>()
  for (const operation of operations) {
    if (byName.has(operation.name)) throw new Error(`operation ${operation.name} is listed twice`)
    byName.set(operation.name, operation)
  }
  return byName
}
