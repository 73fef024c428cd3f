/**
 * The request path of an awsJson 1.1 call (CloudTrail), as an ordered list of named steps, the
 * counterpart of the awsQuery path (query-pipeline.ts) with the same authentication and
 * authorization:
 *
 *   target       X-Amz-Target `<prefix>.<Operation>` -> the service and its operation
 *                (UnknownOperationException otherwise)
 *   route        the SigV4 credential scope must name that service
 *   decode       the body -> the input object (SerializationException for what is not JSON)
 *   authenticate the access key -> the caller, its signature verified
 *   operation    what the caller's kind of credentials may not call at all refused; the input's
 *                members read by their model types (SerializationException)
 *   authorize    the policy engine, on the operation's action and resource, in a read-only
 *                transaction of the IAM store (AccessDeniedException for a denial)
 *   handle       the operation's own checks (its model's errors) and its work, on the trail
 *   encode       the JSON result, or the awsJson error body
 *   audit        the answered call handed to the audit trail before the response leaves
 */
import { performance } from 'node:perf_hooks'
import type { AuditEvent } from '../audit/audit-event.js'
import { authorize } from '../auth/authorize.js'
import type { Caller } from '../auth/caller.js'
import { checkSessionRestrictions } from '../auth/session-restrictions.js'
import type { HeaderEntry } from '../auth/sigv4/index.js'
import { toAwsError } from '../errors/to-aws-error.js'
import type { Decision } from '../policy/index.js'
import { decodeJson } from '../protocol/json/decode-json.js'
import { encodeJson } from '../protocol/json/encode-json.js'
import type { JsonOutputObject } from '../protocol/json/encode-json.js'
import {
  jsonErrorOf,
  jsonErrorResponse,
  jsonResultResponse,
} from '../protocol/json/json-response.js'
import type { JsonResponse } from '../protocol/json/json-response.js'
import { JsonServiceError, jsonProtocolError } from '../protocol/json/json-service-error.js'
import {
  failJsonCall,
  logJsonCall,
  newJsonCallTrace,
  recordJsonCall,
  routeToService,
} from './json-call-trace.js'
import type { JsonCallTrace } from './json-call-trace.js'
import { enforceDecision } from './enforce-decision.js'
import { CLOUDTRAIL } from '../services/cloudtrail/operations.js'
import type { JsonOperation, JsonService } from '../services/cloudtrail/json-operation.js'
import type { TrailStore } from '../store/trail-store.js'
import { authenticateRequest } from './authenticate-request.js'
import type { IncomingRequest, PipelineDeps } from './query-pipeline.js'

/** What the awsJson pipeline runs with: the awsQuery pipeline's, and the audit trail. */
export interface JsonPipelineDeps extends PipelineDeps {
  /** The audit trail, which CloudTrail's operations read. */
  readonly trail: TrailStore
  /**
   * Records an answered call in the audit trail, resolving once the record is durable: the
   * response is sent only then. Absent: nothing is recorded.
   */
  readonly audit?: (event: AuditEvent) => Promise<void>
}

/** Every awsJson service, each found by its X-Amz-Target prefixes. */
export const JSON_SERVICES: readonly JsonService[] = [CLOUDTRAIL]

const TARGET_HEADER = 'x-amz-target'
// An unknown target is quoted back in the message; one longer than this is cut.
const MAX_QUOTED_TARGET = 200

/**
 * Whether a request is an awsJson one: it names its operation in an X-Amz-Target header, which
 * no awsQuery request carries (those name it in the Action parameter). src/app.ts sends these
 * to handleJsonRequest and the rest to handleQueryRequest.
 */
export function isJsonProtocolRequest(headers: readonly HeaderEntry[]): boolean {
  return headers.some(([name]) => name.toLowerCase() === TARGET_HEADER)
}

/** What is known of an awsJson request so far: the shared trace, and the service it names. */
interface Trace extends JsonCallTrace {
  service: JsonService | undefined
  operation: JsonOperation | undefined
}

function unknownOperation(target: string): JsonServiceError {
  const quoted =
    target.length > MAX_QUOTED_TARGET ? `${target.slice(0, MAX_QUOTED_TARGET)}...` : target
  return jsonProtocolError(
    'UnknownOperationException',
    `The X-Amz-Target ${JSON.stringify(quoted)} names no operation of this server.`,
  )
}

