/**
 * The request path of the workload API (a Gatehouse extension: `POST /gatehouse/v1/<Operation>`
 * with a JSON body, signed with SigV4 for the service `gatehouse`), the same steps as the AWS
 * pipelines':
 *
 *   operation    the path's operation (UnknownOperation otherwise), POST only
 *   route        the SigV4 credential scope must name the service `gatehouse`
 *   decode       the body -> a JSON object (SerializationException otherwise)
 *   authenticate the access key -> the caller, its signature verified; the credentials IAM
 *                refuses (GetSessionToken's without MFA, federated users') are refused here too
 *   input        the operation's members read and checked (ValidationError)
 *   authorize    every permission the call needs (its own action, iam:PassRole...)  } one store
 *   handle       the operation                                                       } transaction
 *   encode       the JSON result, or `{"Code", "Message"}` with the code's status
 *   audit        one record per request, the token never in it
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { AuditEvent } from '../audit/audit-event.js'
import { authorize } from '../auth/authorize.js'
import type { Caller } from '../auth/caller.js'
import { checkSessionRestrictions } from '../auth/session-restrictions.js'
import { parseAuthorization } from '../auth/sigv4/index.js'
import { AwsError } from '../errors/aws-error.js'
import { decodeJson } from '../protocol/json/decode-json.js'
import { JsonServiceError } from '../protocol/json/json-service-error.js'
import { isResourceTagged } from '../services/action-catalog.js'
import { WORKLOAD_API_SERVICE } from '../services/workloads/workload-api-shapes.js'
import { WORKLOAD_OPERATIONS } from '../services/workloads/workload-operations.js'
import type {
  WorkloadCallResult,
  WorkloadOperation,
} from '../services/workloads/workload-operations.js'
import { AuditFailure, deliverAudit } from './deliver-audit.js'
import { authenticateRequest, firstHeader } from './authenticate-request.js'
import { enforceDecision } from './enforce-decision.js'
import type { IncomingRequest, PipelineDeps, QueryResponse } from './query-pipeline.js'
import { asWorkloadError, workloadErrorReply, workloadReply } from './workload-reply.js'

/** What is known of a request so far, for its log line and its audit record. */
interface Trace {
  readonly requestId: string
  operation: WorkloadOperation | undefined
  action: string | undefined
  region: string | undefined
  accessKeyId: string | undefined
  caller: Caller | undefined
  parameters: Readonly<Record<string, unknown>> | undefined
  attempted: string | undefined
}

// An unknown operation is quoted back in the message; one longer than this is cut.
const MAX_QUOTED_NAME = 100

