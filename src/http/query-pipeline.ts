/**
 * The request path of an awsQuery call, as an ordered list of named steps (architecture, "The
 * request path"):
 *
 *   decode       the form body and query string -> action, version, parameters
 *   unsigned     STS's two actions that arrive unsigned (AssumeRoleWithWebIdentity and
 *                AssumeRoleWithSAML) go to STS without authentication: the token or assertion
 *                is verified by the operation itself, and the role's trust policy alone decides
 *   route        the SigV4 credential scope's service -> IAM or STS
 *   authenticate the access key (long-term, or temporary with its session token) -> the caller,
 *                its signature verified
 *   operation    the service's registry entry for the Action (InvalidAction otherwise), what the
 *                caller's kind of credentials may not call at all refused, its input read and
 *                checked against the model's shape
 *   authorize    the policy engine, on the operation's action and resource ARN  } one store
 *   handle       the operation's handler                                          } transaction
 *   encode       the XML result, or the AWS-shaped error through the one mapper
 *
 * Each step throws AwsError (or its layer's own error, which toAwsError maps); nothing here
 * chooses a status code.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { FastifyBaseLogger } from 'fastify'
import type { AccessAdvisor } from '../analysis/access-advisor.js'
import { authorize } from '../auth/authorize.js'
import type { Caller } from '../auth/caller.js'
import type { PolicyCompiler } from '../auth/policy-compiler.js'
import { checkSessionRestrictions } from '../auth/session-restrictions.js'
import type { SessionTokenKey } from '../auth/session-token.js'
import type { AuditEvent, FederatedUserIdentity } from '../audit/audit-event.js'
import { OidcKeySource } from '../auth/federation/oidc-key-source.js'
import type { AuthCache } from '../auth/auth-cache.js'
import type { KeyUseRecorder } from '../auth/key-use-recorder.js'
import { parseAuthorization } from '../auth/sigv4/index.js'
import type { ParsedAuthorization, SignedRequest } from '../auth/sigv4/index.js'
import type { EnforcementMode } from '../config/config.js'
import { AwsError } from '../errors/aws-error.js'
import { renderQueryErrorXml } from '../errors/query-error-xml.js'
import type { QueryService } from '../errors/query-error-xml.js'
import { toAwsError } from '../errors/to-aws-error.js'
import type { ContextValue, Decision } from '../policy/index.js'
import { decodeForm } from '../protocol/query/decode-form.js'
import { httpDate } from '../protocol/http-date.js'
import { encodeXml } from '../protocol/query/encode-xml.js'
import type { QueryRequest } from '../protocol/query/query-request.js'
import type { Operation, OperationContext, OperationResult } from '../services/operation.js'
import { isResourceTagged } from '../services/action-catalog.js'
import { isFederatedOperation } from '../services/sts/federated-operation.js'
import type {
  FederatedOperation,
  FederationContext,
  FederationProgress,
} from '../services/sts/federated-operation.js'
import { AuditFailure, deliverAudit } from './deliver-audit.js'
import { authenticateRequest, firstHeader } from './authenticate-request.js'
import { enforceDecision } from './enforce-decision.js'
import { requestOrigin } from './request-origin.js'
import { SERVICES, serviceNamed } from '../services/services.js'
import type { Service } from '../services/services.js'
import type { Store, StoreTx } from '../store/store.js'

/** A request as the HTTP layer received it: the signed parts exactly, and where it came from. */
export interface IncomingRequest extends SignedRequest {
  /** The client's address. */
  readonly sourceIp: string
  /** Whether it came over TLS. */
  readonly secure: boolean
}