// Step: target. The one X-Amz-Target header, split at its last dot.
function findTarget(
  headers: readonly HeaderEntry[],
  trace: Trace,
): { readonly service: JsonService; readonly operation: JsonOperation } {
  const values = headers.filter(([name]) => name.toLowerCase() === TARGET_HEADER)
  // SECURITY: two targets are refused, not resolved: the signature covers both, and whichever
  // one a step picked, another might pick the other.
  if (values.length !== 1) {
    throw jsonProtocolError(
      'UnknownOperationException',
      'The request must have exactly one X-Amz-Target header.',
    )
  }
  const target = (values[0]?.[1] ?? '').trim()
  const dot = target.lastIndexOf('.')
  const prefix = target.slice(0, Math.max(dot, 0))
  const name = target.slice(dot + 1)
  const service = JSON_SERVICES.find((s) => s.targetPrefixes.includes(prefix))
  if (service !== undefined) trace.service = service
  trace.action = name === '' ? undefined : name
  const operation = dot < 0 ? undefined : service?.operations.get(name)
  if (service === undefined || operation === undefined) throw unknownOperation(target)
  trace.operation = operation
  return { service, operation }
}

// After authorize: a denial stops the call, or in report-only mode is logged and let through.
function enforce(
  deps: JsonPipelineDeps,
  trace: Trace,
  caller: Caller,
  decision: Decision,
  action: string,
  resource: string,
): void {
  enforceDecision(deps, trace.requestId, caller.arn, decision, action, resource, (message) =>
    jsonProtocolError('AccessDeniedException', message),
  )
}

/** The one mapper from anything thrown on this path to the awsJson error to send. */
function toJsonError(err: unknown): JsonServiceError {
  if (err instanceof JsonServiceError) return err
  return jsonErrorOf(toAwsError(err))
}

/** Runs one awsJson request through every step and returns the response to send. */
export async function handleJsonRequest(
  deps: JsonPipelineDeps,
  request: IncomingRequest,
): Promise<JsonResponse> {
  const started = performance.now()
  const now = deps.clock()
  const trace: Trace = {
    ...newJsonCallTrace(deps.newRequestId()),
    service: undefined,
    operation: undefined,
  }
  // CloudTrail records no responseElements for a read-only call; and LookupEvents' result holds
  // records, each of which would otherwise hold the records before it.
  const record = (
    result: JsonOutputObject | undefined,
    error?: JsonServiceError,
  ): Promise<void> => {
    const readOnly = trace.operation?.readOnly ?? false
    return recordJsonCall(deps.audit, request, now, trace, {
      service: trace.service?.name,
      readOnly,
      result: readOnly ? {} : (result ?? {}),
      error,
    })
  }
  try {
    // Commits of other server processes on the same database drop what the caches hold.
    if (deps.observeOtherWriters) deps.store.observeOtherWriters()
    const { service, operation } = findTarget(request.headers, trace)
    const authorization = routeToService(request, service.name, trace)
    const input = decodeJson(request.body)
    trace.parameters = input
    const { caller, facts } = await authenticateRequest(
      deps,
      request,
      authorization,
      now,
      service.name,
    )
    trace.caller = caller
    checkSessionRestrictions(caller, service.name, operation.name)
    const call = operation.prepare(input)
    trace.attempted = operation.action
    // The caller's policies are read in one read-only transaction of the IAM store; the
    // operation then works on the trail, a database of its own.
    const decision = await deps.store.transaction(
      (tx) =>
        authorize(tx, deps.compiler, deps.cache, {
          caller,
          action: operation.action,
          resource: call.resource,
          facts,
        }),
      { readOnly: true },
    )
    enforce(deps, trace, caller, decision, operation.action, call.resource)
    const result = await call.handle({ caller, now, trail: deps.trail })
    const body = encodeJson(result)
    // The record is durable before the response leaves: an answered call is never unrecorded.
    await record(result)
    logJsonCall(deps.log, trace.service?.name, trace, started)
    return jsonResultResponse(body, trace.requestId, deps.clock())
  } catch (err) {
    const error = await failJsonCall(err, toJsonError, (e) => record(undefined, e))
    logJsonCall(deps.log, trace.service?.name, trace, started, error)
    return jsonErrorResponse(error, trace.requestId, deps.clock())
  }
}