function findOperation(method: string, name: string, trace: Trace): WorkloadOperation {
  const operation = WORKLOAD_OPERATIONS.get(name)
  if (operation === undefined) {
    const quoted = name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME)}...` : name
    throw new JsonServiceError(
      'UnknownOperation',
      `${JSON.stringify(quoted)} is not an operation of the workload API: CreateWorkload, ListWorkloads or DeleteWorkload.`,
      { status: 404, fault: 'client' },
    )
  }
  trace.operation = operation
  trace.action = operation.name
  if (method !== 'POST') {
    throw new JsonServiceError(
      'MethodNotAllowed',
      `${operation.name} is called with POST, not ${method}.`,
      { status: 405, fault: 'client' },
    )
  }
  return operation
}

function logOutcome(
  deps: PipelineDeps,
  trace: Trace,
  started: number,
  error?: JsonServiceError,
): void {
  const line = {
    requestId: trace.requestId,
    service: WORKLOAD_API_SERVICE,
    action: trace.action,
    caller: trace.caller?.arn,
    status: error?.status ?? 200,
    ...(error === undefined ? {} : { code: error.code }),
    ms: Math.round((performance.now() - started) * 1000) / 1000,
  }
  if (error !== undefined && error.fault === 'server') {
    deps.log.error({ ...line, err: error.cause }, 'request failed')
  } else {
    deps.log.info(line, 'request')
  }
}

async function record(
  deps: PipelineDeps,
  request: IncomingRequest,
  eventTime: Date,
  trace: Trace,
  outcome: { readonly result?: WorkloadCallResult; readonly error?: JsonServiceError },
): Promise<void> {
  if (deps.audit === undefined) return
  const event: AuditEvent = {
    eventTime,
    requestId: trace.requestId,
    eventId: randomUUID(),
    service: WORKLOAD_API_SERVICE,
    action: trace.action,
    apiVersion: undefined,
    region: trace.region,
    sourceIp: request.sourceIp,
    userAgent: firstHeader(request.headers, 'user-agent'),
    caller: trace.caller,
    accessKeyId: trace.accessKeyId,
    parameters: trace.parameters,
    // SECURITY: what the response holds besides secrets (CreateWorkload's token is not in it).
    result: outcome.result?.recorded,
    error:
      outcome.error === undefined
        ? undefined
        : { code: outcome.error.code, message: outcome.error.message },
    readOnly: trace.operation?.readOnly ?? false,
    attempted: trace.attempted,
    accountId: trace.caller?.accountId,
  }
  await deliverAudit(deps.audit, event)
}

/** Runs one workload API request (the operation named by the path) and returns the answer. */
export async function handleWorkloadApiRequest(
  deps: PipelineDeps,
  request: IncomingRequest,
  operationName: string,
): Promise<QueryResponse> {
  const started = performance.now()
  const now = deps.clock()
  const trace: Trace = {
    requestId: deps.newRequestId(),
    operation: undefined,
    action: undefined,
    region: undefined,
    accessKeyId: undefined,
    caller: undefined,
    parameters: undefined,
    attempted: undefined,
  }
  try {
    // Commits of other server processes on the same database drop what the caches hold.
    if (deps.observeOtherWriters) deps.store.observeOtherWriters()
    const operation = findOperation(request.method, operationName, trace)
    const parsed = parseAuthorization(request)
    if (!parsed.ok) throw new AwsError(parsed.error.code, parsed.error.message)
    const authorization = parsed.authorization
    if (authorization.scope.service !== WORKLOAD_API_SERVICE) {
      throw new AwsError(
        'SignatureDoesNotMatch',
        `Credential should be scoped to correct service: '${WORKLOAD_API_SERVICE}'.`,
      )
    }
    trace.region = authorization.scope.region
    trace.accessKeyId = authorization.accessKeyId
    const body = decodeJson(request.body)
    trace.parameters = body
    const { caller, facts } = await authenticateRequest(
      deps,
      request,
      authorization,
      now,
      WORKLOAD_API_SERVICE,
    )
    trace.caller = caller
    // Handing out a role's credentials is IAM's business: the credentials IAM refuses (a
    // session without MFA from GetSessionToken, a federated user) are refused here as well.
    checkSessionRestrictions(caller, 'iam', operation.name)
    const call = operation.prepare(body)
    trace.parameters = call.parameters
    const result = await deps.store.transaction(
      async (tx) => {
        trace.attempted = operation.action
        for (const asked of call.authorizations(caller)) {
          // aws:ResourceTag/* of the IAM entity acted on (the role passed), as for IAM's calls.
          const conditionKeys = isResourceTagged(asked.action)
            ? { ...(await deps.cache.resourceTags(asked.resource, tx)), ...asked.conditionKeys }
            : asked.conditionKeys
          const decision = await authorize(tx, deps.compiler, deps.cache, {
            caller,
            action: asked.action,
            resource: asked.resource,
            facts,
            conditionKeys,
          })
          enforceDecision(deps, trace.requestId, caller.arn, decision, asked.action, asked.resource)
        }
        return call.handle({ tx, caller, now, compiler: deps.compiler })
      },
      { readOnly: operation.readOnly },
    )
    // The record is durable before the response leaves: an answered call is never unrecorded.
    await record(deps, request, now, trace, { result })
    logOutcome(deps, trace, started)
    return workloadReply(result.response, trace.requestId, deps.clock())
  } catch (err) {
    let error: JsonServiceError
    if (err instanceof AuditFailure) {
      error = asWorkloadError(err.cause)
    } else {
      error = asWorkloadError(err)
      try {
        await record(deps, request, now, trace, { error })
      } catch (auditErr) {
        error = asWorkloadError(auditErr instanceof AuditFailure ? auditErr.cause : auditErr)
      }
    }
    logOutcome(deps, trace, started, error)
    return workloadErrorReply(error, trace.requestId, deps.clock())
  }
}