/** What to send back. */
export interface QueryResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** What the pipeline runs with; buildApp wires it. */
export interface PipelineDeps {
  readonly store: Store
  readonly compiler: PolicyCompiler
  readonly enforcement: EnforcementMode
  readonly clock: () => Date
  readonly newRequestId: () => string
  readonly log: FastifyBaseLogger
  /** The SigV4 clock-skew window; SigV4's default (5 minutes) when absent. */
  readonly allowedSkewMs?: number
  /**
   * The key that seals and opens session tokens, derived from the master key
   * (SessionTokenKey.fromMasterKey), so that every node sharing the master key accepts every
   * node's tokens, and tokens outlive a restart.
   */
  readonly sessionTokens: SessionTokenKey
  /** Access Advisor's jobs and last-use data (IAM operations read them). */
  readonly accessAdvisor: AccessAdvisor
  /** Keys, principals and compiled policies, kept off the database (src/auth/auth-cache.ts). */
  readonly cache: AuthCache
  /** Where long-term keys' uses go (GetAccessKeyLastUsed). */
  readonly keyUses: KeyUseRecorder
  /** Whether other processes write to the store, so that each request looks for their commits. */
  readonly observeOtherWriters: boolean
  /**
   * Records an answered call in the audit trail, resolving once the record is durable: the
   * response is sent only then. Absent: nothing is recorded (tests of other parts).
   */
  readonly audit?: (event: AuditEvent) => Promise<void>
  /**
   * OpenID Connect issuers' keys for AssumeRoleWithWebIdentity, kept between requests. Absent: a
   * key source of this pipeline's own (one per deps object, so per app).
   */
  readonly oidcKeys?: OidcKeySource
  /**
   * The origin (`scheme://host[:port]`) the server is reached at, configured (--public-url): the
   * base of the URLs it hands out instead of the request's Host. Absent: the request's.
   */
  readonly publicUrl?: string
}

const UNSIGNED_STS_ACTIONS: ReadonlySet<string> = new Set([
  'AssumeRoleWithWebIdentity',
  'AssumeRoleWithSAML',
])

/**
 * Step: unsigned. Whether a request is one of STS's unsigned actions: its Action, and no
 * signature for another service (unsigned, or signed for STS: these actions ignore signatures).
 */
function isUnsignedStsAction(request: SignedRequest, query: QueryRequest): boolean {
  if (!UNSIGNED_STS_ACTIONS.has(query.action)) return false
  const parsed = parseAuthorization(request)
  return !parsed.ok || parsed.authorization.scope.service === SERVICES.sts.name
}

/** The unsigned operation a request names, at STS's API version. */
function unsignedOperation(query: QueryRequest): FederatedOperation {
  const operation = findOperation(SERVICES.sts, query)
  // INVARIANT: UNSIGNED_STS_ACTIONS names STS's federated operations and only them.
  if (!isFederatedOperation(operation)) {
    throw new Error(`${operation.name} is routed unsigned but is not a federated operation`)
  }
  return operation
}

// Each pipeline (each app) keeps its own issuers' keys unless its deps bring a key source.
const OIDC_KEYS = new WeakMap<PipelineDeps, OidcKeySource>()

function oidcKeysOf(deps: PipelineDeps): OidcKeySource {
  if (deps.oidcKeys !== undefined) return deps.oidcKeys
  let keys = OIDC_KEYS.get(deps)
  if (keys === undefined) {
    keys = new OidcKeySource()
    OIDC_KEYS.set(deps, keys)
  }
  return keys
}

/** The region a request signed for STS names; undefined for an unsigned one. */
function signedRegion(request: SignedRequest): string | undefined {
  const parsed = parseAuthorization(request)
  return parsed.ok ? parsed.authorization.scope.region : undefined
}

/**
 * Step: unsigned, run. There is no caller to authenticate: the operation verifies the token or
 * assertion, and the role's trust policy alone authorizes (through `enforce`, so that
 * report-only mode applies here too). What it learns of who federates goes to the trace, so
 * that a refused call is recorded with it as well as an answered one.
 */
