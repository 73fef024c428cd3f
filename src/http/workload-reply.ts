/**
 * The answers of Gatehouse's own JSON endpoints (the workload API and the container credentials
 * endpoint): a JSON body, or the error `{"Code", "Message"}` that the AWS SDKs' container
 * credentials providers read, with the status the error carries.
 */
import { toAwsError } from '../errors/to-aws-error.js'
import { httpDate } from '../protocol/http-date.js'
import { JsonServiceError } from '../protocol/json/json-service-error.js'
import type { QueryResponse } from './query-pipeline.js'

function headers(requestId: string, now: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    // Credentials and tokens pass through here: no cache may keep an answer.
    'cache-control': 'no-store',
    date: httpDate(now),
  }
}

/** A 200 answer with `body` as JSON. */
export function workloadReply(body: object, requestId: string, now: Date): QueryResponse {
  return { status: 200, headers: headers(requestId, now), body: JSON.stringify(body) }
}

/** The error answer. */
export function workloadErrorReply(
  error: JsonServiceError,
  requestId: string,
  now: Date,
): QueryResponse {
  return {
    status: error.status,
    headers: headers(requestId, now),
    body: JSON.stringify({ Code: error.code, Message: error.message }),
  }
}

/**
 * Anything thrown on these endpoints as the error to send: an error of the endpoint's own (a
 * JsonServiceError, which carries its status), or what the one mapper makes of the rest, with
 * its AWS code and status (AccessDenied 403, NoSuchEntity 404, ServiceFailure 500...).
 */
export function asWorkloadError(err: unknown): JsonServiceError {
  if (err instanceof JsonServiceError) return err
  const aws = toAwsError(err)
  return new JsonServiceError(
    aws.code,
    aws.message,
    { status: aws.status, fault: aws.fault },
    aws.cause === undefined ? undefined : { cause: aws.cause },
  )
}
