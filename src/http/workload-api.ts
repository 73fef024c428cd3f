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
import { performance } from 'node:perf_hooks'
import { authorize } from '../auth/authorize.js'
import { checkSessionRestrictions } from '../auth/session-restrictions.js'
import { decodeJson } from '../protocol/json/decode-json.js'
import { JsonServiceError } from '../protocol/json/json-service-error.js'
import { isResourceTagged } from '../services/action-catalog.js'
import { WORKLOAD_API_SERVICE } from '../services/workloads/workload-api-shapes.js'
import { WORKLOAD_OPERATIONS } from '../services/workloads/workload-operations.js'
import type {
  WorkloadCallResult,
  WorkloadOperation,
} from '../services/workloads/workload-operations.js'
import {
  failJsonCall,
  logJsonCall,
  newJsonCallTrace,
  recordJsonCall,
  routeToService,
} from './json-call-trace.js'
import type { JsonCallTrace } from './json-call-trace.js'
import { authenticateRequest } from './authenticate-request.js'
import { enforceDecision } from './enforce-decision.js'
import type { IncomingRequest, PipelineDeps, QueryResponse } from './query-pipeline.js'
import { asWorkloadError, workloadErrorReply, workloadReply } from './workload-reply.js'

/** What is known of a workload API request so far: the shared trace, and its operation. */
interface Trace extends JsonCallTrace {
  operation: WorkloadOperation | undefined
}

// The operations an unknown one's message lists: `A, B, C or D`.
const OPERATION_NAMES = [...WORKLOAD_OPERATIONS.keys()].join(', ').replace(/, ([^,]*)$/, ' or $1')

// An unknown operation is quoted back in the message; one longer than this is cut.
const MAX_QUOTED_NAME = 100

function findOperation(method: string, name: string, trace: Trace): WorkloadOperation {
  const operation = WORKLOAD_OPERATIONS.get(name)
  if (operation === undefined) {
    const quoted = name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME)}...` : name
    throw new JsonServiceError(
      'UnknownOperation',
      `${JSON.stringify(quoted)} is not an operation of the workload API: ${OPERATION_NAMES}.`,
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

/** Runs one workload API request (the operation named by the path) and returns the answer. */
export async function handleWorkloadApiRequest(
  deps: PipelineDeps,
  request: IncomingRequest,
  operationName: string,
): Promise<QueryResponse> {
  const started = performance.now()
  const now = deps.clock()
  const trace: Trace = { ...newJsonCallTrace(deps.newRequestId()), operation: undefined }
  // SECURITY: what the response holds besides secrets (CreateWorkload's token is not in it).
  const record = (result: WorkloadCallResult | undefined, error?: JsonServiceError) =>
    recordJsonCall(deps.audit, request, now, trace, {
      service: WORKLOAD_API_SERVICE,
      readOnly: trace.operation?.readOnly ?? false,
      result: result?.recorded,
      error,
    })
  try {
    // Commits of other server processes on the same database drop what the caches hold.
    if (deps.observeOtherWriters) deps.store.observeOtherWriters()
    const operation = findOperation(request.method, operationName, trace)
    const authorization = routeToService(request, WORKLOAD_API_SERVICE, trace)
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
    await record(result)
    logJsonCall(deps.log, WORKLOAD_API_SERVICE, trace, started)
    return workloadReply(result.response, trace.requestId, deps.clock())
  } catch (err) {
    const error = await failJsonCall(err, asWorkloadError, (e) => record(undefined, e))
    logJsonCall(deps.log, WORKLOAD_API_SERVICE, trace, started, error)
    return workloadErrorReply(error, trace.requestId, deps.clock())
  }
}