async function federate(
  deps: PipelineDeps,
  request: IncomingRequest,
  query: QueryRequest,
  trace: Trace,
  now: Date,
): Promise<{ readonly operation: FederatedOperation; readonly result: OperationResult }> {
  const operation = unsignedOperation(query)
  trace.audit.readOnly = operation.readOnly
  const region = signedRegion(request)
  trace.audit.region = region
  const ctx: FederationContext = {
    store: deps.store,
    compiler: deps.compiler,
    now,
    sessionTokens: deps.sessionTokens,
    oidcKeys: oidcKeysOf(deps),
    facts: {
      now,
      sourceIp: request.sourceIp,
      secureTransport: request.secure,
      // STS's global endpoint is us-east-1's, as an unsigned request's region.
      region: region ?? 'us-east-1',
      userAgent: firstHeader(request.headers, 'user-agent'),
    },
    enforce: (decision, action, resource) => {
      trace.audit.attempted = operation.action
      enforce(deps, trace, decision, action, resource)
    },
    progress: (learnt: FederationProgress) => {
      if (learnt.accountId !== undefined) trace.audit.accountId = learnt.accountId
      // The log names the identity provider, never the token's subject.
      if (learnt.providerArn !== undefined) trace.caller = learnt.providerArn
      if (learnt.identity !== undefined) trace.audit.federated = learnt.identity
    },
  }
  return { operation, result: await operation.federate(query.params, ctx) }
}

/**
 * A signed call's OperationContext. A class, not an object literal with a getter: under load,
 * V8 carried what each such literal's getter closed over (the whole request) through its
 * young-generation collections into the old one, where only a full collection freed it. That
 * was most of what survived each collection, and took GetUser's throughput down by about a
 * seventh (`npm run bench:api`, and --trace-gc-nvp for what survived); a class's instances
 * die young.
 */
class CallContext implements OperationContext {
  readonly accessAdvisor: AccessAdvisor
  readonly cache: AuthCache
  readonly #request: IncomingRequest
  readonly #publicUrl: string | undefined

  constructor(
    readonly tx: StoreTx,
    readonly caller: Caller,
    readonly now: Date,
    readonly sessionTokens: SessionTokenKey,
    deps: PipelineDeps,
    readonly region: string,
    request: IncomingRequest,
  ) {
    this.accessAdvisor = deps.accessAdvisor
    this.cache = deps.cache
    this.#request = request
    this.#publicUrl = deps.publicUrl
  }

  /** Read by the few operations that hand out a URL: worked out only when asked. */
  get origin(): string {
    const request = this.#request
    return requestOrigin(request.secure, firstHeader(request.headers, 'host'), this.#publicUrl)
  }
}

/** What is known of a request so far, for its log line and its error envelope. */
interface Trace {
  readonly requestId: string
  service: QueryService | undefined
  action: string | undefined
  caller: string | undefined
  /** What the audit record needs besides the above. */
  audit: {
    version: string | undefined
    region: string | undefined
    accessKeyId: string | undefined
    who: Caller | undefined
    parameters: Record<string, string> | undefined
    readOnly: boolean
    /** The action once the call reached authorization (Access Advisor's attempt). */
    attempted: string | undefined
    /** The account of an unsigned call (the role's), which has no caller to say it. */
    accountId: string | undefined
    /** Who federated, for an unsigned call whose token or assertion was verified. */
    federated: FederatedUserIdentity | undefined
  }
}

// Step: route. The service named by the credential scope; AWS's answer to a request signed for
// another service is this SignatureDoesNotMatch.
function route(request: SignedRequest): {
  readonly service: Service
  readonly authorization: ParsedAuthorization
} {
  const parsed = parseAuthorization(request)
  if (!parsed.ok) throw new AwsError(parsed.error.code, parsed.error.message)
  const service = serviceNamed(parsed.authorization.scope.service)
  if (service === undefined) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${Object.keys(SERVICES).join("' or '")}'.`,
    )
  }
  return { service, authorization: parsed.authorization }
}

