/**
 * The steps the two JSON request paths share: CloudTrail's awsJson calls (json-pipeline.ts) and
 * Gatehouse's own workload API (workload-api.ts). Both route by the SigV4 credential scope, keep
 * what is known of a request in a trace, log one line per request, hand one record per request
 * to the audit trail before answering, and turn a trail that does not take the record into the
 * call's failure. What differs (how the operation is found, authorized and answered) stays in
 * each path.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { FastifyBaseLogger } from 'fastify'
import type { AuditEvent } from '../audit/audit-event.js'
import type { Caller } from '../auth/caller.js'
import { parseAuthorization } from '../auth/sigv4/index.js'
import type { ParsedAuthorization } from '../auth/sigv4/index.js'
import { AwsError } from '../errors/aws-error.js'
import type { JsonServiceError } from '../protocol/json/json-service-error.js'
import { AuditFailure, deliverAudit } from './deliver-audit.js'
import { firstHeader } from './authenticate-request.js'
import type { IncomingRequest } from './query-pipeline.js'

/** What is known of a JSON request so far, for its log line and its audit record. */
export interface JsonCallTrace {
  readonly requestId: string
  /** The operation's name as the request gave it, known or not. */
  action: string | undefined
  region: string | undefined
  accessKeyId: string | undefined
  caller: Caller | undefined
  parameters: Readonly<Record<string, unknown>> | undefined
  /** The action once the call reached authorization (Access Advisor's attempt). */
  attempted: string | undefined
}

/** A trace of a request of which nothing but its id is known yet. */
export function newJsonCallTrace(requestId: string): JsonCallTrace {
  return {
    requestId,
    action: undefined,
    region: undefined,
    accessKeyId: undefined,
    caller: undefined,
    parameters: undefined,
    attempted: undefined,
  }
}

/**
 * Step: route. The request's SigV4 authorization, whose credential scope must name `service`: a
 * request signed for another service gets AWS's SignatureDoesNotMatch, as the awsQuery path
 * answers it. The trace learns the scope's region and the access key named.
 */
export function routeToService(
  request: IncomingRequest,
  service: string,
  trace: JsonCallTrace,
): ParsedAuthorization {
  const parsed = parseAuthorization(request)
  if (!parsed.ok) throw new AwsError(parsed.error.code, parsed.error.message)
  if (parsed.authorization.scope.service !== service) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${service}'.`,
    )
  }
  trace.region = parsed.authorization.scope.region
  trace.accessKeyId = parsed.authorization.accessKeyId
  return parsed.authorization
}

/** The request's one log line, at error level for a server fault. */
export function logJsonCall(
  log: FastifyBaseLogger,
  service: string | undefined,
  trace: JsonCallTrace,
  started: number,
  error?: JsonServiceError,
): void {
  // Durations come from the monotonic clock, not the (injectable) wall clock.
  const line = {
    requestId: trace.requestId,
    service,
    action: trace.action,
    caller: trace.caller?.arn,
    status: error?.status ?? 200,
    ...(error === undefined ? {} : { code: error.code }),
    ms: Math.round((performance.now() - started) * 1000) / 1000,
  }
  if (error !== undefined && error.fault === 'server') {
    log.error({ ...line, err: error.cause }, 'request failed')
  } else if (error !== undefined && error.cause !== undefined) {
    // What the server signed for a signature that did not match, say: for whoever debugs.
    log.info(line, 'request')
    log.debug({ requestId: trace.requestId, cause: error.cause }, 'request error detail')
  } else {
    log.info(line, 'request')
  }
}

/** How an answered call is to be recorded. */
export interface JsonCallRecord {
  readonly service: string | undefined
  readonly readOnly: boolean
  /** SECURITY: what the record may show of the result (no secret); undefined for a failure. */
  readonly result: Readonly<Record<string, unknown>> | undefined
  readonly error: JsonServiceError | undefined
}

/** Hands the answered call to `audit`, if there is one (AuditFailure if it does not take it). */
export async function recordJsonCall(
  audit: ((event: AuditEvent) => Promise<void>) | undefined,
  request: IncomingRequest,
  eventTime: Date,
  trace: JsonCallTrace,
  call: JsonCallRecord,
): Promise<void> {
  if (audit === undefined) return
  const event: AuditEvent = {
    eventTime,
    requestId: trace.requestId,
    eventId: randomUUID(),
    service: call.service,
    action: trace.action,
    // A JSON request names no version of its own.
    apiVersion: undefined,
    region: trace.region,
    sourceIp: request.sourceIp,
    userAgent: firstHeader(request.headers, 'user-agent'),
    caller: trace.caller,
    accessKeyId: trace.accessKeyId,
    parameters: trace.parameters,
    result: call.error === undefined ? call.result : undefined,
    error:
      call.error === undefined ? undefined : { code: call.error.code, message: call.error.message },
    readOnly: call.readOnly,
    attempted: trace.attempted,
    accountId: trace.caller?.accountId,
  }
  await deliverAudit(audit, event)
}

/**
 * The error to answer for what a call threw, recorded first: a failure of the trail itself
 * (the answered call's record, or this error's) becomes the answer instead, for a call the
 * trail did not take must not look answered.
 */
export async function failJsonCall(
  err: unknown,
  toError: (err: unknown) => JsonServiceError,
  record: (error: JsonServiceError) => Promise<void>,
): Promise<JsonServiceError> {
  if (err instanceof AuditFailure) return toError(err.cause)
  const error = toError(err)
  try {
    await record(error)
    return error
  } catch (auditErr) {
    return toError(auditErr instanceof AuditFailure ? auditErr.cause : auditErr)
  }
}
