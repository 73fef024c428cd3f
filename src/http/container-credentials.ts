/**
 * The container credentials endpoint: what every AWS SDK and the AWS CLI read when
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN (or _TOKEN_FILE) are
 * set, as in ECS and EKS. `GET` with the workload's token as the whole `Authorization` header
 * answers a role session's credentials:
 *
 *   {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn", "AccountId"}
 *
 * The SDKs ask again before `Expiration` (the JavaScript SDK within 5 minutes of it, botocore
 * within 15), so a workload's credentials renew themselves with no secret in its configuration
 * but the token. The steps:
 *
 *   token     the one Authorization header, `ghw1.<workload id>.<secret>`; 401 without it, or
 *             for a token that names no workload (deleted, or never made) or whose secret does
 *             not match (compared by SHA-256 in constant time)
 *   role      the workload's role by ARN; 404 NoSuchEntity when it is gone
 *   trust     the role's trust policy must still allow the workload service principal;
 *             403 AccessDenied otherwise (logged and let through in report-only mode)
 *   issue     a role session named after the workload, for the workload's duration within the
 *             role's MaxSessionDuration
 *   audit     an sts AssumeRole record naming the role and the session (never the token, the
 *             secret or the session token)
 *
 * Errors are `{"Code", "Message"}`, which the JavaScript SDK attaches to its error.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { AuditEvent } from '../audit/audit-event.js'
import { parseRoleArn } from '../auth/role-by-arn.js'
import type { JsonServiceError } from '../protocol/json/json-service-error.js'
import { isoSeconds } from '../protocol/iso-seconds.js'
import type { ContainerCredentialsResponse } from '../services/workloads/workload-api-shapes.js'
import { workloadArn } from '../services/workloads/workload-arn.js'
import {
  issueWorkloadSession,
  workloadRole,
  workloadTrust,
  WORKLOAD_SERVICE_PRINCIPAL,
} from '../services/workloads/workload-sessions.js'
import type { WorkloadSession } from '../services/workloads/workload-sessions.js'
import {
  hashTokenSecret,
  parseWorkloadToken,
  tokenSecretMatches,
} from '../services/workloads/workload-token.js'
import { NotFoundError } from '../store/errors.js'
import type { Workload } from '../store/workloads-ops.js'
import { gatehouseEndpointError } from '../errors/gatehouse-endpoint-errors.js'
import { firstHeader } from './authenticate-request.js'
import { enforceDecision } from './enforce-decision.js'
import type { IncomingRequest, PipelineDeps, QueryResponse } from './query-pipeline.js'
import { asWorkloadError, workloadErrorReply, workloadReply } from './workload-reply.js'

/** The name the endpoint's log lines give its calls. */
const ACTION = 'GetContainerCredentials'

// Compared against when the token names no workload, so that an unknown id costs what a wrong
// secret costs.
const NO_HASH = hashTokenSecret('')

function missingToken(): JsonServiceError {
  return gatehouseEndpointError(
    'MissingAuthorizationToken',
    'The request must carry the workload token in its Authorization header.',
  )
}

function invalidToken(): JsonServiceError {
  return gatehouseEndpointError(
    'InvalidToken',
    'The authorization token is not valid: it names no workload, or the workload was deleted.',
  )
}

function methodNotAllowed(method: string): JsonServiceError {
  return gatehouseEndpointError(
    'MethodNotAllowed',
    `The container credentials endpoint answers GET, not ${method}.`,
  )
}

/** What is known of a request so far, for its log line and its audit record. */
interface Trace {
  readonly requestId: string
  workload: Workload | undefined
  roleArn: string | undefined
  session: WorkloadSession | undefined
}

// Step: token. The one Authorization header; two are refused, not resolved.
function readToken(request: IncomingRequest): string {
  const values = request.headers.filter(([name]) => name.toLowerCase() === 'authorization')
  if (values.length === 0) throw missingToken()
  const token = values.length === 1 ? (values[0]?.[1] ?? '').trim() : ''
  if (token === '') throw missingToken()
  return token
}