// Step: operation. The registry entry for the Action at the service's API version.
function findOperation(service: Service, query: QueryRequest): Operation {
  if (query.version === undefined) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter Version.')
  }
  const operation =
    query.version === service.version ? service.operations.get(query.action) : undefined
  if (operation === undefined) {
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${query.action} for version ${query.version}`,
    )
  }
  return operation
}

// After authorize: a denial stops the call, or in report-only mode is logged and let through.
function enforce(
  deps: PipelineDeps,
  trace: Trace,
  decision: Decision,
  action: string,
  resource: string,
): void {
  enforceDecision(deps, trace.requestId, trace.caller, decision, action, resource)
}

/** The request's condition keys after the resource's tags (the same object when it has none). */
function withResourceTags(
  tags: Readonly<Record<string, ContextValue>>,
  requestKeys: Readonly<Record<string, ContextValue>>,
): Readonly<Record<string, ContextValue>> {
  // A key of the request's (the loop's first turn) makes a merged object; most calls have none.
  for (const _ in requestKeys) return { ...tags, ...requestKeys }
  return tags
}

function headers(requestId: string, now: Date): Record<string, string> {
  return {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    date: httpDate(now),
  }
}

/** The awsQuery error response for an error, in the namespace of `service`. */
export function errorResponse(
  error: AwsError,
  service: QueryService,
  requestId: string,
  now: Date,
): QueryResponse {
  return {
    status: error.status,
    headers: headers(requestId, now),
    body: renderQueryErrorXml(error, service, requestId),
  }
}

/** The service whose namespace an error envelope uses before routing has named one. */
function envelopeService(query: QueryRequest | undefined): QueryService {
  return query?.version === SERVICES.sts.version ? 'sts' : 'iam'
}

function logOutcome(deps: PipelineDeps, trace: Trace, started: number, error?: AwsError): void {
  // Durations come from the monotonic clock, not the (injectable) wall clock.
  const line = {
    requestId: trace.requestId,
    service: trace.service,
    action: trace.action,
    caller: trace.caller,
    status: error?.status ?? 200,
    ...(error === undefined ? {} : { code: error.code }),
    ms: Math.round((performance.now() - started) * 1000) / 1000,
  }
  if (error !== undefined && error.fault === 'server') {
    deps.log.error({ ...line, err: error.cause }, 'request failed')
  } else if (error !== undefined && error.cause !== undefined) {
    // What the server signed for a signature that did not match, say: for whoever debugs.
    deps.log.info(line, 'request')
    deps.log.debug({ requestId: trace.requestId, cause: error.cause }, 'request error detail')
  } else {
    deps.log.info(line, 'request')
  }
}

/** Runs one awsQuery request through every step and returns the response to send. */
export async function handleQueryRequest(
  deps: PipelineDeps,
  request: IncomingRequest,
): Promise<QueryResponse> {
  const started = performance.now()
  const now = deps.clock()
  const trace: Trace = {
    requestId: deps.newRequestId(),
    service: undefined,
    action: undefined,
    caller: undefined,
    audit: {
      version: undefined,
      region: undefined,
      accessKeyId: undefined,
      who: undefined,
      parameters: undefined,
      readOnly: false,
      attempted: undefined,
      accountId: undefined,
      federated: undefined,
    },
  }
  let query: QueryRequest | undefined
  try {
    // Commits of other server processes on the same database drop what the caches hold.
    if (deps.observeOtherWriters) deps.store.observeOtherWriters()
    query = decodeForm({ query: request.query, body: request.body })
    trace.action = query.action
    trace.audit.version = query.version
    trace.audit.parameters = Object.fromEntries(query.params)
    if (isUnsignedStsAction(request, query)) {
      trace.service = SERVICES.sts.name
      const { operation, result } = await federate(deps, request, query, trace, now)
      const body = encodeXml(SERVICES.sts.name, operation.name, result, trace.requestId)
      await record(deps, request, now, trace, { result })
      logOutcome(deps, trace, started)
      return { status: 200, headers: headers(trace.requestId, deps.clock()), body }
    }
    const { service, authorization } = route(request)
    trace.service = service.name
    trace.audit.region = authorization.scope.region
    trace.audit.accessKeyId = authorization.accessKeyId
    const sessionTokens = deps.sessionTokens
    const { caller, facts } = await authenticateRequest(
      deps,
      request,
      authorization,
      now,
      service.name,
    )
    trace.caller = caller.arn
    trace.audit.who = caller
    const operation = findOperation(service, query)
    trace.audit.readOnly = operation.readOnly
    checkSessionRestrictions(caller, service.name, operation.name)
    const call = operation.prepare(query.params)
    const result: OperationResult | undefined = await deps.store.transaction(
      async (tx) => {
        const ctx = new CallContext(
          tx,
          caller,
          now,
          sessionTokens,
          deps,
          authorization.scope.region,
          request,
        )
        // Each step waited for only when it has to read (see PreparedCall).
        const pendingResource = call.resource(ctx)
        const resource =
          typeof pendingResource === 'string' ? pendingResource : await pendingResource
        const pendingKeys = call.conditionKeys(ctx)
        const requestKeys = pendingKeys instanceof Promise ? await pendingKeys : pendingKeys
        const pendingPolicy = call.resourcePolicy(ctx)
        const resourcePolicy =
          pendingPolicy instanceof Promise ? await pendingPolicy : pendingPolicy
        trace.audit.attempted = operation.action
        const pendingAlso = call.alsoAuthorize(ctx)
        const also = pendingAlso instanceof Promise ? await pendingAlso : pendingAlso
        const asked =
          also.length === 0
            ? [{ action: operation.action, resource }]
            : [{ action: operation.action, resource }, ...also]
        for (const { action, resource: arn } of asked) {
          // aws:ResourceTag/* of the IAM entity acted on, for the actions the reference gives them.
          const conditionKeys = isResourceTagged(action)
            ? withResourceTags(await deps.cache.resourceTags(arn, tx), requestKeys)
            : requestKeys
          const decision = await authorize(tx, deps.compiler, deps.cache, {
            caller,
            action,
            resource: arn,
            facts,
            conditionKeys,
            // The resource's own policy is about the call's own action on it.
            ...(arn === resource ? { resourcePolicy } : {}),
          })
          enforce(deps, trace, decision, action, arn)
        }
        return call.handle(ctx)
      },
      { readOnly: !call.writes },
    )
    const body = encodeXml(service.name, operation.name, result, trace.requestId)
    // The record is durable before the response leaves: an answered call is never unrecorded.
    await record(deps, request, now, trace, { result })
    logOutcome(deps, trace, started)
    return { status: 200, headers: headers(trace.requestId, deps.clock()), body }
  } catch (err) {
    let error = toAwsError(err, {
      ...(trace.action === undefined ? {} : { action: trace.action }),
    })
    if (!(err instanceof AuditFailure)) {
      try {
        await record(deps, request, now, trace, { error })
      } catch (auditErr) {
        error = toAwsError(auditErr)
      }
    } else {
      error = toAwsError(err.cause)
    }
    logOutcome(deps, trace, started, error)
    return errorResponse(
      error,
      trace.service ?? envelopeService(query),
      trace.requestId,
      deps.clock(),
    )
  }
}

/** Records the answered call through deps.audit, if there is one. */
function record(
  deps: PipelineDeps,
  request: IncomingRequest,
  eventTime: Date,
  trace: Trace,
  outcome: { result?: OperationResult | undefined; error?: AwsError },
): Promise<void> | undefined {
  if (deps.audit === undefined) return undefined
  const { audit } = trace
  const event: AuditEvent = {
    eventTime,
    requestId: trace.requestId,
    eventId: randomUUID(),
    service: trace.service,
    action: trace.action,
    apiVersion: audit.version,
    region: audit.region,
    sourceIp: request.sourceIp,
    userAgent: firstHeader(request.headers, 'user-agent'),
    caller: audit.who,
    accessKeyId: audit.accessKeyId,
    parameters: audit.parameters,
    result: outcome.error === undefined ? (outcome.result ?? {}) : undefined,
    error:
      outcome.error === undefined
        ? undefined
        : { code: outcome.error.code, message: outcome.error.message },
    readOnly: audit.readOnly,
    attempted: audit.attempted,
    accountId: audit.who?.accountId ?? audit.accountId,
    ...(audit.federated === undefined ? {} : { identityWithoutCaller: audit.federated }),
  }
  // Not an async function: the trail's own promise is waited for, one step fewer per call.
  return deliverAudit(deps.audit, event)
}