async function record(
  deps: PipelineDeps,
  request: IncomingRequest,
  eventTime: Date,
  trace: Trace,
  error: JsonServiceError | undefined,
): Promise<void> {
  if (deps.audit === undefined) return
  const { workload, session } = trace
  // Filed as STS's AssumeRole, as AWS files the AssumeRole a container service makes for a
  // task: the role and the session it opened, found by the role in LookupEvents.
  const event: AuditEvent = {
    eventTime,
    requestId: trace.requestId,
    eventId: randomUUID(),
    service: 'sts',
    action: 'AssumeRole',
    apiVersion: undefined,
    region: undefined,
    sourceIp: request.sourceIp,
    userAgent: firstHeader(request.headers, 'user-agent'),
    caller: undefined,
    accessKeyId: undefined,
    // Once the token is verified, the role is assumed by Gatehouse's workload service on the
    // workload's behalf, as a container service assumes a task's role; before, who called is
    // not known (Unknown).
    identityWithoutCaller:
      workload === undefined
        ? undefined
        : { type: 'AWSService', invokedBy: WORKLOAD_SERVICE_PRINCIPAL },
    parameters:
      workload === undefined
        ? undefined
        : {
            RoleArn: workload.roleArn,
            RoleSessionName: workload.name,
            ...(session === undefined ? {} : { DurationSeconds: String(session.durationSeconds) }),
          },
    // SECURITY: the key id and expiry only; the secret and the session token stay out.
    result:
      session === undefined
        ? undefined
        : {
            Credentials: { AccessKeyId: session.accessKeyId, Expiration: session.expiration },
            AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.assumedRoleArn },
          },
    error: error === undefined ? undefined : { code: error.code, message: error.message },
    readOnly: true,
    attempted: undefined,
    accountId: workload?.accountId,
  }
  await deps.audit(event)
}

function logOutcome(
  deps: PipelineDeps,
  trace: Trace,
  started: number,
  error?: JsonServiceError,
): void {
  const line = {
    requestId: trace.requestId,
    service: 'gatehouse',
    action: ACTION,
    workload:
      trace.workload === undefined
        ? undefined
        : workloadArn(trace.workload.accountId, trace.workload.name),
    role: trace.roleArn,
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

/** Answers one request of the container credentials endpoint. */
export async function handleContainerCredentialsRequest(
  deps: PipelineDeps,
  request: IncomingRequest,
): Promise<QueryResponse> {
  const started = performance.now()
  const now = deps.clock()
  const trace: Trace = {
    requestId: deps.newRequestId(),
    workload: undefined,
    roleArn: undefined,
    session: undefined,
  }
  let outcome: QueryResponse
  let error: JsonServiceError | undefined
  try {
    if (deps.observeOtherWriters) deps.store.observeOtherWriters()
    if (request.method !== 'GET') throw methodNotAllowed(request.method)
    const token = parseWorkloadToken(readToken(request))
    if (token === undefined) throw invalidToken()
    const session = await deps.store.transaction(
      async (tx) => {
        const found = await tx.getWorkloadWithTokenHash(token.workloadId)
        // SECURITY: compared even for an unknown id, so that timing tells nothing either way.
        const matches = tokenSecretMatches(token.secret, found?.tokenHash ?? NO_HASH)
        if (found === null || !matches) throw invalidToken()
        const workload = found.workload
        trace.workload = workload
        trace.roleArn = workload.roleArn
        const role = await workloadRole(tx, workload)
        if (role === undefined) {
          throw new NotFoundError('role', parseRoleArn(workload.roleArn)?.name ?? workload.roleArn)
        }
        const trust = await workloadTrust(tx, deps.compiler, role, workload, now)
        enforceDecision(
          deps,
          trace.requestId,
          WORKLOAD_SERVICE_PRINCIPAL,
          trust,
          'sts:AssumeRole',
          role.arn,
        )
        return issueWorkloadSession(deps.sessionTokens, role, workload, now)
      },
      { readOnly: true },
    )
    trace.session = session
    const body: ContainerCredentialsResponse = {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      Token: session.sessionToken,
      Expiration: isoSeconds(session.expiration),
      RoleArn: trace.roleArn ?? '',
      AccountId: trace.workload?.accountId ?? '',
    }
    outcome = workloadReply(body, trace.requestId, deps.clock())
  } catch (err) {
    error = asWorkloadError(err)
    outcome = workloadErrorReply(error, trace.requestId, deps.clock())
  }
  try {
    // The record is durable before the credentials leave: an issue is never unrecorded.
    await record(deps, request, now, trace, error)
  } catch (auditErr) {
    error = asWorkloadError(auditErr)
    outcome = workloadErrorReply(error, trace.requestId, deps.clock())
  }
  logOutcome(deps, trace, started, error)
  return outcome
}
